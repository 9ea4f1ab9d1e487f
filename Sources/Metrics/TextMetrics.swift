/// All text metrics of a set of (reference, hypothesis) pairs, by source-length bucket, as labelled values.
public enum TextMetrics {
    /// Reconstruction metrics of hypotheses against their references (sources), from raw text: whitespace
    /// tokens for BLEU and the set ROUGE, rouge-score's tokenizer for the rouge-score ROUGE.
    /// Per bucket (≤10, 11–20, 21–30, >30 source tokens, and all), in this order: BLEU-2/4 and ROUGE-2/4 exactly
    /// as Prokhorov et al. 2019's code (tensorflow/nmt BLEU, their rouge.py), BLEU-2/4 corpus unsmoothed,
    /// BLEU-2/4 corpus sacrebleu, BLEU-2/4 sentence mean NLTK-1, ROUGE-2/4 set, ROUGE-L whitespace,
    /// ROUGE-2/4/L rouge-score. Empty buckets are omitted.
    public static func reconstruction(references: [String], hypotheses: [String]) -> [MetricValue] {
        precondition(references.count == hypotheses.count,
                     "\(references.count) references for \(hypotheses.count) hypotheses")
        var interner = TokenInterner()
        let wr = references.map { interner.whitespaceTokens($0) }
        let wh = hypotheses.map { interner.whitespaceTokens($0) }
        let rr = references.map { interner.rougeScoreTokens($0) }
        let rh = hypotheses.map { interner.rougeScoreTokens($0) }
        let sr = references.map { interner.spaceSplitTokens($0) }
        let sh = hypotheses.map { interner.spaceSplitTokens($0) }
        return reconstruction(whitespaceReferences: wr, whitespaceHypotheses: wh,
                              rougeScoreReferences: rr, rougeScoreHypotheses: rh,
                              spaceSplitReferences: sr, spaceSplitHypotheses: sh)
    }

    /// The same from token ids of a vocabulary (`words[id]`), as the run store keeps sentences: rouge-score
    /// tokens are derived per word once (the tokenisation of words joined by spaces is the concatenation of
    /// the words' tokenisations). Ids outside `words` are treated as distinct unknown words.
    public static func reconstruction(references: [[Int32]], hypotheses: [[Int32]], words: [String])
        -> [MetricValue] {
        precondition(references.count == hypotheses.count,
                     "\(references.count) references for \(hypotheses.count) hypotheses")
        var interner = TokenInterner()
        let perWord = words.map { interner.rougeScoreTokens($0) }
        func rouge(_ s: [Int32]) -> [Int32] {
            s.flatMap { id in
                id >= 0 && Int(id) < perWord.count ? perWord[Int(id)] : [interner.id("\u{0}unknown-id-\(id)")]
            }
        }
        // Words joined by single spaces and split at ' ' give the words back; an empty sentence gives [""], a
        // token no vocabulary id stands for.
        let empty = Int32.max
        func spaceSplit(_ s: [Int32]) -> [Int32] { s.isEmpty ? [empty] : s }
        return reconstruction(whitespaceReferences: references, whitespaceHypotheses: hypotheses,
                              rougeScoreReferences: references.map(rouge), rougeScoreHypotheses: hypotheses.map(rouge),
                              spaceSplitReferences: references.map(spaceSplit), spaceSplitHypotheses: hypotheses.map(spaceSplit))
    }

    /// The same from the three tokenisations already interned.
    public static func reconstruction(whitespaceReferences wr: [[Int32]], whitespaceHypotheses wh: [[Int32]],
                                      rougeScoreReferences rr: [[Int32]], rougeScoreHypotheses rh: [[Int32]],
                                      spaceSplitReferences sr: [[Int32]], spaceSplitHypotheses sh: [[Int32]])
        -> [MetricValue] {
        let n = wr.count
        precondition(wh.count == n && rr.count == n && rh.count == n && sr.count == n && sh.count == n,
                     "reconstruction: pair counts differ")
        let ws = PairStatistics.of(hypotheses: wh, references: wr)
        let ss = PairStatistics.of(hypotheses: sh, references: sr)
        let rs = PairStatistics.of(hypotheses: rh, references: rr)
        var row: [Int32] = []
        let lcsW = (0..<n).map { ROUGE.lcsF1(wh[$0], wr[$0], row: &row) }
        let lcsR = (0..<n).map { ROUGE.lcsF1(rh[$0], rr[$0], row: &row) }
        var members = [SourceLengthBucket: [Int]]()
        for i in 0..<n { members[SourceLengthBucket(length: wr[i].count), default: []].append(i) }
        members[.all] = Array(0..<n)

        var out: [MetricValue] = []
        for bucket in SourceLengthBucket.allCases {
            guard let idx = members[bucket], !idx.isEmpty else { continue }
            let w = idx.map { ws[$0] }
            let count = idx.count
            func add(_ name: String, _ v: Variant, _ value: Double?) {
                out.append(MetricValue(name: name, variant: v, bucket: bucket, value: value, count: count))
            }
            func mean(_ f: (Int) -> Double) -> Double { idx.reduce(0) { $0 + f($1) } / Double(count) }
            let s = idx.map { ss[$0] }
            for order in [2, 4] {
                add("BLEU-\(order)", .bleuCorpusProkhorov(order), BLEU.corpusNMT(s, maxOrder: order).score)
            }
            for order in [2, 4] {
                add("ROUGE-\(order) F1", .rougeNProkhorov(order), mean { ROUGE.nSetF1Prokhorov(ss[$0], n: order) })
            }
            for order in [2, 4] {
                add("BLEU-\(order)", .bleuCorpusUnsmoothed(order), BLEU.corpusUnsmoothed(w, maxOrder: order).score)
            }
            for order in [2, 4] {
                add("BLEU-\(order)", .bleuCorpusSacreBLEU(order), BLEU.corpusSacreBLEU(w, maxOrder: order).score)
            }
            for order in [2, 4] {
                add("BLEU-\(order)", .bleuSentenceMeanNLTK1(order), BLEU.meanSentenceNLTKMethod1(w, maxOrder: order))
            }
            for order in [2, 4] { add("ROUGE-\(order) F1", .rougeNSet(order), mean { ROUGE.nSetF1(ws[$0], n: order) }) }
            add("ROUGE-L F1", .rougeLWhitespace, mean { lcsW[$0] })
            for order in [2, 4] {
                add("ROUGE-\(order) F1", .rougeNScore(order), mean { ROUGE.nScoreF1(rs[$0], n: order) })
            }
            add("ROUGE-L F1", .rougeLScore, mean { lcsR[$0] })
        }
        return out
    }

    /// Generation metrics: Self-BLEU-4 (Texygen) and corpus statistics (vocabulary size, %<unk>, mean length).
    public static func generation(_ sentences: [[Int32]], unknownID: Int32 = 1) -> [MetricValue] {
        let stats = CorpusStatistics(sentences, unknownID: unknownID)
        let n = sentences.count
        let selfBLEU = BLEU.selfBLEU(sentences, maxOrder: 4)
        return [
            MetricValue(name: "Self-BLEU-4", variant: .selfBLEU(4), value: selfBLEU,
                        note: selfBLEU == nil ? "needs at least 2 sentences" : nil, count: n),
            MetricValue(name: "Vocabulary", variant: .vocabularySize, value: Double(stats.vocabularySize), count: n),
            MetricValue(name: "%<unk>", variant: .unknownPercent, value: stats.unknownPercent, count: n),
            MetricValue(name: "Mean length", variant: .meanLength, value: stats.meanLength, count: n),
        ]
    }
}
