import XCTest
@testable import Corpus

final class TokenizerTests: XCTestCase {
    func tok(_ s: String) -> String { Tokenizer.tokenize(s).joined(separator: " ") }

    func testPunctuationAndContractions() {
        XCTAssertEqual(tok("Don't panic, Arthur!"), "do n't panic , arthur !")
        XCTAssertEqual(tok("He's here; we'll see (maybe)."), "he 's here ; we 'll see ( maybe ) .")
        XCTAssertEqual(tok("I can't, you won't."), "i ca n't , you wo n't .")
        XCTAssertEqual(tok("She said \"hello\" to them."), "she said \" hello \" to them .")
        XCTAssertEqual(tok("the dogs' bones"), "the dogs ' bones")
    }

    func testWordInternalCharactersStay() {
        XCTAssertEqual(tok("A well-known o'clock rule"), "a well-known o'clock rule")
        XCTAssertEqual(tok("It costs $3.50 for 1,000 items."), "it costs $ 3.50 for 1,000 items .")
    }

    func testAbbreviationsEllipsisAndDashes() {
        XCTAssertEqual(tok("Mr. Smith met Dr. Jones."), "mr. smith met dr. jones .")
        XCTAssertEqual(tok("e.g. the U.S. army"), "e.g. the u.s. army")
        XCTAssertEqual(tok("Wait... what -- really?"), "wait ... what -- really ?")
        XCTAssertEqual(tok("I saw a. Then I"), "i saw a . then i", "the words a and i are not initials")
        XCTAssertEqual(tok("Just say no."), "just say no .")
    }

    func testEmptyText() {
        XCTAssertEqual(Tokenizer.tokenize(""), [])
        XCTAssertEqual(Tokenizer.tokenize("  \t "), [])
    }
}

final class SentenceCleanerTests: XCTestCase {
    func testNormalize() {
        XCTAssertEqual(SentenceCleaner.normalize("  \u{201C}Hi\u{201D}\t\tthere\u{2014}you\n "), "\"Hi\" there--you")
    }

    func testRejections() {
        XCTAssertNil(SentenceCleaner.rejection(of: "A perfectly fine sentence."))
        XCTAssertEqual(SentenceCleaner.rejection(of: "Visit http://example.org today"), .url)
        XCTAssertEqual(SentenceCleaner.rejection(of: "Mail me at bob.com now"), .url)
        XCTAssertEqual(SentenceCleaner.rejection(of: "if (x == 1) { y++ }"), .technical)
        XCTAssertEqual(SentenceCleaner.rejection(of: "Caf\u{E9} au lait"), .nonASCII)
        XCTAssertEqual(SentenceCleaner.rejection(of: "said Ren'\u{8}e Descartes"), .technical)
        XCTAssertEqual(SentenceCleaner.rejection(of: "Intruder \u{7}\u{7} alert"), .technical)
        XCTAssertEqual(SentenceCleaner.rejection(of: "1 2 3 4 5 ok"), .fewLetters)
        XCTAssertEqual(SentenceCleaner.rejection(of: "He said \"no way"), .fragment)
        XCTAssertEqual(SentenceCleaner.rejection(of: "I like it :-)"), .fragment)
        XCTAssertEqual(SentenceCleaner.rejection(of: "See /usr/games for more"), .fragment)
        XCTAssertEqual(SentenceCleaner.rejection(of: "% not a sentence here"), .fragment)
    }

    func testSentenceSplitting() {
        XCTAssertEqual(SentenceCleaner.splitSentences("One thing. Two things! Three? \"Four,\" he said."),
                       ["One thing.", "Two things!", "Three?", "\"Four,\" he said."])
        XCTAssertEqual(SentenceCleaner.splitSentences("Mr. Smith met J. Jones. Then left."),
                       ["Mr. Smith met J. Jones.", "Then left."])
        XCTAssertEqual(SentenceCleaner.splitSentences("no boundary here. lower case follows"),
                       ["no boundary here. lower case follows"])
        XCTAssertEqual(SentenceCleaner.splitSentences("Wow!!! Really."), ["Wow!!!", "Really."])
        XCTAssertEqual(SentenceCleaner.splitSentences(""), [])
    }

    func testCleanPipeline() {
        XCTAssertEqual(try DemoCorpus.clean("... And then it broke!!!", minLength: 2, maxLength: 10).get(),
                       "and then it broke !")
        XCTAssertEqual(DemoCorpus.clean("Too short.", minLength: 4, maxLength: 10), .failure(.tooShort))
        XCTAssertEqual(DemoCorpus.clean("one two three four five", minLength: 1, maxLength: 4), .failure(.tooLong))
    }
}
