import TestSupport
import XCTest
@testable import Evaluation
@testable import Training

final class ImportanceWeightedNLLTests: XCTestCase {
    let sentences: [[Int32]] = [[4, 5, 6], [7], [8, 9, 10, 11, 12], [], [5, 5]]

    func estimate(_ model: some LatentLikelihoodModel, _ sentences: [[Int32]], k: Int, seed: UInt64 = 1,
                  rowsPerCall: Int = 100) -> ImportanceWeightedEstimate {
        var rng = TestRNG(seed: seed)
        let q = posteriors(of: sentences, model: model, batchSize: 2)
        return importanceWeightedNLL(model: model, sentences: sentences, posterior: q, samples: k,
                                     rowsPerCall: rowsPerCall, using: &rng)
    }

    func testCollapsedModelGivesTheLanguageModelLikelihoodForAnyK() {
        let model = CollapsedModel()
        for k in [1, 2, 7, 50] {
            let result = estimate(model, sentences, k: k, seed: UInt64(k))
            XCTAssertEqual(result.samples, k)
            for (x, nll) in zip(sentences, result.perSentenceNLL) {
                XCTAssertEqual(nll, -CollapsedModel.exactLogLikelihood(x), accuracy: 1e-4, "K = \(k), x = \(x)")
            }
            XCTAssertEqual(result.rate, 0, accuracy: 1e-12)
            XCTAssertEqual(result.elbo, -result.meanNLL, accuracy: 1e-4, "a collapsed model's ELBO is tight")
        }
    }

    func testPerplexityCountsEosAndIsPerToken() {
        let result = estimate(CollapsedModel(), sentences, k: 3)
        XCTAssertEqual(result.perSentenceTokens, [4, 2, 6, 1, 3])
        // −log p = 0.7 per token, so perplexity = e^0.7 whatever the lengths.
        XCTAssertEqual(result.perplexity, exp(0.7), accuracy: 1e-4)
        let meanTokens = Double(result.perSentenceTokens.reduce(0, +)) / Double(sentences.count)
        XCTAssertEqual(result.meanNLL, 0.7 * meanTokens, accuracy: 1e-4)
    }

    func testExactPosteriorGivesTheExactMarginalForAnyK() {
        let model = LinearGaussianModel()
        let xs: [[Int32]] = [[4, 5], [30], [1], [12, 12, 12]]
        for k in [1, 5, 40] {
            let result = estimate(model, xs, k: k, seed: 10 + UInt64(k))
            for (x, nll) in zip(xs, result.perSentenceNLL) {
                XCTAssertEqual(nll, -model.exactLogLikelihood(x), accuracy: 1e-4, "K = \(k), x = \(x)")
            }
        }
    }

    func testApproximatePosteriorConvergesToTheIntegratedMarginal() {
        let model = BernoulliModel()
        let xs: [[Int32]] = [[4], [5]]
        let exact = xs.map { -BernoulliModel.exactLogMarginal($0) }
        XCTAssertEqual(exact[0], log(2), accuracy: 1e-6, "symmetry: p(a) = ½")
        let large = estimate(model, xs, k: 20_000, seed: 3)
        for (estimated, truth) in zip(large.perSentenceNLL, exact) {
            XCTAssertEqual(estimated, truth, accuracy: 0.015)
        }
        // K = 1 is the ELBO: an upper bound on the NLL that is clearly looser here.
        let elbo = (0..<20).map { estimate(model, xs, k: 1, seed: 100 + UInt64($0)).meanNLL }.reduce(0, +) / 20
        XCTAssertGreaterThan(elbo, large.meanNLL + 0.2, "the ELBO gap here is KL(q ‖ p(z|x)) ≈ 0.27")
        XCTAssertEqual(large.elbo, -elbo, accuracy: 0.1, "the ELBO from the K samples estimates the same quantity")
        XCTAssertLessThan(large.elbo, -large.meanNLL)
    }

    func testTheKSamplesOfASentenceGoThroughTheDecoderAsOneBatch() {
        let model = RecordingModel(CollapsedModel())
        var rng = TestRNG(seed: 5)
        let xs: [[Int32]] = [[4, 5], [6], [7, 8, 9]]
        let q = posteriors(of: xs, model: model, batchSize: 8)
        _ = importanceWeightedNLL(model: model, sentences: xs, posterior: q, samples: 10, rowsPerCall: 10, using: &rng)
        XCTAssertEqual(model.calls.count, 3)
        for (call, x) in zip(model.calls, xs) { XCTAssertEqual(call, Array(repeating: x, count: 10)) }

        // Small K: several sentences share one call, each one's rows contiguous.
        model.calls = []
        _ = importanceWeightedNLL(model: model, sentences: xs, posterior: q, samples: 2, rowsPerCall: 100, using: &rng)
        XCTAssertEqual(model.calls, [[[4, 5], [4, 5], [6], [6], [7, 8, 9], [7, 8, 9]]])
    }

    func testLogSumExpIsStable() {
        XCTAssertEqual(logSumExp([1000.0, 1000.0]), 1000 + log(2), accuracy: 1e-9)
        XCTAssertEqual(logSumExp([-1000.0, -1000.0]), -1000 + log(2), accuracy: 1e-9)
        XCTAssertEqual(logSumExp([Double]()), -.infinity)
        XCTAssertEqual(logSumExp([-Double.infinity, 0]), 0)
    }

    func testGaussianDensitiesAgreeWithClosedForms() {
        let z: [Float] = [0.5, -1]
        XCTAssertEqual(Gaussian.logDensity(z, mu: [0, 0], logVariance: [0, 0]), Gaussian.standardLogDensity(z), accuracy: 1e-12)
        // N(0.5; 1, 4) · N(−1; 0, 1)
        let expected = -0.5 * (log(2 * Double.pi * 4) + 0.25 / 4) - 0.5 * (log(2 * Double.pi) + 1)
        XCTAssertEqual(Gaussian.logDensity(z, mu: [1, 0], logVariance: [Float(log(4.0)), 0]), expected, accuracy: 1e-6)
        let posterior = PosteriorBatch(mu: [1, 0], logVariance: [Float(log(4.0)), 0], batchSize: 1, latentSize: 2)
        XCTAssertEqual(gaussianKL(posterior, row: 0), 0.5 * (1 + 4 - 1 - log(4.0)), accuracy: 1e-6)
    }
}
