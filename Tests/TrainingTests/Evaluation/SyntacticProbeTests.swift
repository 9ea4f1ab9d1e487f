import XCTest
@testable import Evaluation
@testable import Training

/// Z = 1; μ(x) is looked up per sentence; log p(x|z) = z·g(x) with g = +1 for grammatical sentences and −1
/// for ungrammatical ones, so the decoder prefers x⁺ exactly when z > 0.
struct ProbeStandIn: LatentLikelihoodModel {
    let latentSize = 1
    let mu: [[Int32]: Float]
    let grammatical: Set<[Int32]>
    func posterior(_ sentences: [[Int32]]) -> PosteriorBatch {
        PosteriorBatch(mu: sentences.map { mu[$0] ?? 0 }, logVariance: sentences.map { _ in 0 },
                       batchSize: sentences.count, latentSize: 1)
    }
    func logLikelihood(_ sentences: [[Int32]], z: [Float]) -> [Double] {
        sentences.enumerated().map { i, x in Double(z[i]) * (grammatical.contains(x) ? 1 : -1) }
    }
}

final class SyntacticProbeTests: XCTestCase {
    // Category A: conditions c1 (two pairs) and c2 (one); category B: condition c3 (two pairs).
    // The word "zebra" is not in the vocabulary and becomes <unk>.
    let tsv = """
    phenomenon\tcategory\tcondition\tgrammatical\tungrammatical
    agreement\tA\tc1\tthe cat runs\tthe cat run
    agreement\tA\tc1\tthe dog runs\tthe dog run
    agreement\tA\tc2\tthe cats run\tthe cats runs

    reflexive\tB\tc3\tthe dogs run\tthe dogs runs
    reflexive\tB\tc3\tthe zebra runs\tthe zebra run

    """
    let words = ["<pad>", "<unk>", "<bos>", "<eos>", "the", "cat", "cats", "dog", "dogs", "run", "runs"]

    func encode(_ tokens: [String]) -> [Int32] {
        tokens.map { word in Int32(words.firstIndex(of: word) ?? 1) }
    }

    func testParsesTheHandMadeFileAndMapsUnknownWordsToUnk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString).tsv")
        try tsv.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let pairs = try SyntacticProbe.load(path: url.path)
        XCTAssertEqual(pairs.count, 5)
        XCTAssertEqual(pairs[0], ProbePair(phenomenon: "agreement", category: "A", condition: "c1",
                                           grammatical: ["the", "cat", "runs"], ungrammatical: ["the", "cat", "run"]))
        XCTAssertEqual(encode(pairs[4].grammatical), [4, 1, 10])
    }

    func testSharesPerCategoryWithAndWithoutConditionMeans() throws {
        let pairs = try SyntacticProbe.parse(tsv, path: "inline")
        let mus: [Float] = [1, -1,  -0.5, 2,  1, -3,  -2, 1,  1, -0.5]   // μ(x⁺), μ(x⁻) per pair
        var table: [[Int32]: Float] = [:]
        var grammatical = Set<[Int32]>()
        for (i, pair) in pairs.enumerated() {
            table[encode(pair.grammatical)] = mus[2 * i]
            table[encode(pair.ungrammatical)] = mus[2 * i + 1]
            grammatical.insert(encode(pair.grammatical))
        }
        let model = ProbeStandIn(mu: table, grammatical: grammatical)
        let results = SyntacticProbe.run(pairs, model: model, batchSize: 2, encode: encode)
        XCTAssertEqual(results.map(\.category), ["A", "B"])
        XCTAssertEqual(results.map(\.pairs), [3, 2])
        // A: z⁺ = 1, −0.5, 1 → p1 = 2/3; z⁻ = −1, 2, −3 → p2 = 1/3;
        //    c1 means z̄⁺ = 0.25, z̄⁻ = 0.5; c2: 1, −3 → p̄1 = 3/3, p̄2 = 2/3.
        XCTAssertEqual(results[0].p1, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(results[0].p2, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(results[0].p1Bar, 1, accuracy: 1e-12)
        XCTAssertEqual(results[0].p2Bar, 2.0 / 3, accuracy: 1e-12)
        // B: z⁺ = −2, 1 → ½; z⁻ = 1, −0.5 → ½; z̄⁺ = −0.5 → 0; z̄⁻ = 0.25 → 1.
        XCTAssertEqual(results[1].p1, 0.5, accuracy: 1e-12)
        XCTAssertEqual(results[1].p2, 0.5, accuracy: 1e-12)
        XCTAssertEqual(results[1].p1Bar, 0, accuracy: 1e-12)
        XCTAssertEqual(results[1].p2Bar, 1, accuracy: 1e-12)
        XCTAssertEqual(results.map(\.identicalPairs), [0, 0])
    }

    /// A pair whose differing word is unknown in both forms becomes two identical sentences: it ties under
    /// every code, counts as a failure, and is reported.
    func testPairsIdenticalInTheVocabularyTieAndAreCounted() throws {
        let text = "phenomenon\tcategory\tcondition\tgrammatical\tungrammatical\n"
            + "agreement\tA\tc1\tthe cat runs\tthe cat run\n"
            + "agreement\tA\tc1\tthe cat laughs\tthe cat laugh\n"
        let pairs = try SyntacticProbe.parse(text, path: "inline")
        let model = ProbeStandIn(mu: [encode(pairs[0].grammatical): 1, encode(pairs[1].grammatical): 1],
                                 grammatical: Set(pairs.map { encode($0.grammatical) }))
        let r = SyntacticProbe.run(pairs, model: model, batchSize: 2, encode: encode)
        XCTAssertEqual(r[0].identicalPairs, 1)
        XCTAssertEqual(r[0].p1, 0.5, accuracy: 1e-12, "the identical pair ties (strict >) and fails")
    }

    func testMalformedFilesNameTheLineAndTheProblem() {
        XCTAssertThrowsError(try SyntacticProbe.parse("category\tgrammatical\n", path: "p.tsv")) { error in
            XCTAssertEqual(error as? EvaluationError, .malformedProbe(path: "p.tsv", line: 1, reason: "missing column 'phenomenon'"))
        }
        let short = "phenomenon\tcategory\tcondition\tgrammatical\tungrammatical\nagreement\tA\tc1\tthe cat runs\n"
        XCTAssertThrowsError(try SyntacticProbe.parse(short, path: "p.tsv")) { error in
            XCTAssertEqual(error as? EvaluationError, .malformedProbe(path: "p.tsv", line: 2, reason: "4 fields, header has 5"))
        }
        XCTAssertThrowsError(try SyntacticProbe.load(path: "/nonexistent/pairs.tsv"))
        XCTAssertEqual(SyntacticProbe.run([], model: ProbeStandIn(mu: [:], grammatical: []), encode: encode), [])
    }
}
