import TestSupport
import XCTest
@testable import Evaluation
@testable import Training

final class MutualInformationTests: XCTestCase {
    /// N identical posteriors N(μ, σ²): q(z) = q(z|x), so I = 0.
    func identical(_ n: Int, size: Int) -> PosteriorBatch {
        var mu: [Float] = [], logVariance: [Float] = []
        for _ in 0..<n {
            for d in 0..<size {
                mu.append(Float(d) * 0.3 - 0.2)
                logVariance.append(Float(d) * 0.1 - 0.5)
            }
        }
        return PosteriorBatch(mu: mu, logVariance: logVariance, batchSize: n, latentSize: size)
    }

    /// N posteriors with means 50 apart and σ = 0.1: each z belongs to exactly one component, I → log N.
    func separated(_ n: Int, size: Int) -> PosteriorBatch {
        var mu: [Float] = []
        for i in 0..<n {
            for d in 0..<size { mu.append(d == 0 ? Float(i) * 50 : Float(i % 3)) }
        }
        let logVariance = [Float](repeating: Float(log(0.01)), count: n * size)
        return PosteriorBatch(mu: mu, logVariance: logVariance, batchSize: n, latentSize: size)
    }

    func testIdenticalPosteriorsGiveZero() {
        var rng = TestRNG(seed: 1)
        let q = identical(1000, size: 2)
        XCTAssertEqual(MutualInformation.mixture(q, using: &rng), 0, accuracy: 0.15)
        XCTAssertEqual(MutualInformation.minibatch(q, batchSize: 50, using: &rng), 0, accuracy: 0.15)
    }

    func testSeparatedPosteriorsGiveLogN() {
        var rng = TestRNG(seed: 2)
        let q = separated(300, size: 3)
        XCTAssertEqual(MutualInformation.mixture(q, using: &rng), log(300), accuracy: 0.15)
        // The minibatch estimator cannot exceed ≈ log B: batches of 30 (and a last one of 30).
        XCTAssertEqual(MutualInformation.minibatch(q, batchSize: 30, using: &rng), log(30), accuracy: 0.15)
    }

    func testMinibatchWeightsBatchesBySize() {
        var rng = TestRNG(seed: 3)
        // 40 separated posteriors in batches of 30 and 10: (30·log 30 + 10·log 10) / 40.
        let mi = MutualInformation.minibatch(separated(40, size: 2), batchSize: 30, using: &rng)
        XCTAssertEqual(mi, (30 * log(30) + 10 * log(10)) / 40, accuracy: 0.15)
    }

    func testEmptyAndSingleSentence() {
        var rng = TestRNG(seed: 4)
        let empty = PosteriorBatch(mu: [], logVariance: [], batchSize: 0, latentSize: 2)
        XCTAssertEqual(MutualInformation.mixture(empty, using: &rng), 0)
        XCTAssertEqual(MutualInformation.minibatch(empty, batchSize: 8, using: &rng), 0)
        // N = 1: the mixture is the posterior itself.
        XCTAssertEqual(MutualInformation.mixture(separated(1, size: 2), using: &rng), 0, accuracy: 3)
    }
}
