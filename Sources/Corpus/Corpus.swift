import Foundation

/// A corpus read from a directory: `train.txt`, `valid.txt`, `test.txt` (or Penn Treebank's `ptb.train.txt`,
/// `ptb.valid.txt`, `ptb.test.txt`), one sentence per line, tokens separated by spaces or tabs. The
/// vocabulary is built from the training split; sentences are encoded WITHOUT <bos>/<eos> and unpadded.
public struct Corpus: Sendable {
    /// The directory's last path component (e.g. "ptb").
    public let name: String
    public let directory: String
    /// FNV-1a 64 over, for train, valid, test in that order: the split name's UTF-8 bytes, a 0 byte, the
    /// file's bytes, a 0 byte. Identifies the corpus contents (not its file names) in the run store.
    public let contentHash: UInt64
    public let options: CorpusOptions
    public let vocabulary: Vocabulary
    public let train: [[Int32]]
    public let valid: [[Int32]]
    public let test: [[Int32]]
    public let statistics: [Split: SplitStatistics]

    /// `contentHash` as 16 lower-case hexadecimal digits.
    public var contentHashHex: String { FNV1a64.hex(contentHash) }

    public func sentences(_ split: Split) -> [[Int32]] {
        switch split {
        case .train: return train
        case .valid: return valid
        case .test: return test
        }
    }

    /// The path of `split`'s file in `directory`, trying `split.fileNames` in order.
    /// - Throws: `CorpusError.missingSplit` naming the paths tried.
    public static func splitPath(directory: String, split: Split) throws -> String {
        let base = URL(fileURLWithPath: directory)
        let candidates = split.fileNames.map { base.appendingPathComponent($0).path }
        var isDirectory: ObjCBool = false
        for path in candidates where FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { return path }
        }
        throw CorpusError.missingSplit(directory: directory, split: split.rawValue, tried: candidates)
    }

    /// Reads the three splits, builds the vocabulary from the kept training sentences (after the length
    /// filter) unless `vocabulary` is given (e.g. a trained run's, for evaluation or resuming), and encodes
    /// every split with it.
    /// - Throws: `CorpusError` for a missing split, an unreadable or empty file, or (with
    ///   `options.longLines == .error`) a line longer than `options.maxLength`.
    public static func load(directory: String, options: CorpusOptions = CorpusOptions(),
                            vocabulary given: Vocabulary? = nil) throws -> Corpus {
        if let maxLength = options.maxLength, maxLength < 1 {
            throw CorpusError.invalidOption("maximum length must be at least 1, got \(maxLength)")
        }
        var hash = FNV1a64()
        var tokenized: [Split: [[String]]] = [:]
        var statistics: [Split: SplitStatistics] = [:]
        for split in Split.allCases {
            let path = try splitPath(directory: directory, split: split)
            let bytes = try readBytes(path)
            hash.update(split.rawValue.utf8)
            hash.update(CollectionOfOne(0))
            hash.update(bytes)
            hash.update(CollectionOfOne(0))
            var stats = SplitStatistics(path: path)
            tokenized[split] = try tokenizeLines(bytes, path: path, options: options, statistics: &stats)
            statistics[split] = stats
        }
        let vocabulary = given ?? Vocabulary(counting: tokenized[.train] ?? [],
                                             maxSize: options.maxVocabularySize, minCount: options.minCount)
        var encoded: [Split: [[Int32]]] = [:]
        for split in Split.allCases {
            let sentences = (tokenized[split] ?? []).map { vocabulary.encode($0) }
            statistics[split]?.unknownTokens = sentences.reduce(0) { n, s in n + s.count { $0 == Vocabulary.unk } }
            statistics[split]?.lengthBuckets = LengthBucket.counts(sentences)
            encoded[split] = sentences
        }
        let name = URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
        return Corpus(name: name, directory: directory, contentHash: hash.value, options: options,
                      vocabulary: vocabulary, train: encoded[.train] ?? [], valid: encoded[.valid] ?? [],
                      test: encoded[.test] ?? [], statistics: statistics)
    }

    static func readBytes(_ path: String) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw CorpusError.unreadable(path: path, reason: error.localizedDescription)
        }
    }

    /// Splits `bytes` into lines (LF, with an optional CR before it) and lines into tokens (spaces and tabs),
    /// applying the blank-line and long-line policies.
    static func tokenizeLines(_ bytes: [UInt8], path: String, options: CorpusOptions,
                              statistics: inout SplitStatistics) throws -> [[String]] {
        var sentences: [[String]] = []
        var lineNumber = 0
        var lineStart = 0
        var index = 0
        while lineStart < bytes.count {
            while index < bytes.count && bytes[index] != 10 { index += 1 }
            lineNumber += 1
            let tokens = try splitTokens(bytes[lineStart..<index], path: path, line: lineNumber)
            lineStart = index + 1
            index = lineStart
            if tokens.isEmpty && options.skipEmptyLines {
                statistics.skippedEmpty += 1
                continue
            }
            if let maxLength = options.maxLength, tokens.count > maxLength {
                if options.longLines == .error {
                    throw CorpusError.lineTooLong(path: path, line: lineNumber, length: tokens.count,
                                                  maxLength: maxLength)
                }
                statistics.skippedTooLong += 1
                continue
            }
            statistics.sentences += 1
            statistics.tokens += tokens.count
            sentences.append(tokens)
        }
        if sentences.isEmpty { throw CorpusError.emptyFile(path: path) }
        return sentences
    }

    private static func splitTokens(_ line: ArraySlice<UInt8>, path: String, line number: Int) throws -> [String] {
        var tokens: [String] = []
        var start: Int? = nil
        for i in line.indices {
            let b = line[i]
            let isSpace = b == 32 || b == 9 || b == 13 || b == 11 || b == 12
            if isSpace {
                if let s = start { tokens.append(try decode(line[s..<i], path: path, line: number)) }
                start = nil
            } else if start == nil {
                start = i
            }
        }
        if let s = start { tokens.append(try decode(line[s..<line.endIndex], path: path, line: number)) }
        return tokens
    }

    private static func decode(_ bytes: ArraySlice<UInt8>, path: String, line: Int) throws -> String {
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw CorpusError.unreadable(path: path, reason: "line \(line) is not valid UTF-8")
        }
        return s
    }
}
