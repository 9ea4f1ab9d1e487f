import XCTest
@testable import Corpus

final class DemoCorpusTests: XCTestCase {
    static let fortuneFixture = """
    A day for firm decisions!!!!!  Or is it?
    %
    A black cat crossing your path signifies that the animal is going somewhere.
    \t\t-- Groucho Marx
    %
    Never trust a man
    who has never been wrong. Trust the cat.
    \t\t-- Anonymous,
    \t\t   "A Book of Sayings"
    %
    \t    /\\_/\\
    \t   ( o.o )
    \t    > ^ <
    %

    """

    static let wordnetFixture = """
      1 This software and database is being provided to you, the LICENSEE, by
      2 Princeton University under the following license.
    00045646 04 n 02 rally 1 rallying 1 003 @ 00036762 n 0000 | the feat of mustering strength; "he singled to start a rally in the 9th inning"; "he feared the rallying of their troops"
    00046177 04 n 01 running_away 0 003 @ 00030358 n 0000 | the act of leaving (without permission)
    00046344 04 n 01 stunt 0 004 @ 00036762 n 0000 | a difficult feat; "his stunt was great"; ""; "unmatched quote

    """

    func testFortuneRecordsAndAttributions() {
        let records = FortuneReader.records(Self.fortuneFixture)
        XCTAssertEqual(records.count, 4)
        XCTAssertEqual(FortuneReader.sentences(of: records[0]), ["A day for firm decisions!!!!!", "Or is it?"])
        XCTAssertEqual(FortuneReader.sentences(of: records[1]),
                       ["A black cat crossing your path signifies that the animal is going somewhere."])
        XCTAssertEqual(FortuneReader.sentences(of: records[2]),
                       ["Never trust a man who has never been wrong.", "Trust the cat."],
                       "multi-line attribution dropped, lines joined")
        XCTAssertEqual(FortuneReader.sentences(of: records[3]), [], "indented art is skipped")
        XCTAssertTrue(FortuneReader.isAttribution("\t\t-- Mark Twain"))
        XCTAssertEqual(FortuneReader.stripInlineAttribution("It is free. -- Linus Torvalds"), "It is free.")
        XCTAssertEqual(FortuneReader.stripInlineAttribution("Why not? -- What? -- Why not?"),
                       "Why not? -- What? -- Why not?")
        XCTAssertEqual(FortuneReader.stripInlineAttribution("He said -- loudly -- no"), "He said -- loudly -- no")
        XCTAssertFalse(FortuneReader.isAttribution("Use the -- option"))
        XCTAssertEqual(FortuneReader.records("no separator at all\n"), [["no separator at all", ""]])
    }

    func testWordNetGlossExamples() {
        let examples = WordNetReader.examples(inDataFile: Self.wordnetFixture)
        XCTAssertEqual(examples, ["he singled to start a rally in the 9th inning",
                                  "he feared the rallying of their troops",
                                  "his stunt was great"], "empty quotes dropped, an unmatched quote ends the scan")
        XCTAssertNil(WordNetReader.gloss(ofLine: "  1 This software | licence header"))
        XCTAssertEqual(WordNetReader.gloss(ofLine: "0001 03 n | a gloss; \"an example\"").map(String.init),
                       "a gloss; \"an example\"")
    }

    func testSplitIsDeterministicAndStable() {
        let sentences = (0..<2000).map { "sentence number \($0) here" }
        let splits = sentences.map { DemoCorpus.split(of: $0, seed: 5, validFraction: 0.1, testFraction: 0.1) }
        let again = sentences.map { DemoCorpus.split(of: $0, seed: 5, validFraction: 0.1, testFraction: 0.1) }
        XCTAssertEqual(splits, again)
        let valid = splits.count { $0 == .valid }, test = splits.count { $0 == .test }
        XCTAssertTrue((140...260).contains(valid), "valid \(valid) of 2000 at 10%")
        XCTAssertTrue((140...260).contains(test), "test \(test) of 2000 at 10%")
        let otherSeed = sentences.map { DemoCorpus.split(of: $0, seed: 6, validFraction: 0.1, testFraction: 0.1) }
        XCTAssertNotEqual(splits, otherSeed)
    }

