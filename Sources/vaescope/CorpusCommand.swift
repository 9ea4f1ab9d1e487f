import ArgumentParser
import Corpus
import Foundation

/// `vaescope corpus`: makes the demo corpus from Debian packages (WordNet gloss examples, fortune files), or the
/// long-document corpus from An Anarchist FAQ (`--sources anarchism`).
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Make the demo corpus (train/valid/test.txt) from WordNet's gloss examples and fortune files.",
        discussion: """
        Reads /usr/share/wordnet/data.{noun,verb,adj,adv} (package wordnet-base) and the fortune files in \
        /usr/share/games/fortunes (packages fortunes, fortunes-min); nothing is downloaded. Sentences are \
        lower-cased and tokenized Penn-Treebank-style, lines with URLs, markup or non-ASCII text are dropped, \
        duplicates are removed, and each sentence goes to train, valid or test by a hash of its text and the \
        seed, so the split is stable. Prints sentences, tokens, vocabulary and length buckets per split. \
        --sources anarchism instead makes a long-document corpus (He et al. 2019's Yahoo length) from the \
        paragraphs of An Anarchist FAQ (/usr/share/doc/anarchism/html, package anarchism): documents of 20–250 \
        tokens, 750 valid and 750 test documents, and a .labels file per split (FAQ section A–J or appendix). \
        Licences: see docs/corpus.md.
        """
    )

    @Option(name: .long, help: "Directory to write train.txt, valid.txt and test.txt into (created if needed).")
    var out: String

    @Option(name: .long, help: "Comma-separated sources: wordnet, fortunes; or anarchism alone (long documents).")
    var sources: String = "wordnet,fortunes"

    @Option(name: .customLong("max-length"), help: "Longest sentence kept, in tokens (default 30; anarchism: 250).")
    var maxLength: Int?

    @Option(name: .customLong("min-length"), help: "Shortest sentence kept, in tokens (default 4; anarchism: 20).")
    var minLength: Int?

    @Option(name: .customLong("valid-count"), help: "anarchism: documents in valid.txt.")
    var validCount: Int = 750

    @Option(name: .customLong("test-count"), help: "anarchism: documents in test.txt.")
    var testCount: Int = 750

    @Option(name: .customLong("anarchism-dir"), help: "anarchism: directory of An Anarchist FAQ's HTML pages.")
    var anarchismDirectory: String = "/usr/share/doc/anarchism/html"

    @Option(name: .customLong("max-sentences"), help: "Keep at most this many sentences (a seeded, hash-chosen subset).")
    var maxSentences: Int?

    @Option(name: .long, help: "Seed of the split and of the --max-sentences subset.")
    var seed: UInt64 = 0

    @Option(name: .customLong("valid-fraction"), help: "Fraction of sentences in valid.txt.")
    var validFraction: Double = 0.05

    @Option(name: .customLong("test-fraction"), help: "Fraction of sentences in test.txt.")
    var testFraction: Double = 0.05

    @Option(name: .customLong("fortune-dir"), help: "Directory of the fortune files.")
    var fortuneDirectory: String = "/usr/share/games/fortunes"

    @Option(name: .customLong("wordnet-dir"), help: "Directory of WordNet's data.* files.")
    var wordnetDirectory: String = "/usr/share/wordnet"

    var sourceNames: [String] { sources.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    /// The long-document corpus, when `--sources anarchism` (alone) asks for it.
    func documentOptions() throws -> DocumentCorpusOptions? {
        guard sourceNames.contains("anarchism") else { return nil }
        guard sourceNames == ["anarchism"] else {
            throw ValidationError("anarchism makes a corpus of documents and cannot be mixed with sentence sources")
        }
        if maxSentences != nil { throw ValidationError("--max-sentences does not apply to anarchism") }
        var options = DocumentCorpusOptions()
        if let maxLength { options.maxLength = maxLength }
        if let minLength { options.minLength = minLength }
        options.validCount = validCount
        options.testCount = testCount
        options.seed = seed
        options.directory = anarchismDirectory
        return options
    }

    func options() throws -> DemoCorpusOptions {
        var options = DemoCorpusOptions()
        options.sources = try sourceNames.map { name in
            guard let source = DemoSource(rawValue: name) else {
                throw ValidationError("unknown source '\(name)'; use wordnet, fortunes, or anarchism alone")
            }
            return source
        }
        if let maxLength { options.maxLength = maxLength }
        if let minLength { options.minLength = minLength }
        options.maxSentences = maxSentences
        options.seed = seed
        options.validFraction = validFraction
        options.testFraction = testFraction
        options.fortuneDirectory = fortuneDirectory
        options.wordnetDirectory = wordnetDirectory
        return options
    }

    func validate() throws {
        do {
            if let documents = try documentOptions() { try documents.validate() } else { try options().validate() }
        } catch let error as CorpusError {
            throw ValidationError(error.localizedDescription)
        }
    }

    func run() throws {
        if let documents = try documentOptions() {
            print(try DocumentCorpus.write(to: out, options: documents))
        } else {
            print(try DemoCorpus.write(to: out, options: options()))
        }
    }
}
