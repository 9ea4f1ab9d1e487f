/// A word ↔ id mapping with four fixed special tokens: `<pad>` = 0, `<unk>` = 1, `<bos>` = 2, `<eos>` = 3,
/// then words by descending training count, ties broken by the words' UTF-8 byte order, so the same training
/// text always gives the same ids.
///
/// A literal `<unk>` in the text (Penn Treebank writes rare words that way) maps to id 1. The other special
/// spellings (`<pad>`, `<bos>`, `<eos>`) appearing literally in text are never given their special ids (a
/// literal `<pad>` must not be masked out): they are not counted and encode to `<unk>`.
public struct Vocabulary: Codable, Equatable, Sendable {
    public static let pad: Int32 = 0
    public static let unk: Int32 = 1
    public static let bos: Int32 = 2
    public static let eos: Int32 = 3
    /// The special tokens in id order.
    public static let specialTokens = ["<pad>", "<unk>", "<bos>", "<eos>"]

    /// `words[id]` is the word with that id; the first four are `specialTokens`.
    public let words: [String]
    private let ids: [String: Int32]

    /// The number of ids, specials included.
    public var count: Int { words.count }

    /// Builds a vocabulary from tokenized training sentences.
    ///
    /// - Parameters:
    ///   - maxSize: the largest number of ids IN TOTAL, the four specials included (nil: no limit). Values
    ///     below 4 are treated as 4 (specials only). The least frequent words are dropped first.
    ///   - minCount: words seen fewer times than this are left out (they encode to `<unk>`). Values below 1
    ///     are treated as 1.
    public init<Sentences: Sequence>(counting sentences: Sentences, maxSize: Int? = nil, minCount: Int = 1)
    where Sentences.Element: Sequence, Sentences.Element.Element == String {
        var counts: [String: Int] = [:]
        for sentence in sentences {
            for token in sentence where !Self.specialTokens.contains(token) {
                counts[token, default: 0] += 1
            }
        }
        let threshold = max(1, minCount)
        var ranked = counts.filter { $0.value >= threshold }.map { (word: $0.key, count: $0.value) }
        ranked.sort { a, b in
            a.count != b.count ? a.count > b.count : a.word.utf8.lexicographicallyPrecedes(b.word.utf8)
        }
        var words = Self.specialTokens
        let room = maxSize.map { max(0, $0 - words.count) } ?? ranked.count
        words.append(contentsOf: ranked.prefix(room).map(\.word))
        self.words = words
        self.ids = Self.index(words)
    }

    /// Restores a vocabulary from its word list (for example one stored with a run).
    /// - Throws: `CorpusError.invalidVocabulary` if the list does not start with the four specials in order or
    ///   repeats a word.
    public init(words: [String]) throws {
        guard Array(words.prefix(4)) == Self.specialTokens else {
            throw CorpusError.invalidVocabulary(
                "the first four words must be \(Self.specialTokens.joined(separator: " ")), got \(words.prefix(4))")
        }
        guard Set(words).count == words.count else {
            throw CorpusError.invalidVocabulary("a word appears twice among \(words.count) words")
        }
        self.words = words
        self.ids = Self.index(words)
    }

    private static func index(_ words: [String]) -> [String: Int32] {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(words.count)
        for (i, w) in words.enumerated() where ids[w] == nil { ids[w] = Int32(i) }
        // Only <unk> keeps its special id when read from text.
        ids["<pad>"] = nil
        ids["<bos>"] = nil
        ids["<eos>"] = nil
        return ids
    }

    /// The id of `word`; `<unk>` (1) for a word not in the vocabulary and for the literal specials other
    /// than `<unk>`.
    public func id(of word: String) -> Int32 { ids[word] ?? Self.unk }

    /// Whether `word` has its own id (the literal `<unk>` counts as known).
    public func contains(_ word: String) -> Bool { ids[word] != nil }

    /// The word with id `id`; `"<unk>"` for an id out of range.
    public func word(for id: Int32) -> String {
        id >= 0 && Int(id) < words.count ? words[Int(id)] : Self.specialTokens[Int(Self.unk)]
    }

    /// Word ids of `tokens` (no <bos>/<eos> added).
    public func encode<Tokens: Sequence>(_ tokens: Tokens) -> [Int32] where Tokens.Element == String {
        tokens.map { id(of: $0) }
    }

    /// Words of `ids`, specials included as their spelling.
    public func decode(_ ids: [Int32]) -> [String] { ids.map { word(for: $0) } }

    /// `decode(ids)` joined by single spaces.
    public func sentence(_ ids: [Int32]) -> String { decode(ids).joined(separator: " ") }

    // Codable: only the word list is stored.
    private enum CodingKeys: String, CodingKey { case words }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(words: container.decode([String].self, forKey: .words))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(words, forKey: .words)
    }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool { lhs.words == rhs.words }
}
