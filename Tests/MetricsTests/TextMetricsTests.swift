import Foundation
import XCTest
@testable import Metrics

/// Hand-computed text cases: identical, zero matches, empty hypothesis/reference, short hypotheses, clipping.
final class TextMetricsTests: XCTestCase {
    var interner = TokenInterner()
    func ids(_ s: String) -> [Int32] { interner.whitespaceTokens(s) }
    func stats(_ h: String, _ r: String) -> PairStatistics { PairStatistics(hypothesis: ids(h), reference: ids(r)) }

    func testIdenticalAndZeroMatch() {
        let same = [stats("a b c d e", "a b c d e")]
        XCTAssertEqual(BLEU.corpusUnsmoothed(same).score, 1, accuracy: 1e-15)
        XCTAssertEqual(BLEU.corpusSacreBLEU(same).score, 1, accuracy: 1e-15)
        XCTAssertEqual(ROUGE.nSetF1(same[0], n: 4), 1)
        let none = [stats("x y z", "a b c d e")]
        XCTAssertEqual(BLEU.corpusUnsmoothed(none).score, 0)
        XCTAssertEqual(BLEU.corpusSacreBLEU(none).score, 0)
        XCTAssertEqual(BLEU.sentenceNLTKMethod1(none[0]), 0, "no unigram match: NLTK returns 0, unsmoothed")
        XCTAssertEqual(ROUGE.nScoreF1(none[0], n: 2), 0)
        XCTAssertEqual(ROUGE.lcsF1(hypothesis: ids("x y z"), reference: ids("a b c d e")), 0)
    }

    func testEmptyHypothesisAndReference() {
        let emptyHyp = stats("", "a b c")
        XCTAssertEqual(BLEU.corpusSacreBLEU([emptyHyp]).brevityPenalty, 0)
        XCTAssertEqual(BLEU.corpusSacreBLEU([emptyHyp]).score, 0)
        XCTAssertEqual(BLEU.sentenceNLTKMethod1(emptyHyp), 0)
        XCTAssertEqual(ROUGE.nSetF1(emptyHyp, n: 2), 0)
        XCTAssertEqual(ROUGE.lcsF1(hypothesis: [], reference: ids("a b c")), 0)
        let emptyRef = stats("a b c", "")
        XCTAssertEqual(BLEU.corpusUnsmoothed([emptyRef]).score, 0)
        XCTAssertEqual(ROUGE.nScoreF1(emptyRef, n: 2), 0)
        // An empty pair inside a corpus only adds its lengths (0) and its NLTK denominators (1 per order).
        let corpus = [stats("a b c d", "a b c d"), stats("", "")]
        XCTAssertEqual(BLEU.corpusSacreBLEU(corpus).score, 1, accuracy: 1e-15)
        XCTAssertEqual(BLEU.corpusUnsmoothed(corpus).precisions, [0.8, 0.75, 2.0 / 3, 0.5])
    }

    func testShortHypothesisConventions() {
        // "the" against a 6-token reference: NLTK p_n = 1, 0.1, 0.1, 0.1 (denominator max(1, 0) = 1),
        // BP = exp(1 − 6/1); sacrebleu stops at the order with no n-grams and scores 0.
        let s = stats("the", "the cat sat on the mat")
        let expected = exp(1.0 - 6) * pow(0.1, 0.75)
        XCTAssertEqual(BLEU.sentenceNLTKMethod1(s), expected, accuracy: 1e-15)
        XCTAssertEqual(BLEU.corpusSacreBLEU([s]).score, 0)
        XCTAssertEqual(BLEU.corpusUnsmoothed([s], maxOrder: 1).score, exp(1.0 - 6), accuracy: 1e-15)
    }

    func testSacreBLEUExpSmoothing() {
        // p = 3/4, 1/3, 0 → 1/(2·2), 0 → 1/(4·1): 'exp' halves again at each further zero order.
        let s = stats("a b x c", "a b c d")
        let score = BLEU.corpusSacreBLEU([s])
        let expected: [Double] = [0.75, 1.0 / 3, 0.25, 0.25]
        XCTAssertEqual(score.precisions, expected)
        let product: Double = expected.reduce(1, *)
        XCTAssertEqual(score.score, pow(product, 0.25), accuracy: 1e-15)
        XCTAssertEqual(BLEU.corpusUnsmoothed([s]).score, 0, "unsmoothed: a zero precision gives 0")
    }

    func testClippingSetsAndMultisets() {
        let s = stats("the the", "the the the the")
        XCTAssertEqual(s.matches[0], 2)
        XCTAssertEqual(ROUGE.nSetF1(s, n: 2), 1, "one distinct bigram on each side")
        let third: Double = 1.0 / 3
        XCTAssertEqual(ROUGE.nScoreF1(s, n: 2), 2 * third / (1 + third), accuracy: 1e-15)
        XCTAssertEqual(ROUGE.lcsF1(hypothesis: ids("a c d b"), reference: ids("a b c d")), 0.75)
    }

    func testRougeScoreTokenizer() {
        XCTAssertEqual(RougeScoreTokenizer.tokens("The Cat's  x-y, İZ \u{212A}m ÉTÉ 3.5"),
                       ["the", "cat", "s", "x", "y", "i", "z", "km", "t", "3", "5"])
        XCTAssertEqual(RougeScoreTokenizer.tokens("  "), [])
        // Python str.split(): Unicode White_Space and U+001C…U+001F separate; other non-ASCII stays in the token.
        var t = TokenInterner()
        let ids = t.whitespaceTokens("a\u{00A0}b\u{1C}c \u{3000} déjà\td\n")
        XCTAssertEqual(ids.map { t.tokens[Int($0)] }, ["a", "b", "c", "déjà", "d"])
        XCTAssertEqual(t.whitespaceTokens("déjà a"), [ids[3], ids[0]], "interned once")
    }

    func testBucketsAndSelfBLEUEdges() {
        XCTAssertEqual(SourceLengthBucket(length: 0), .upTo10)
        XCTAssertEqual(SourceLengthBucket(length: 10), .upTo10)
        XCTAssertEqual(SourceLengthBucket(length: 11), .from11To20)
        XCTAssertEqual(SourceLengthBucket(length: 30), .from21To30)
        XCTAssertEqual(SourceLengthBucket(length: 31), .over30)
        XCTAssertNil(BLEU.selfBLEU([ids("a b c")]), "N = 1: no other sentence to compare with")
        XCTAssertEqual(BLEU.selfBLEU([ids("a b c d"), ids("a b c d"), ids("a b c d")]) ?? 0, 1, accuracy: 1e-15)
        let values = TextMetrics.reconstruction(references: ["a b", String(repeating: "w ", count: 31)],
                                                hypotheses: ["a b", "w"])
        XCTAssertEqual(Set(values.compactMap(\.bucket)), [.upTo10, .over30, .all])
        XCTAssertEqual(values.filter { $0.bucket == .all }.count, 16)
    }

    func testCorpusStatistics() {
        let s = CorpusStatistics([[4, 5, 1], [4], []], unknownID: 1)
        XCTAssertEqual(s.vocabularySize, 3)
        XCTAssertEqual(s.unknownPercent, 25)
        XCTAssertEqual(s.meanLength, 4.0 / 3)
        let g = TextMetrics.generation([[4, 5, 1], [4]])
        XCTAssertEqual(g.map(\.variant.id), ["self-bleu4.texygen", "corpus.vocabulary", "corpus.unk-percent",
                                             "corpus.mean-length"])
    }
}
