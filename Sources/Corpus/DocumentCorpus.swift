import Foundation

/// A long-document corpus that a fresh Debian machine can make: the paragraphs of An Anarchist FAQ (package
/// `anarchism`, GPL-2), ~100 tokens each — the length of He et al. 2019's Yahoo (79) and Yelp (96) documents,
/// on which Long et al. 2019 report that pooling prevents collapse.
///
/// Pipeline (pure functions here, file I/O in `write`): every `<p>…</p>` of the FAQ's section pages
/// (`secA1.html` … `secJ7.html`, label = the section letter) and appendices (`append*.html`, label `appendix`)
/// → tags removed, the few entities decoded, typographic characters replaced (`SentenceCleaner.normalize`),
/// diacritics folded → rejected if non-ASCII remains or if shorter than `minLength` / longer than `maxLength`
/// tokens → tokenized (`Tokenizer`, lower case) → de-duplicated (first in file-name order wins) → ranked by
/// `DemoCorpus.unitHash(document, seed, "split")`: the first `validCount` go to valid, the next `testCount` to
/// test, the rest to train; each split is written in that order, with a `.labels` file beside it.
public struct DocumentCorpusOptions: Codable, Equatable, Sendable {
    /// The FAQ's HTML directory (package `anarchism`).
    public var directory = "/usr/share/doc/anarchism/html"
    /// Shortest document kept, in tokens (punctuation included); drops headings' anchors and one-line remarks.
    public var minLength = 20
    /// Longest document kept, in tokens (issue 13: up to 250).
    public var maxLength = 250
    /// Documents in valid.txt and test.txt (He et al. 2019's Yahoo: 10k / 10k of 120k; ours is ~15k in all).
    public var validCount = 750
    public var testCount = 750
    /// Changes which documents go to which split.
    public var seed: UInt64 = 0

    public init() {}

    public static let package = "anarchism"

    public func validate() throws {
        func fail(_ s: String) -> CorpusError { .invalidOption(s) }
        guard minLength >= 1, maxLength >= minLength else {
            throw fail("lengths must satisfy 1 ≤ min length (\(minLength)) ≤ max length (\(maxLength))")
        }
        guard validCount >= 0, testCount >= 0 else { throw fail("valid and test counts must be ≥ 0") }
    }
}

/// A document and its label (the FAQ section A–J, or `appendix`).
public struct LabelledDocument: Equatable, Sendable {
    public var text: String
    public var label: String
}

public enum DocumentCorpus {
    /// The label of an FAQ page from its file name: `secB3.html` → "B", `secJint.html` → "J",
    /// `append31.html` → "appendix"; other pages (index, bibliography, link lists, …) → nil (not read).
    public static func label(forFile name: String) -> String? {
        guard name.hasSuffix(".html") else { return nil }
        if name.hasPrefix("sec"), let letter = name.dropFirst(3).first, ("A"..."J").contains(letter) {
            return String(letter)
        }
        if name.hasPrefix("append") { return "appendix" }
        return nil
    }

    /// The text of every `<p …>…</p>` element in `html`, in order, with tags replaced by spaces and entities
    /// decoded (`&amp; &lt; &gt; &quot; &apos; &nbsp;` and numeric ones; any other entity is kept as written and
    /// the document is later dropped if that makes it non-ASCII, which it does not).
    public static func paragraphs(inHTML html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let open = rest.range(of: "<p", options: .caseInsensitive) {
            // "<p" must be the whole tag name (not <pre>, <param>).
            let after = rest[open.upperBound...]
            guard let next = after.first, next == ">" || next == " " || next == "\t" || next == "\n" else {
                rest = after
                continue
            }
            guard let tagEnd = after.firstIndex(of: ">") else { break }
            let body = rest[rest.index(after: tagEnd)...]
            let close = body.range(of: "</p>", options: .caseInsensitive)
            let end = close?.lowerBound ?? body.endIndex
            out.append(decodeEntities(stripTags(body[..<end])))
            rest = close.map { body[$0.upperBound...] } ?? body[body.endIndex...]
        }
        return out
    }

