import Foundation

/// n-gram statistics of one (hypothesis, reference) pair for orders 1…4: everything corpus BLEU, sentence
/// BLEU and ROUGE-N need, so each pair's n-grams are extracted and sorted once.
public struct PairStatistics: Sendable, Hashable {
    public var hypothesisLength = 0
    public var referenceLength = 0
    /// Clipped matches Σ_g min(c_h(g), c_r(g)), order n at index n − 1.
    public var matches = SIMD4<Int>()
    /// Hypothesis n-gram count max(0, |h| − n + 1).
    public var hypothesisTotal = SIMD4<Int>()
    /// Reference n-gram count max(0, |r| − n + 1).
    public var referenceTotal = SIMD4<Int>()
    /// |set(h_n) ∩ set(r_n)|, |set(h_n)|, |set(r_n)|.
    public var distinctCommon = SIMD4<Int>()
    public var distinctHypothesis = SIMD4<Int>()
    public var distinctReference = SIMD4<Int>()

    /// Extracts the statistics of orders 1…4 (sorted packed n-gram keys, merged).
    public init(hypothesis: [Int32], reference: [Int32]) {
        var hb: [NGramKey] = [], rb: [NGramKey] = []
        self.init(hypothesis: hypothesis, reference: reference, buffers: &hb, &rb)
    }

    init(hypothesis h: [Int32], reference r: [Int32], buffers hb: inout [NGramKey], _ rb: inout [NGramKey]) {
        hypothesisLength = h.count
        referenceLength = r.count
        for n in 1...4 {
            let ht = Swift.max(0, h.count - n + 1), rt = Swift.max(0, r.count - n + 1)
            hypothesisTotal[n - 1] = ht
            referenceTotal[n - 1] = rt
            guard ht > 0 || rt > 0 else { continue }
            sortedNGrams(h, n, into: &hb)
            sortedNGrams(r, n, into: &rb)
            let o = overlap(hb, rb)
            matches[n - 1] = o.clipped
            distinctCommon[n - 1] = o.distinctCommon
            distinctHypothesis[n - 1] = o.distinctHypothesis
            distinctReference[n - 1] = o.distinctReference
        }
    }

    /// Statistics of many pairs (reusing the n-gram buffers).
    public static func of(hypotheses: [[Int32]], references: [[Int32]]) -> [PairStatistics] {
        precondition(hypotheses.count == references.count,
                     "\(hypotheses.count) hypotheses for \(references.count) references")
        var hb: [NGramKey] = [], rb: [NGramKey] = []
        hb.reserveCapacity(64)
        rb.reserveCapacity(64)
        return zip(hypotheses, references).map { PairStatistics(hypothesis: $0, reference: $1, buffers: &hb, &rb) }
    }
}

/// A corpus BLEU score with its parts. `score` and `precisions` are fractions in [0, 1] (sacrebleu prints ×100).
public struct BLEUScore: Codable, Hashable, Sendable {
    public var score: Double
    /// p_1 … p_N as used in the geometric mean (after smoothing, if any).
    public var precisions: [Double]
    public var brevityPenalty: Double
    /// c, the total hypothesis length, and r, the total (closest) reference length.
    public var hypothesisLength: Int
    public var referenceLength: Int
}

/// BLEU (Papineni et al. 2002): uniform weights 1/N over orders 1…N (N ≤ 4), brevity penalty
/// BP = 1 if c > r, 0 if c = 0, exp(1 − r/c) otherwise. One reference per hypothesis unless stated.
///
/// Two conventions differ for hypotheses shorter than n tokens (no n-grams): NLTK divides each sentence's
/// clipped count by max(1, #hypothesis n-grams), so a short hypothesis adds 1 to the denominator; sacrebleu
/// divides by the plain count. `corpusUnsmoothed` and the sentence-level NLTK method follow NLTK,
/// `corpusSacreBLEU` follows sacrebleu.
public enum BLEU {
    /// Corpus BLEU-N, unsmoothed, with NLTK's denominators: 0 when any p_n is 0 (NLTK's
    /// `corpus_bleu` returns ~0 there, exactly 0 without unigram matches); NLTK denominators. Equals
    /// `nltk.translate.bleu_score.corpus_bleu` (default method0) whenever every p_n > 0.
    public static func corpusUnsmoothed(_ stats: [PairStatistics], maxOrder: Int = 4) -> BLEUScore {
        precondition((1...4).contains(maxOrder), "BLEU order \(maxOrder) not in 1…4")
        var num = SIMD4<Int>(), den = SIMD4<Int>()
        var c = 0, r = 0
        for s in stats {
            num &+= s.matches
            den &+= s.hypothesisTotal.replacing(with: 1, where: s.hypothesisTotal .< 1)
            c += s.hypothesisLength
            r += s.referenceLength
        }
        let bp = brevityPenalty(c: c, r: r)
        let p = (0..<maxOrder).map { Double(num[$0]) / Double(den[$0]) }
        let score = p.contains(0) ? 0 : bp * exp(p.map { log($0) }.reduce(0, +) / Double(maxOrder))
        return BLEUScore(score: score, precisions: p, brevityPenalty: bp, hypothesisLength: c, referenceLength: r)
    }

