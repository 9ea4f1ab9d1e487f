/// The three parts of a corpus.
public enum Split: String, CaseIterable, Codable, Sendable {
    case train, valid, test

    /// File names accepted for this split, in the order they are tried: `train.txt`, then Penn Treebank's
    /// `ptb.train.txt`.
    public var fileNames: [String] { ["\(rawValue).txt", "ptb.\(rawValue).txt"] }
}

/// What to do with a line that has more tokens than the maximum length.
public enum LongLinePolicy: String, Codable, Sendable {
    /// Stop with `CorpusError.lineTooLong` naming the file and line.
    case error
    /// Leave the line out and count it in `SplitStatistics.skippedTooLong`.
    case skip
}

/// How a corpus directory is read.
public struct CorpusOptions: Codable, Equatable, Sendable {
    /// The most ids in the vocabulary, the four specials included; nil for no limit.
    public var maxVocabularySize: Int?
    /// Training words seen fewer times are `<unk>`.
    public var minCount: Int
    /// The most tokens in a sentence (without <bos>/<eos>); nil for no limit.
    public var maxLength: Int?
    /// What happens to a line longer than `maxLength`. Training usually filters (`.skip`), as Bowman et al.
    /// and Long et al. do when they cap sentence length.
    public var longLines: LongLinePolicy
    /// Blank lines are ignored and counted (true) or are an empty sentence (false).
    public var skipEmptyLines: Bool

    public init(maxVocabularySize: Int? = nil, minCount: Int = 1, maxLength: Int? = nil,
                longLines: LongLinePolicy = .skip, skipEmptyLines: Bool = true) {
        self.maxVocabularySize = maxVocabularySize
        self.minCount = minCount
        self.maxLength = maxLength
        self.longLines = longLines
        self.skipEmptyLines = skipEmptyLines
    }
}

/// What reading one split found.
public struct SplitStatistics: Codable, Equatable, Sendable {
    public var path: String
    /// Sentences kept.
    public var sentences: Int = 0
    /// Tokens in the kept sentences (without <bos>/<eos>).
    public var tokens: Int = 0
    /// Kept tokens that encode to `<unk>` (literal `<unk>` included).
    public var unknownTokens: Int = 0
    /// Lines left out because they were longer than the maximum length.
    public var skippedTooLong: Int = 0
    /// Blank lines left out.
    public var skippedEmpty: Int = 0
    /// Kept sentences per `LengthBucket`, in `allCases` order.
    public var lengthBuckets: [Int] = []

    public init(path: String) { self.path = path }
}