    func testAssembleDeduplicatesLimitsAndKeepsSplitsStable() {
        var options = DemoCorpusOptions()
        options.minLength = 3
        options.validFraction = 0.2
        options.testFraction = 0.2
        let texts = (0..<300).map { "This is sentence \($0) of the test." }
        let all = DemoCorpus.assemble(candidates: [(.wordnet, texts + ["This is sentence 7 of the test."]),
                                                   (.fortunes, ["Short.", "This is sentence 8 of the test."])],
                                      options: options)
        XCTAssertEqual(all.sources[0].kept, 300)
        XCTAssertEqual(all.sources[0].duplicates, 1)
        XCTAssertEqual(all.sources[1].duplicates, 1)
        XCTAssertEqual(all.sources[1].rejected["too short"], 1)
        XCTAssertEqual(all.splits.values.map(\.count).reduce(0, +), 300)
        options.maxSentences = 100
        let limited = DemoCorpus.assemble(candidates: [(.wordnet, texts)], options: options)
        XCTAssertEqual(limited.droppedByLimit, 200)
        for split in Split.allCases {
            let full = Set(all.splits[split] ?? [])
            XCTAssertTrue(Set(limited.splits[split] ?? []).isSubset(of: full), "\(split) moved sentences")
        }
    }

    func testWriteBuildsACorpusFromFixtureDirectories() throws {
        let fortunes = try TemporaryDirectory(), wordnet = try TemporaryDirectory(), out = try TemporaryDirectory()
        let extra = (0..<60).map { "The quick fox number \($0) jumps over the lazy dog." }.joined(separator: "\n%\n")
        try fortunes.write("fortunes", Self.fortuneFixture + extra + "\n")
        try fortunes.write("fortunes.dat", "\u{0}binary index")
        for name in WordNetReader.dataFiles { try wordnet.write(name, Self.wordnetFixture) }
        var options = DemoCorpusOptions()
        options.fortuneDirectory = fortunes.path
        options.wordnetDirectory = wordnet.path
        options.validFraction = 0.2
        options.testFraction = 0.2
        let report = try DemoCorpus.write(to: out.path + "/demo", options: options)
        XCTAssertEqual(report.sources.map(\.files), [4, 1])
        XCTAssertEqual(report.sources[0].kept, 3)
        XCTAssertEqual(report.sources[0].duplicates, 9, "the same examples in the other three files")
        let total = Split.allCases.reduce(0) { $0 + (report.splits[$1]?.sentences ?? 0) }
        XCTAssertEqual(total, 3 + 5 + 60, "3 wordnet examples, 5 fortune sentences, 60 foxes")
        let corpus = try Corpus.load(directory: out.path + "/demo")
        XCTAssertEqual(corpus.train.count + corpus.valid.count + corpus.test.count, total)
        XCTAssertTrue(report.description.contains("vocabulary (train)"))
        let again = try DemoCorpus.write(to: out.path + "/demo2", options: options)
        XCTAssertEqual(again.contentHashHex, report.contentHashHex, "same inputs, same files")
    }

    func testMissingSourcesNameThePackage() {
        var options = DemoCorpusOptions()
        options.wordnetDirectory = "/nonexistent/wordnet"
        options.fortuneDirectory = "/nonexistent/fortunes"
        XCTAssertThrowsError(try DemoCorpus.candidates(from: .wordnet, options: options)) { error in
            XCTAssertEqual(error as? CorpusError,
                           .missingSource(path: "/nonexistent/wordnet/data.noun", package: "wordnet-base"))
            XCTAssertTrue(error.localizedDescription.contains("apt-get install wordnet-base"))
        }
        XCTAssertThrowsError(try DemoCorpus.candidates(from: .fortunes, options: options)) { error in
            XCTAssertTrue(error.localizedDescription.contains("fortunes"))
        }
    }

    func testOptionValidation() {
        var options = DemoCorpusOptions()
        XCTAssertNoThrow(try options.validate())
        options.validFraction = 0.6
        options.testFraction = 0.5
        XCTAssertThrowsError(try options.validate())
        options = DemoCorpusOptions()
        options.minLength = 40
        XCTAssertThrowsError(try options.validate())
        options = DemoCorpusOptions()
        options.sources = []
        XCTAssertThrowsError(try options.validate())
    }
}