    /// Corpus BLEU-N exactly as sacrebleu 2.6.0 `BLEU(max_ngram_order=N, tokenize='none')` with its default
    /// 'exp' smoothing (mteval-v13a: the k-th order with zero matches gets precision 1/(2^k · total_n)):
    /// score 0 when no n-gram of any order matches; an order with no hypothesis n-grams stops the loop and
    /// leaves p_n = 0 (score 0).
    public static func corpusSacreBLEU(_ stats: [PairStatistics], maxOrder: Int = 4) -> BLEUScore {
        precondition((1...4).contains(maxOrder), "BLEU order \(maxOrder) not in 1…4")
        var correct = SIMD4<Int>(), total = SIMD4<Int>()
        var c = 0, r = 0
        for s in stats {
            correct &+= s.matches
            total &+= s.hypothesisTotal
            c += s.hypothesisLength
            r += s.referenceLength
        }
        let bp = c < r ? (c > 0 ? exp(1 - Double(r) / Double(c)) : 0) : 1
        var p = [Double](repeating: 0, count: maxOrder)
        guard (0..<maxOrder).contains(where: { correct[$0] != 0 }) else {
            return BLEUScore(score: 0, precisions: p, brevityPenalty: bp, hypothesisLength: c, referenceLength: r)
        }
        var smooth = 1.0
        for n in 0..<maxOrder {
            if total[n] == 0 { break }
            if correct[n] == 0 {
                smooth *= 2
                p[n] = 1 / (smooth * Double(total[n]))
            } else {
                p[n] = Double(correct[n]) / Double(total[n])
            }
        }
        let score = p.contains(0) ? 0 : bp * exp(p.map { log($0) }.reduce(0, +) / Double(maxOrder))
        return BLEUScore(score: score, precisions: p, brevityPenalty: bp, hypothesisLength: c, referenceLength: r)
    }

    /// Corpus BLEU-N as Prokhorov et al. 2019 computed it: tensorflow/nmt's `compute_bleu(…, smooth=False)`
    /// (their Scripts/Experiments/bleu.py) on one reference per hypothesis. p_n = Σ clipped matches / Σ
    /// possible matches, where a sentence adds len − n + 1 possible matches only when that is > 0 (no
    /// max(1, ·) as NLTK); p_n = 0 when there are none; geometric mean exp(Σ_n (1/N)·log p_n), 0 if any p_n
    /// is 0; BP from ratio = c / r: 1 if ratio > 1, else exp(1 − 1/ratio) (their order of operations, so the
    /// value agrees to the last bit). Feed it `TokenInterner.spaceSplitTokens`, their tokenisation. c = 0
    /// (impossible with that tokenisation, an error in their code) gives 0.
    public static func corpusNMT(_ stats: [PairStatistics], maxOrder: Int = 4) -> BLEUScore {
        precondition((1...4).contains(maxOrder), "BLEU order \(maxOrder) not in 1…4")
        var matches = SIMD4<Int>(), possible = SIMD4<Int>()
        var c = 0, r = 0
        for s in stats {
            matches &+= s.matches
            possible &+= s.hypothesisTotal
            c += s.hypothesisLength
            r += s.referenceLength
        }
        let p = (0..<maxOrder).map { possible[$0] > 0 ? Double(matches[$0]) / Double(possible[$0]) : 0 }
        var geoMean = 0.0
        if p.min()! > 0 {
            var logSum = 0.0
            for pn in p { logSum += (1.0 / Double(maxOrder)) * log(pn) }
            geoMean = exp(logSum)
        }
        let ratio = r > 0 ? Double(c) / Double(r) : .infinity
        let bp = ratio > 1 ? 1 : (c == 0 ? 0 : exp(1 - 1 / ratio))
        return BLEUScore(score: geoMean * bp, precisions: p, brevityPenalty: bp, hypothesisLength: c, referenceLength: r)
    }

    /// NLTK's brevity penalty (also sacrebleu's): 1 if c > r, 0 if c = 0, else exp(1 − r/c).
    @inline(__always)
    public static func brevityPenalty(c: Int, r: Int) -> Double {
        c > r ? 1 : (c == 0 ? 0 : exp(1 - Double(r) / Double(c)))
    }

    /// Sentence BLEU-N as NLTK 3.10 `sentence_bleu(..., smoothing_function=SmoothingFunction().method1)`
    /// from the clipped counts, hypothesis length and closest reference length: 0 when no unigram matches
    /// (also for an empty hypothesis); p_n = m_n / max(1, #h_n), or 0.1 / max(1, #h_n) when m_n = 0.
    @inline(__always)
    static func sentenceNLTKMethod1(matches: SIMD4<Int>, hypothesisTotal: SIMD4<Int>, hypothesisLength: Int,
                                    referenceLength: Int, maxOrder: Int) -> Double {
        guard matches[0] > 0 else { return 0 }
        var s = 0.0
        for n in 0..<maxOrder {
            let den = Double(Swift.max(1, hypothesisTotal[n]))
            s += log(matches[n] > 0 ? Double(matches[n]) / den : 0.1 / den)
        }
        return brevityPenalty(c: hypothesisLength, r: referenceLength) * exp(s / Double(maxOrder))
    }

    /// Sentence BLEU-N with NLTK smoothing method 1 of one pair.
    public static func sentenceNLTKMethod1(_ s: PairStatistics, maxOrder: Int = 4) -> Double {
        precondition((1...4).contains(maxOrder), "BLEU order \(maxOrder) not in 1…4")
        return sentenceNLTKMethod1(matches: s.matches, hypothesisTotal: s.hypothesisTotal,
                                   hypothesisLength: s.hypothesisLength, referenceLength: s.referenceLength,
                                   maxOrder: maxOrder)
    }

    /// Mean over pairs of sentence BLEU-N with NLTK smoothing method 1; nil for no pairs.
    public static func meanSentenceNLTKMethod1(_ stats: [PairStatistics], maxOrder: Int = 4) -> Double? {
        guard !stats.isEmpty else { return nil }
        return stats.reduce(0) { $0 + sentenceNLTKMethod1($1, maxOrder: maxOrder) } / Double(stats.count)
    }
}
