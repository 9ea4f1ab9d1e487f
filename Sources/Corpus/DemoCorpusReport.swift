/// What `vaescope corpus` made, as printed at the end of the command.
public struct DemoCorpusReport: Sendable, CustomStringConvertible {
    public var directory: String
    public var options: DemoCorpusOptions
    public var sources: [DemoSourceStatistics]
    /// Sentences left out by `maxSentences`.
    public var droppedByLimit: Int
    /// Per split: sentences, tokens, tokens out of the training vocabulary, length buckets.
    public var splits: [Split: SplitStatistics]
    /// Distinct training words (specials excluded).
    public var vocabularySize: Int
    /// Distinct training words seen at least twice.
    public var wordsSeenTwice: Int
    public var contentHashHex: String

    init(directory: String, options: DemoCorpusOptions, sources: [DemoSourceStatistics], droppedByLimit: Int,
         corpus: Corpus) {
        self.directory = directory
        self.options = options
        self.sources = sources
        self.droppedByLimit = droppedByLimit
        self.splits = corpus.statistics
        self.vocabularySize = corpus.vocabulary.count - Vocabulary.specialTokens.count
        var counts = [Int](repeating: 0, count: corpus.vocabulary.count)
        for sentence in corpus.train { for id in sentence { counts[Int(id)] += 1 } }
        self.wordsSeenTwice = counts.dropFirst(Vocabulary.specialTokens.count).count { $0 >= 2 }
        self.contentHashHex = corpus.contentHashHex
    }

    public var description: String {
        var lines: [String] = []
        lines.append("corpus written to \(directory) (content hash \(contentHashHex), seed \(options.seed))")
        for s in sources {
            let rejected = s.rejected.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                .joined(separator: ", ")
            lines.append("  \(s.source.rawValue) (\(s.source.package), \(s.files) files): \(s.candidates) candidates, "
                + "\(s.kept) kept, \(s.duplicates) duplicates; rejected: \(rejected.isEmpty ? "none" : rejected)")
        }
        if droppedByLimit > 0 {
            lines.append("  \(droppedByLimit) sentences left out by --max-sentences \(options.maxSentences ?? 0)")
        }
        let bucketHeader = LengthBucket.allCases.map { pad($0.label, 7) }.joined()
        lines.append("  split    sentences     tokens  mean len  unk tokens  " + bucketHeader)
        for split in Split.allCases {
            guard let s = splits[split] else { continue }
            let mean = s.sentences > 0 ? Double(s.tokens) / Double(s.sentences) : 0
            let buckets = s.lengthBuckets.map { pad(String($0), 7) }.joined()
            lines.append("  " + split.rawValue.padding(5) + pad(String(s.sentences), 12) + pad(String(s.tokens), 11)
                + pad(String(format1(mean)), 10) + pad(String(s.unknownTokens), 12) + "  " + buckets)
        }
        lines.append("  vocabulary (train): \(vocabularySize) words, \(wordsSeenTwice) seen at least twice "
            + "(+ 4 specials)")
        return lines.joined(separator: "\n")
    }

    private func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }

    private func format1(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
