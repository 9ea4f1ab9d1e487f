import XCTest
@testable import Corpus

final class CorpusLoadingTests: XCTestCase {
    func writeCorpus(_ dir: TemporaryDirectory, prefix: String = "", train: String = "a b c\nb c\n\nc\n",
                     valid: String = "a d\n", test: String = "b\n") throws {
        try dir.write("\(prefix)train.txt", train)
        try dir.write("\(prefix)valid.txt", valid)
        try dir.write("\(prefix)test.txt", test)
    }

    func testLoadsEncodesAndCounts() throws {
        let dir = try TemporaryDirectory()
        try writeCorpus(dir)
        let corpus = try Corpus.load(directory: dir.path)
        let v = corpus.vocabulary
        XCTAssertEqual(Array(v.words.dropFirst(4)), ["c", "b", "a"])
        XCTAssertEqual(corpus.train, [[6, 5, 4], [5, 4], [4]])
        XCTAssertEqual(corpus.valid, [[6, Vocabulary.unk]])
        XCTAssertEqual(corpus.sentences(.test), [[5]])
        let stats = try XCTUnwrap(corpus.statistics[.train])
        XCTAssertEqual(stats.sentences, 3)
        XCTAssertEqual(stats.tokens, 6)
        XCTAssertEqual(stats.skippedEmpty, 1)
        XCTAssertEqual(stats.lengthBuckets, [3, 0, 0, 0])
        XCTAssertEqual(corpus.statistics[.valid]?.unknownTokens, 1)
        XCTAssertEqual(corpus.contentHashHex.count, 16)
    }

    func testGivenVocabularyIsUsed() throws {
        let dir = try TemporaryDirectory()
        try writeCorpus(dir)
        let stored = try Vocabulary(words: Vocabulary.specialTokens + ["a", "d"])
        let corpus = try Corpus.load(directory: dir.path, vocabulary: stored)
        XCTAssertEqual(corpus.vocabulary, stored)
        XCTAssertEqual(corpus.valid, [[4, 5]])
        XCTAssertEqual(corpus.train[0], [4, Vocabulary.unk, Vocabulary.unk])
    }

    func testPTBNamingAndLiteralUnk() throws {
        let dir = try TemporaryDirectory()
        try writeCorpus(dir, prefix: "ptb.", train: " the <unk> cat \n the dog\n")
        let corpus = try Corpus.load(directory: dir.path)
        XCTAssertEqual(corpus.train[0][1], Vocabulary.unk)
        XCTAssertEqual(corpus.train[0].count, 3, "leading/trailing spaces do not make tokens")
        XCTAssertTrue(corpus.statistics[.train]?.path.hasSuffix("ptb.train.txt") ?? false)
    }

    func testContentHashDependsOnContentNotFileNames() throws {
        let a = try TemporaryDirectory(), b = try TemporaryDirectory(), c = try TemporaryDirectory()
        try writeCorpus(a)
        try writeCorpus(b, prefix: "ptb.")
        try writeCorpus(c, test: "c\n")
        let ha = try Corpus.load(directory: a.path).contentHash
        XCTAssertEqual(ha, try Corpus.load(directory: b.path).contentHash)
        XCTAssertNotEqual(ha, try Corpus.load(directory: c.path).contentHash)
    }

    func testMissingSplitNamesThePaths() throws {
        let dir = try TemporaryDirectory()
        try dir.write("train.txt", "a\n")
        try dir.write("test.txt", "a\n")
        XCTAssertThrowsError(try Corpus.load(directory: dir.path)) { error in
            guard case let CorpusError.missingSplit(_, split, tried) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(split, "valid")
            XCTAssertTrue(tried.contains { $0.hasSuffix("/valid.txt") } && tried.contains { $0.hasSuffix("/ptb.valid.txt") })
            XCTAssertTrue(error.localizedDescription.contains("valid.txt"))
        }
    }

    func testEmptyFileIsAnError() throws {
        let dir = try TemporaryDirectory()
        try writeCorpus(dir, test: "\n  \n")
        XCTAssertThrowsError(try Corpus.load(directory: dir.path)) { error in
            guard case let CorpusError.emptyFile(path) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("test.txt"))
        }
    }

    func testTooLongLineErrorNamesFileAndLine() throws {
        let dir = try TemporaryDirectory()
        try writeCorpus(dir, train: "a b\na b c d e\na\n")
        let options = CorpusOptions(maxLength: 3, longLines: .error)
        XCTAssertThrowsError(try Corpus.load(directory: dir.path, options: options)) { error in
            XCTAssertEqual(error as? CorpusError,
                           .lineTooLong(path: dir.path + "/train.txt", line: 2, length: 5, maxLength: 3))
            XCTAssertTrue(error.localizedDescription.contains("train.txt:2"))
        }
    }

    func testTooLongLinesSkippedAndCounted() throws {
        let dir = try TemporaryDirectory()
        try writeCorpus(dir, train: "a b\na b c d e\na\n")
        let corpus = try Corpus.load(directory: dir.path, options: CorpusOptions(maxLength: 3))
        XCTAssertEqual(corpus.train.count, 2)
        XCTAssertEqual(corpus.statistics[.train]?.skippedTooLong, 1)
    }

    func testAllLinesTooLongIsEmptyFile() throws {
        let dir = try TemporaryDirectory()
        try writeCorpus(dir, valid: "a b c d\n")
        XCTAssertThrowsError(try Corpus.load(directory: dir.path, options: CorpusOptions(maxLength: 2)))
    }

    func testFNV1aKnownValues() {
        // Reference values of 64-bit FNV-1a.
        XCTAssertEqual(FNV1a64().value, 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(FNV1a64.hash("a"), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(FNV1a64.hash("foobar"), 0x85944171f73967e8)
        XCTAssertEqual(FNV1a64.hex(0xab), "00000000000000ab")
    }

    func testLengthBuckets() {
        XCTAssertEqual(LengthBucket(length: 0), .upTo10)
        XCTAssertEqual(LengthBucket(length: 10), .upTo10)
        XCTAssertEqual(LengthBucket(length: 11), .from11To20)
        XCTAssertEqual(LengthBucket(length: 20), .from11To20)
        XCTAssertEqual(LengthBucket(length: 21), .from21To30)
        XCTAssertEqual(LengthBucket(length: 30), .from21To30)
        XCTAssertEqual(LengthBucket(length: 31), .over30)
        XCTAssertEqual(LengthBucket.counts(lengths: [1, 15, 25, 35, 40]), [1, 1, 1, 2])
        XCTAssertEqual(LengthBucket.allCases.map(\.label), ["≤10", "11–20", "21–30", ">30"])
    }
}
