/// ROUGE F1 (Lin 2004) of one pair, F = 2PR / (P + R), 0 when P + R = 0.
public enum ROUGE {
    @inline(__always)
    static func f1(_ p: Double, _ r: Double) -> Double { p + r > 0 ? 2 * p * r / (p + r) : 0 }

    /// ROUGE-N F1 exactly as Prokhorov et al. 2019's `rouge.py` `rouge_n([rec], [gold], n)` (from tf_seq2seq):
    /// P and R over the sets of distinct n-grams (0 when a set is empty) and F = 2·((P·R)/(P + R + 1e-8)), in
    /// their order of operations. Feed it `TokenInterner.spaceSplitTokens`, their tokenisation.
    public static func nSetF1Prokhorov(_ s: PairStatistics, n: Int) -> Double {
        precondition((1...4).contains(n), "ROUGE order \(n) not in 1…4")
        let common = Double(s.distinctCommon[n - 1])
        let p = s.distinctHypothesis[n - 1] > 0 ? common / Double(s.distinctHypothesis[n - 1]) : 0
        let r = s.distinctReference[n - 1] > 0 ? common / Double(s.distinctReference[n - 1]) : 0
        return 2.0 * ((p * r) / (p + r + 1e-8))
    }

    /// ROUGE-N F1 with n-grams as sets (the definition of Prokhorov et al. 2019's tables, without their 1e-8):
    /// P = |H ∩ R| / |H|, R = |H ∩ R| / |R| over the sets of distinct n-grams; P (R) is 0 when H (R) is empty.
    public static func nSetF1(_ s: PairStatistics, n: Int) -> Double {
        precondition((1...4).contains(n), "ROUGE order \(n) not in 1…4")
        let common = Double(s.distinctCommon[n - 1])
        let p = s.distinctHypothesis[n - 1] > 0 ? common / Double(s.distinctHypothesis[n - 1]) : 0
        let r = s.distinctReference[n - 1] > 0 ? common / Double(s.distinctReference[n - 1]) : 0
        return f1(p, r)
    }

    /// ROUGE-N F1 as Google's rouge-score 0.1.2 (`_score_ngrams`): multiset overlap Σ_g min(c_h, c_r),
    /// P = overlap / max(#h_n, 1), R = overlap / max(#r_n, 1). Feed it pairs of rouge-score tokens.
    public static func nScoreF1(_ s: PairStatistics, n: Int) -> Double {
        precondition((1...4).contains(n), "ROUGE order \(n) not in 1…4")
        let o = Double(s.matches[n - 1])
        return f1(o / Double(Swift.max(s.hypothesisTotal[n - 1], 1)), o / Double(Swift.max(s.referenceTotal[n - 1], 1)))
    }

    /// ROUGE-L F1 (rouge-score `_score_lcs`): LCS length l, P = l / |h|, R = l / |r|; 0 when either is empty.
    public static func lcsF1(hypothesis h: [Int32], reference r: [Int32]) -> Double {
        var row: [Int32] = []
        return lcsF1(h, r, row: &row)
    }

    @inline(__always)
    static func lcsF1(_ h: [Int32], _ r: [Int32], row: inout [Int32]) -> Double {
        guard !h.isEmpty, !r.isEmpty else { return 0 }
        let l = Double(longestCommonSubsequence(r, h, row: &row))
        return f1(l / Double(h.count), l / Double(r.count))
    }
}