    /// Tags replaced by a space (so `word<br>word` stays two words).
    static func stripTags(_ s: Substring) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var inTag = false
        for c in s {
            if c == "<" { inTag = true; out.append(" "); continue }
            if c == ">" && inTag { inTag = false; continue }
            if !inTag { out.append(c) }
        }
        return out
    }

    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
    ]

    /// Decodes `&name;` for `namedEntities` and `&#N;` / `&#xH;`.
    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let name = s[s.index(after: i)..<semi]
                var decoded: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X"), let v = UInt32(name.dropFirst(2), radix: 16) {
                    decoded = Unicode.Scalar(v).map { String(Character($0)) }
                } else if name.hasPrefix("#"), let v = UInt32(name.dropFirst()) {
                    decoded = Unicode.Scalar(v).map { String(Character($0)) }
                } else {
                    decoded = namedEntities[String(name)]
                }
                if let decoded {
                    out += decoded
                    i = s.index(after: semi)
                    continue
                }
            }
            out.append(c)
            i = s.index(after: i)
        }
        return out
    }

    /// Why a paragraph was not kept.
    public enum Rejection: String, CaseIterable, Error, Sendable {
        case nonASCII = "non-ASCII"
        case tooShort = "too short"
        case tooLong = "too long"
        case duplicate = "duplicate"
    }

    /// A paragraph's space-joined tokens, or why it is rejected.
    public static func clean(_ paragraph: String, minLength: Int, maxLength: Int) -> Result<String, Rejection> {
        let folded = SentenceCleaner.normalize(paragraph)
            .folding(options: [.diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        if folded.unicodeScalars.contains(where: { !$0.isASCII }) { return .failure(.nonASCII) }
        let tokens = Tokenizer.tokenize(folded)
        if tokens.count < minLength { return .failure(.tooShort) }
        if tokens.count > maxLength { return .failure(.tooLong) }
        return .success(tokens.joined(separator: " "))
    }

    /// Cleans, de-duplicates and splits `pages` (file name, HTML), read in file-name order.
    public static func assemble(pages: [(name: String, html: String)], options: DocumentCorpusOptions)
        -> (splits: [Split: [LabelledDocument]], candidates: Int, rejected: [Rejection: Int]) {
        var seen = Set<String>()
        var kept: [LabelledDocument] = []
        var candidates = 0
        var rejected: [Rejection: Int] = [:]
        for page in pages.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
            guard let label = label(forFile: page.name) else { continue }
            for paragraph in paragraphs(inHTML: page.html) {
                candidates += 1
                switch clean(paragraph, minLength: options.minLength, maxLength: options.maxLength) {
                case .failure(let why): rejected[why, default: 0] += 1
                case .success(let text):
                    if seen.insert(text).inserted {
                        kept.append(LabelledDocument(text: text, label: label))
                    } else {
                        rejected[.duplicate, default: 0] += 1
                    }
                }
            }
        }
        var ranked = kept.map { (doc: $0, key: DemoCorpus.unitHash($0.text, seed: options.seed, salt: "split")) }
        ranked.sort { $0.key != $1.key ? $0.key < $1.key : $0.doc.text.utf8.lexicographicallyPrecedes($1.doc.text.utf8) }
        let docs = ranked.map(\.doc)
        let v = min(options.validCount, docs.count)
        let t = min(options.testCount, docs.count - v)
        let splits: [Split: [LabelledDocument]] = [
            .valid: Array(docs[0..<v]), .test: Array(docs[v..<(v + t)]), .train: Array(docs[(v + t)...]),
        ]
        return (splits, candidates, rejected)
    }

    /// Reads the FAQ's pages, assembles the corpus and writes `train.txt`, `valid.txt`, `test.txt` and
    /// `train.labels`, `valid.labels`, `test.labels` (one label per line, aligned) into `directory`.
    /// - Throws: `CorpusError.missingSource` (naming the package) when the FAQ is not installed.
    public static func write(to directory: String, options: DocumentCorpusOptions) throws -> DocumentCorpusReport {
        try options.validate()
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: options.directory)
        } catch {
            throw CorpusError.missingSource(path: options.directory, package: DocumentCorpusOptions.package)
        }
        var pages: [(name: String, html: String)] = []
        for name in names where label(forFile: name) != nil {
            let path = URL(fileURLWithPath: options.directory).appendingPathComponent(name).path
            pages.append((name, try DemoCorpus.readSource(path, package: DocumentCorpusOptions.package)))
        }
        if pages.isEmpty {
            throw CorpusError.missingSource(path: options.directory + "/secA1.html", package: DocumentCorpusOptions.package)
        }
        let assembled = assemble(pages: pages, options: options)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for split in Split.allCases {
                let docs = assembled.splits[split] ?? []
                func lines(_ f: (LabelledDocument) -> String) -> String {
                    docs.isEmpty ? "" : docs.map(f).joined(separator: "\n") + "\n"
                }
                let base = URL(fileURLWithPath: directory)
                try Data(lines(\.text).utf8).write(to: base.appendingPathComponent("\(split.rawValue).txt"))
                try Data(lines(\.label).utf8).write(to: base.appendingPathComponent("\(split.rawValue).labels"))
            }
        } catch {
            throw CorpusError.unreadable(path: directory, reason: "cannot write the corpus: \(error.localizedDescription)")
        }
        let corpus = try Corpus.load(directory: directory, options: CorpusOptions(maxLength: options.maxLength))
        var labels: [String: Int] = [:]
        for doc in assembled.splits.values.joined() { labels[doc.label, default: 0] += 1 }
        return DocumentCorpusReport(directory: directory, options: options, pages: pages.count,
                                    candidates: assembled.candidates, rejected: assembled.rejected,
                                    labels: labels, corpus: corpus)
    }
}

