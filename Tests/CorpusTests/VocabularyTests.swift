import XCTest
@testable import Corpus

final class VocabularyTests: XCTestCase {
    func testSpecialIdsAndOrderByCountThenWord() {
        let v = Vocabulary(counting: [["b", "a", "c", "b"], ["c", "b", "d"]])
        XCTAssertEqual(Array(v.words.prefix(4)), ["<pad>", "<unk>", "<bos>", "<eos>"])
        XCTAssertEqual(Vocabulary.pad, 0)
        XCTAssertEqual(Vocabulary.unk, 1)
        XCTAssertEqual(Vocabulary.bos, 2)
        XCTAssertEqual(Vocabulary.eos, 3)
        // b:3, c:2, then a and d (1 each) ordered by word.
        XCTAssertEqual(Array(v.words.dropFirst(4)), ["b", "c", "a", "d"])
        XCTAssertEqual(v.id(of: "b"), 4)
        XCTAssertEqual(v.id(of: "d"), 7)
        XCTAssertEqual(v.id(of: "zebra"), Vocabulary.unk)
        XCTAssertEqual(v.count, 8)
    }

    func testMinCountAndMaxSize() {
        let sentences = [["x", "x", "x", "y", "y", "z"]]
        let min2 = Vocabulary(counting: sentences, minCount: 2)
        XCTAssertEqual(Array(min2.words.dropFirst(4)), ["x", "y"])
        XCTAssertEqual(min2.id(of: "z"), Vocabulary.unk)
        let size5 = Vocabulary(counting: sentences, maxSize: 5)
        XCTAssertEqual(size5.words, ["<pad>", "<unk>", "<bos>", "<eos>", "x"])
        XCTAssertEqual(size5.id(of: "y"), Vocabulary.unk)
        XCTAssertEqual(Vocabulary(counting: sentences, maxSize: 2).count, 4, "specials are always kept")
    }

    func testLiteralUnkMapsToOneAndOtherSpecialsAreNotReused() {
        // Penn Treebank writes rare words as the literal <unk>.
        let v = Vocabulary(counting: [["the", "<unk>", "<unk>", "<unk>", "cat", "<eos>"]])
        XCTAssertEqual(v.encode(["the", "<unk>", "cat"]), [v.id(of: "the"), 1, v.id(of: "cat")])
        XCTAssertEqual(v.words.filter { $0 == "<unk>" }.count, 1, "<unk> must not get a second id")
        XCTAssertEqual(v.id(of: "<pad>"), Vocabulary.unk, "a literal <pad> must not be masked as padding")
        XCTAssertEqual(v.id(of: "<eos>"), Vocabulary.unk)
        XCTAssertEqual(v.count, 6)
    }

    func testEncodeDecodeRoundTripAndCodable() throws {
        let v = Vocabulary(counting: [["a", "b", "c"]])
        let ids = v.encode(["c", "a", "q"])
        XCTAssertEqual(v.decode(ids), ["c", "a", "<unk>"])
        XCTAssertEqual(v.sentence(ids), "c a <unk>")
        XCTAssertEqual(v.word(for: 999), "<unk>")
        let data = try JSONEncoder().encode(v)
        let back = try JSONDecoder().decode(Vocabulary.self, from: data)
        XCTAssertEqual(back, v)
        XCTAssertEqual(back.id(of: "c"), v.id(of: "c"))
    }

    func testRestoringRejectsBadWordLists() {
        XCTAssertThrowsError(try Vocabulary(words: ["a", "b"]))
        XCTAssertThrowsError(try Vocabulary(words: Vocabulary.specialTokens + ["a", "a"]))
        XCTAssertNoThrow(try Vocabulary(words: Vocabulary.specialTokens + ["a"]))
    }
}
