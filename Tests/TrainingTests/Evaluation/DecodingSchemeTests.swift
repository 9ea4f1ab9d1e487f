import XCTest
import Tensor
@testable import Model

/// The decoding schemes on a hand-built distribution (issue 4's tests): top-k never emits outside the k most
/// probable words, nucleus never outside the smallest set reaching p (the crossing word kept), greedy = top-1.
final class DecodingSchemeTests: XCTestCase {
    //                              0     1     2     3     4     5     6     7
    let probabilities: [Double] = [0.30, 0.05, 0.20, 0.15, 0.10, 0.02, 0.08, 0.10]

    func draws(_ scheme: DecodingScheme, _ p: [Double]? = nil, count: Int = 3000, seed: UInt64 = 1) -> [Int: Int] {
        var selector = TokenSelector()
        var rng = SplitMix64(seed: seed)
        var histogram: [Int: Int] = [:]
        (p ?? probabilities).withUnsafeBufferPointer { buffer in
            for _ in 0..<count { histogram[selector.select(buffer, scheme: scheme, rng: &rng), default: 0] += 1 }
        }
        return histogram
    }

    func testGreedyIsTheArgmaxAndEqualsTopOne() {
        XCTAssertEqual(draws(.greedy, count: 10), [0: 10])
        XCTAssertEqual(draws(.topK(1), count: 500), [0: 500])
        XCTAssertEqual(draws(.greedy, [0.1, 0.4, 0.4, 0.1], count: 5), [1: 5], "ties go to the lowest id")
    }

    func testTopKStaysInTheKMostProbableAndSamplesInProportion() {
        let h = draws(.topK(3))
        XCTAssertEqual(Set(h.keys), [0, 2, 3])
        let total = Double(h.values.reduce(0, +))
        XCTAssertEqual(Double(h[0] ?? 0) / total, 0.30 / 0.65, accuracy: 0.03)
        XCTAssertEqual(Double(h[3] ?? 0) / total, 0.15 / 0.65, accuracy: 0.03)
        XCTAssertEqual(Set(draws(.topK(100), count: 4000).keys), Set(0..<8), "k ≥ V samples from everything")
    }

    func testNucleusKeepsTheSmallestSetReachingP() {
        // Sorted masses: 0.30, 0.50 (+2), 0.65 (+3), 0.75 (+4 or 7: equal 0.10, the lower id first) …
        XCTAssertEqual(Set(draws(.nucleus(0.25)).keys), [0], "the first word already crosses p")
        XCTAssertEqual(Set(draws(.nucleus(0.45)).keys), [0, 2], "the crossing word is kept")
        XCTAssertEqual(Set(draws(.nucleus(0.6)).keys), [0, 2, 3])
        XCTAssertEqual(Set(draws(.nucleus(0.7)).keys), [0, 2, 3, 4])
        XCTAssertEqual(Set(draws(.nucleus(1.0), count: 6000).keys), Set(0..<8))
    }

    func testUnnormalisedWeightsBehaveLikeTheirNormalisation() {
        let scaled = probabilities.map { $0 * 7 }
        XCTAssertEqual(draws(.nucleus(0.45), scaled, seed: 3), draws(.nucleus(0.45), seed: 3))
        XCTAssertEqual(draws(.topK(3), scaled, seed: 4), draws(.topK(3), seed: 4))
    }
}