/// What `vaescope corpus --sources anarchism` made, as printed at the end of the command.
public struct DocumentCorpusReport: Sendable, CustomStringConvertible {
    public var directory: String
    public var options: DocumentCorpusOptions
    public var pages: Int
    public var candidates: Int
    public var rejected: [DocumentCorpus.Rejection: Int]
    public var labels: [String: Int]
    public var splits: [Split: SplitStatistics]
    public var vocabularySize: Int
    public var contentHashHex: String

    init(directory: String, options: DocumentCorpusOptions, pages: Int, candidates: Int,
         rejected: [DocumentCorpus.Rejection: Int], labels: [String: Int], corpus: Corpus) {
        self.directory = directory
        self.options = options
        self.pages = pages
        self.candidates = candidates
        self.rejected = rejected
        self.labels = labels
        self.splits = corpus.statistics
        self.vocabularySize = corpus.vocabulary.count - Vocabulary.specialTokens.count
        self.contentHashHex = corpus.contentHashHex
    }

    public var description: String {
        var lines: [String] = []
        lines.append("corpus written to \(directory) (content hash \(contentHashHex), seed \(options.seed))")
        let rejectedText = DocumentCorpus.Rejection.allCases.compactMap { r in
            rejected[r].map { "\(r.rawValue) \($0)" }
        }.joined(separator: ", ")
        let kept = splits.values.reduce(0) { $0 + $1.sentences }
        lines.append("  anarchism (\(DocumentCorpusOptions.package), \(pages) pages): \(candidates) paragraphs, "
            + "\(kept) kept; rejected: \(rejectedText.isEmpty ? "none" : rejectedText)")
        lines.append("  labels: " + labels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            .joined(separator: ", "))
        lines.append("  split    documents     tokens  mean len  unk tokens")
        for split in Split.allCases {
            guard let s = splits[split] else { continue }
            let mean = s.sentences > 0 ? Double(s.tokens) / Double(s.sentences) : 0
            lines.append("  " + split.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)
                + pad(String(s.sentences), 12) + pad(String(s.tokens), 11)
                + pad(String(format: "%.1f", mean), 10) + pad(String(s.unknownTokens), 12))
        }
        lines.append("  vocabulary (train): \(vocabularySize) words (+ 4 specials)")
        return lines.joined(separator: "\n")
    }

    private func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
