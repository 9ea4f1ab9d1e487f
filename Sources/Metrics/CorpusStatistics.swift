/// Statistics of a set of sentences (generations or a split): counts of token ids.
public struct CorpusStatistics: Codable, Hashable, Sendable {
    public var sentences: Int
    public var tokens: Int
    /// Distinct token ids used (the unknown id counts as one type when present).
    public var vocabularySize: Int
    /// 100 × (tokens equal to `unknownID`) / tokens; 0 when there are no tokens.
    public var unknownPercent: Double
    /// Tokens per sentence; 0 when there are no sentences.
    public var meanLength: Double

    /// Statistics of `sentences`; `unknownID` is the vocabulary's `<unk>` (1 in VAEScope's Corpus).
    public init(_ sentences: [[Int32]], unknownID: Int32 = 1) {
        var seen = Set<Int32>()
        var tokens = 0, unknown = 0
        for s in sentences {
            tokens += s.count
            for t in s {
                seen.insert(t)
                if t == unknownID { unknown += 1 }
            }
        }
        self.sentences = sentences.count
        self.tokens = tokens
        self.vocabularySize = seen.count
        self.unknownPercent = tokens > 0 ? 100 * Double(unknown) / Double(tokens) : 0
        self.meanLength = sentences.isEmpty ? 0 : Double(tokens) / Double(sentences.count)
    }
}
