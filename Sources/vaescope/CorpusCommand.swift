import ArgumentParser
import Corpus
import Foundation

/// `vaescope corpus`: makes the demo corpus from Debian packages (WordNet gloss examples, fortune files).
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
        Licences: see docs/corpus.md.
        """
    )

    @Option(name: .long, help: "Directory to write train.txt, valid.txt and test.txt into (created if needed).")
    var out: String

    @Option(name: .long, help: "Comma-separated sources: wordnet, fortunes.")
    var sources: String = "wordnet,fortunes"

    @Option(name: .customLong("max-length"), help: "Longest sentence kept, in tokens.")
    var maxLength: Int = 30

    @Option(name: .customLong("min-length"), help: "Shortest sentence kept, in tokens.")
    var minLength: Int = 4

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

    func options() throws -> DemoCorpusOptions {
        var options = DemoCorpusOptions()
        options.sources = try sources.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let source = DemoSource(rawValue: trimmed) else {
                throw ValidationError("unknown source '\(trimmed)'; use wordnet, fortunes")
            }
            return source
        }
        options.maxLength = maxLength
        options.minLength = minLength
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
            try options().validate()
        } catch let error as CorpusError {
            throw ValidationError(error.localizedDescription)
        }
    }

    func run() throws {
        let report = try DemoCorpus.write(to: out, options: options())
        print(report)
    }
}
