import Foundation
import XCTest
@testable import Metrics

/// Prokhorov et al. 2019's BLEU and ROUGE against values computed by THEIR functions (tensorflow/nmt's
/// `compute_bleu` and their `rouge.py`, as their experiment_table_1.py calls them) on a fixture with the edge
/// cases that separate their definitions from NLTK's: an empty output, outputs shorter than n, repeated
/// n-grams, double spaces. Made by scripts/make_prokhorov_fixtures.py.
final class ProkhorovMetricsTests: XCTestCase {
    struct Fixture: Decodable {
        struct Pair: Decodable { var gold: String; var rec: String }
        struct Expected: Decodable { var subset: String; var indices: [Int]; var order: Int; var bleu: Double; var rouge: Double }
        var pairs: [Pair]
        var expected: [Expected]
    }

    func load() throws -> Fixture {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "prokhorov", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func testBLEUAndROUGEEqualTheirCodeToTheLastDigits() throws {
        let f = try load()
        XCTAssertEqual(f.expected.count, 8)
        for e in f.expected {
            var interner = TokenInterner()
            let gold = e.indices.map { interner.spaceSplitTokens(f.pairs[$0].gold) }
            let rec = e.indices.map { interner.spaceSplitTokens(f.pairs[$0].rec) }
            let stats = PairStatistics.of(hypotheses: rec, references: gold)
            let bleu = BLEU.corpusNMT(stats, maxOrder: e.order).score
            let rouge = stats.reduce(0) { $0 + ROUGE.nSetF1Prokhorov($1, n: e.order) } / Double(stats.count)
            XCTAssertEqual(bleu, e.bleu, accuracy: 1e-14, "BLEU-\(e.order) \(e.subset)")
            XCTAssertEqual(rouge, e.rouge, accuracy: 1e-14, "ROUGE-\(e.order) \(e.subset)")
        }
    }

    /// The NLTK-denominator variant is a different number on the edge cases (so the labels must differ).
    func testTheNLTKVariantDiffersOnShortOutputs() throws {
        let f = try load()
        let edge = try XCTUnwrap(f.expected.first { $0.subset == "edge" && $0.order == 4 })
        var interner = TokenInterner()
        let gold = edge.indices.map { interner.whitespaceTokens(f.pairs[$0].gold) }
        let rec = edge.indices.map { interner.whitespaceTokens(f.pairs[$0].rec) }
        let nltk = BLEU.corpusUnsmoothed(PairStatistics.of(hypotheses: rec, references: gold), maxOrder: 4).score
        XCTAssertGreaterThan(abs(nltk - edge.bleu), 1e-3)
    }

    func testTheirTokenisation() {
        var interner = TokenInterner()
        XCTAssertEqual(interner.spaceSplitTokens("").map { interner.tokens[Int($0)] }, [""])
        XCTAssertEqual(interner.spaceSplitTokens("  a  b \n").map { interner.tokens[Int($0)] }, ["a", "", "b"])
        XCTAssertEqual(interner.spaceSplitTokens("a\tb").map { interner.tokens[Int($0)] }, ["a\tb"])
    }

    /// The text metrics report the new variants, and the token-id path gives the text path's values.
    func testReconstructionReportsTheirVariantsFromTextAndFromIds() throws {
        let f = try load()
        let all = try XCTUnwrap(f.expected.first { $0.subset == "without-empty" && $0.order == 2 })
        let pairs = all.indices.map { f.pairs[$0] }.filter { !$0.gold.contains("  ") && !$0.rec.contains("  ") && $0.gold == $0.gold.trimmingCharacters(in: .whitespaces) }
        let fromText = TextMetrics.reconstruction(references: pairs.map(\.gold), hypotheses: pairs.map(\.rec))
        var words: [String] = [], index: [String: Int32] = [:]
        func ids(_ s: String) -> [Int32] {
            s.split(separator: " ").map { w in
                if let i = index[String(w)] { return i }
                index[String(w)] = Int32(words.count); words.append(String(w)); return Int32(words.count - 1)
            }
        }
        let fromIds = TextMetrics.reconstruction(references: pairs.map { ids($0.gold) }, hypotheses: pairs.map { ids($0.rec) },
                                                 words: words)
        for v in [Variant.bleuCorpusProkhorov(2), .bleuCorpusProkhorov(4), .rougeNProkhorov(2), .rougeNProkhorov(4)] {
            let a = try XCTUnwrap(fromText.first { $0.variant == v && $0.bucket == .all }?.value)
            let b = try XCTUnwrap(fromIds.first { $0.variant == v && $0.bucket == .all }?.value)
            XCTAssertEqual(a, b, accuracy: 1e-15, v.id)
        }
    }
}
