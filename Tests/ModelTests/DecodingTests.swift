import XCTest
@testable import Model
@testable import Tensor

final class DecodingTests: XCTestCase {
    /// A hand-built distribution over 8 tokens.
    static let p: [Double] = [0.02, 0.30, 0.05, 0.25, 0.10, 0.20, 0.03, 0.05]
    // Sorted: 1 (.30), 3 (.25), 5 (.20), 4 (.10), 2/7 (.05), 6 (.03), 0 (.02)

    func draw(_ scheme: DecodingScheme, n: Int = 2_000) -> [Int: Int] {
        var selector = TokenSelector()
        var rng = SplitMix64(seed: 3)
        var counts: [Int: Int] = [:]
        for _ in 0..<n {
            let t = Self.p.withUnsafeBufferPointer { selector.select($0, scheme: scheme, rng: &rng) }
            counts[t, default: 0] += 1
        }
        return counts
    }

    func testGreedyIsTop1() {
        XCTAssertEqual(draw(.greedy, n: 10), [1: 10])
    }

    func testTopKStaysInTopK() {
        let counts = draw(.topK(3))
        XCTAssertEqual(Set(counts.keys), [1, 3, 5], "top-3 drew \(counts)")
        // Renormalised: token 1 has probability .30/.75 = 0.4.
        XCTAssertEqual(Double(counts[1] ?? 0) / 2_000, 0.4, accuracy: 0.04)
        XCTAssertEqual(Set(draw(.topK(1)).keys), [1])
    }

    func testNucleusKeepsCrossingToken() {
        // p = 0.6: .30 + .25 = .55 < .6, adding .20 crosses → {1, 3, 5}.
        XCTAssertEqual(Set(draw(.nucleus(0.6)).keys), [1, 3, 5])
        // p = 0.55 is reached exactly by {1, 3}.
        XCTAssertEqual(Set(draw(.nucleus(0.55)).keys), [1, 3])
        XCTAssertEqual(Set(draw(.nucleus(0.1)).keys), [1])
        XCTAssertEqual(Set(draw(.nucleus(1.0), n: 20_000).keys), Set(0..<8))
    }

    func testSchemeDescriptions() {
        XCTAssertEqual(DecodingScheme.greedy.description, "greedy")
        XCTAssertEqual(DecodingScheme.topK(5).description, "top-k k=5")
        XCTAssertEqual(DecodingScheme.nucleus(0.9).description, "nucleus p=0.9")
        XCTAssertEqual(DecodingScheme.topK(5).name, "top-k")
        XCTAssertEqual(DecodingScheme.nucleus(0.9).parameter, 0.9)
        XCTAssertNil(DecodingScheme.greedy.parameter)
    }

    func testDecodeRespectsMaxLengthAndSpecials() {
        var c = VAEConfig()
        c.vocabularySize = 12
        c.embeddingSize = 4
        c.encoderHiddenSize = 6
        c.decoderHiddenSize = 6
        c.latentSize = 2
        let model = SequenceVAE(config: c, seed: 1)
        var rng = SplitMix64(seed: 2)
        let z = [Float](repeating: 0.5, count: 5 * 2)
        for scheme in [DecodingScheme.greedy, .topK(4), .nucleus(0.9)] {
            let out = model.decode(z: z, count: 5, scheme: scheme, maxLength: 7, rng: &rng)
            XCTAssertEqual(out.count, 5)
            for s in out {
                XCTAssertLessThanOrEqual(s.count, 7)
                for w in s { XCTAssertTrue(w == 1 || w >= 4, "\(scheme) produced special id \(w)") }
            }
        }
    }
}
