import Foundation

/// Where the demo corpus's sentences come from: Debian packages, so a fresh machine needs only apt.
public enum DemoSource: String, CaseIterable, Codable, Sendable {
    /// Example sentences in WordNet 3.0's glosses (package `wordnet-base`, WordNet 3.0 licence).
    case wordnet
    /// Fortune-cookie files (packages `fortunes`, `fortunes-min`, BSD licence), split into sentences.
    case fortunes

    /// The Debian package that provides the source files.
    public var package: String {
        switch self {
        case .wordnet: return "wordnet-base"
        case .fortunes: return "fortunes"
        }
    }
}

/// How the demo corpus is made (`vaescope corpus`).
public struct DemoCorpusOptions: Codable, Equatable, Sendable {
    public var sources: [DemoSource] = DemoSource.allCases
    /// Longest sentence kept, in tokens (punctuation included).
    public var maxLength: Int = 30
    /// Shortest sentence kept, in tokens (punctuation included).
    public var minLength: Int = 4
    /// Keep at most this many sentences (a hash-chosen, seed-dependent subset); nil keeps all.
    public var maxSentences: Int?
    public var validFraction: Double = 0.05
    public var testFraction: Double = 0.05
    /// Changes which sentences go to which split and which are kept under `maxSentences`.
    public var seed: UInt64 = 0
    public var fortuneDirectory: String = "/usr/share/games/fortunes"
    public var wordnetDirectory: String = "/usr/share/wordnet"

    public init() {}

    /// - Throws: `CorpusError.invalidOption` for fractions outside [0, 1) or summing to 1 or more, lengths
    ///   below 1 or in the wrong order, a non-positive sentence limit, or no source.
    public func validate() throws {
        func fail(_ s: String) -> CorpusError { .invalidOption(s) }
        guard !sources.isEmpty else { throw fail("no demo source selected (use wordnet, fortunes)") }
        guard (0..<1).contains(validFraction), (0..<1).contains(testFraction), validFraction + testFraction < 1
        else { throw fail("valid and test fractions must be in [0, 1) and sum to less than 1") }
        guard minLength >= 1, maxLength >= minLength else {
            throw fail("lengths must satisfy 1 ≤ min length (\(minLength)) ≤ max length (\(maxLength))")
        }
        if let n = maxSentences, n < 1 { throw fail("max sentences must be at least 1, got \(n)") }
    }
}

/// What one source contributed.
public struct DemoSourceStatistics: Codable, Equatable, Sendable {
    public var source: DemoSource
    public var files: Int = 0
    /// Candidate sentences extracted before filtering.
    public var candidates: Int = 0
    /// Sentences kept (after filters and de-duplication).
    public var kept: Int = 0
    public var duplicates: Int = 0
    /// Rejected candidates by reason (`SentenceCleaner.Rejection` raw values).
    public var rejected: [String: Int] = [:]

    public init(source: DemoSource) { self.source = source }
}

/// Pure pipeline of the demo corpus: candidate texts → cleaned token lines → de-duplicated → split.
public enum DemoCorpus {
    /// Cleans and tokenizes one candidate text (normalize, strip a leading ellipsis, collapse `!!!`/`?!`,
    /// reject by `SentenceCleaner.rejection`, tokenize, check the length); returns the space-joined tokens or why it was rejected.
    public static func clean(_ text: String, minLength: Int, maxLength: Int)
        -> Result<String, SentenceCleaner.Rejection> {
        let normalized = SentenceCleaner.collapseRepeatedMarks(
            SentenceCleaner.stripLeadingEllipsis(SentenceCleaner.normalize(text)))
        if let rejection = SentenceCleaner.rejection(of: normalized) { return .failure(rejection) }
        let tokens = Tokenizer.tokenize(normalized)
        if tokens.count < minLength { return .failure(.tooShort) }
        if tokens.count > maxLength { return .failure(.tooLong) }
        return .success(tokens.joined(separator: " "))
    }

    /// A uniform number in [0, 1) from FNV-1a 64 of `salt`, the seed's 8 little-endian bytes, a 0 byte and
    /// the sentence: it depends only on the sentence and the seed, so adding or removing other sentences never
    /// moves a sentence to another split.
    public static func unitHash(_ sentence: String, seed: UInt64, salt: String) -> Double {
        var h = FNV1a64()
        h.update(salt)
        withUnsafeBytes(of: seed.littleEndian) { h.update($0) }
        h.update(CollectionOfOne(0))
        h.update(sentence)
        return Double(h.value >> 11) * 0x1p-53
    }

    /// The split of a sentence: valid if u < validFraction, test if u < validFraction + testFraction, else
    /// train, with u = `unitHash(sentence, seed, "split")`.
    public static func split(of sentence: String, seed: UInt64, validFraction: Double, testFraction: Double)
        -> Split {
        let u = unitHash(sentence, seed: seed, salt: "split")
        if u < validFraction { return .valid }
        if u < validFraction + testFraction { return .test }
        return .train
    }

    /// Cleans, de-duplicates (first occurrence wins, sources in `options.sources` order), optionally keeps the
    /// `maxSentences` sentences of smallest `unitHash(…, "select")`, and splits. Each split is ordered by that
    /// same hash, which interleaves the sources.
    public static func assemble(candidates: [(DemoSource, [String])], options: DemoCorpusOptions)
        -> (splits: [Split: [String]], sources: [DemoSourceStatistics], droppedByLimit: Int) {
        var seen = Set<String>()
        var kept: [String] = []
        var statistics: [DemoSourceStatistics] = []
        for (source, texts) in candidates {
            var stats = DemoSourceStatistics(source: source)
            stats.candidates = texts.count
            for text in texts {
                switch clean(text, minLength: options.minLength, maxLength: options.maxLength) {
                case .failure(let why):
                    stats.rejected[why.rawValue, default: 0] += 1
                case .success(let line):
                    if seen.insert(line).inserted {
                        kept.append(line)
                        stats.kept += 1
                    } else {
                        stats.duplicates += 1
                    }
                }
            }
            statistics.append(stats)
        }
        var ranked = kept.map { (line: $0, key: unitHash($0, seed: options.seed, salt: "select")) }
        ranked.sort { $0.key != $1.key ? $0.key < $1.key : $0.line.utf8.lexicographicallyPrecedes($1.line.utf8) }
        var dropped = 0
        if let limit = options.maxSentences, ranked.count > limit {
            dropped = ranked.count - limit
            ranked.removeLast(dropped)
        }
        var splits: [Split: [String]] = [.train: [], .valid: [], .test: []]
        for (line, _) in ranked {
            let s = split(of: line, seed: options.seed, validFraction: options.validFraction,
                          testFraction: options.testFraction)
            splits[s, default: []].append(line)
        }
        return (splits, statistics, dropped)
    }
}
