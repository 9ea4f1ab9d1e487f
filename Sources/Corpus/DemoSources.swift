import Foundation

/// Reading the demo corpus's source files from the system (the only I/O of the demo pipeline besides
/// writing the splits).
extension DemoCorpus {
    /// The candidate sentences of one source and the number of files read.
    /// - Throws: `CorpusError.missingSource` naming the missing path and the package to install.
    public static func candidates(from source: DemoSource, options: DemoCorpusOptions) throws
        -> (texts: [String], files: Int) {
        switch source {
        case .wordnet:
            var texts: [String] = []
            for name in WordNetReader.dataFiles {
                let path = URL(fileURLWithPath: options.wordnetDirectory).appendingPathComponent(name).path
                let text = try readSource(path, package: source.package)
                texts.append(contentsOf: WordNetReader.examples(inDataFile: text))
            }
            return (texts, WordNetReader.dataFiles.count)
        case .fortunes:
            let paths = try fortuneFiles(in: options.fortuneDirectory)
            var texts: [String] = []
            for path in paths {
                let text = try readSource(path, package: source.package)
                for record in FortuneReader.records(text) {
                    texts.append(contentsOf: FortuneReader.sentences(of: record))
                }
            }
            return (texts, paths.count)
        }
    }

    /// The strfile text files of a fortunes directory, sorted by name: regular files without an extension
    /// (skipping `.dat` indexes, `.u8` links and `FortuneReader.excludedFiles`).
    public static func fortuneFiles(in directory: String) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw CorpusError.missingSource(path: directory, package: DemoSource.fortunes.package)
        }
        var paths: [String] = []
        for name in names.sorted() where !name.contains(".") && !FortuneReader.excludedFiles.contains(name) {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(path)
            }
        }
        if paths.isEmpty {
            throw CorpusError.missingSource(path: directory + "/fortunes", package: DemoSource.fortunes.package)
        }
        return paths
    }

    /// A source file's text; invalid UTF-8 becomes U+FFFD (and the sentence is later dropped as non-ASCII).
    static func readSource(_ path: String, package: String) throws -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CorpusError.missingSource(path: path, package: package)
        }
        do {
            return String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        } catch {
            throw CorpusError.unreadable(path: path, reason: error.localizedDescription)
        }
    }

    /// Extracts, cleans, splits and writes `train.txt`, `valid.txt`, `test.txt` (one sentence per line, tokens
    /// separated by single spaces, LF line ends) into `directory` (created if needed), then reads the result
    /// back with `Corpus.load` for the report.
    public static func write(to directory: String, options: DemoCorpusOptions) throws -> DemoCorpusReport {
        try options.validate()
        var extracted: [(DemoSource, [String])] = []
        var files: [DemoSource: Int] = [:]
        for source in options.sources {
            let (texts, count) = try candidates(from: source, options: options)
            extracted.append((source, texts))
            files[source] = count
        }
        let assembled = assemble(candidates: extracted, options: options)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for split in Split.allCases {
                let lines = assembled.splits[split] ?? []
                let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
                let path = URL(fileURLWithPath: directory).appendingPathComponent("\(split.rawValue).txt").path
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            }
        } catch {
            throw CorpusError.unreadable(path: directory, reason: "cannot write the corpus: \(error.localizedDescription)")
        }
        let corpus = try Corpus.load(directory: directory)
        var sources = assembled.sources
        for i in sources.indices { sources[i].files = files[sources[i].source] ?? 0 }
        return DemoCorpusReport(directory: directory, options: options, sources: sources,
                                droppedByLimit: assembled.droppedByLimit, corpus: corpus)
    }
}
