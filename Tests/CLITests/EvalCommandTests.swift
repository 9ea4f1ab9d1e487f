import XCTest
@testable import vaescope

final class EvalCommandTests: XCTestCase {
    func testOptionsReachTheEvaluation() throws {
        let command = try EvalCommand.parse(["ptb-last", "--db", "runs.sqlite", "--split", "valid", "--iw-samples", "50",
                                             "--latent-samples", "3", "--prior-samples", "20",
                                             "--schemes", "greedy,top-k:15", "--fce", "1000", "--corpus", "/data/ptb",
                                             "--max-sentences", "200", "--checkpoint", "last"])
        let options = try command.options()
        XCTAssertEqual(options.split, .valid)
        XCTAssertEqual(options.importanceSamples, 50)
        XCTAssertEqual(options.latentSamples, 3)
        XCTAssertEqual(options.priorSamples, 20)
        XCTAssertEqual(options.schemes, [.greedy, .topK(15)])
        XCTAssertEqual(options.forwardCrossEntropy, .sentences(1000))
        let theirs = try EvalCommand.parse(["r", "--db", "x.sqlite", "--fce", "prokhorov"]).options().forwardCrossEntropy
        XCTAssertEqual(theirs, .prokhorov)
        XCTAssertNil(try EvalCommand.parse(["r", "--db", "x.sqlite"]).options().forwardCrossEntropy)
        // Their corpora: the test split rounded up to whole 2,048-sentence batches (PTB's 3,761 → 4,096).
        XCTAssertEqual(theirs?.resolve(testSentences: 3_761), 4_096)
        XCTAssertEqual(theirs?.resolve(testSentences: 2_048), 2_048)
        XCTAssertEqual(theirs?.resolve(testSentences: 1), 2_048)
        XCTAssertEqual(options.forwardCrossEntropy?.resolve(testSentences: 3_761), 1_000)
        XCTAssertEqual(options.corpusDirectory, "/data/ptb")
        XCTAssertNil(options.probePath)
        XCTAssertEqual(options.maxSentences, 200)
        XCTAssertEqual(options.checkpoint, .last)
        XCTAssertEqual(try EvalCommand.parse(["r", "--db", "x.sqlite"]).options().checkpoint, .best)
    }

    func testBadValuesAreRejectedBeforeAnythingRuns() {
        XCTAssertThrowsError(try EvalCommand.parse(["r", "--db", "x.sqlite", "--split", "dev"]))
        XCTAssertThrowsError(try EvalCommand.parse(["r", "--db", "x.sqlite", "--schemes", "beam:5"]))
        XCTAssertThrowsError(try EvalCommand.parse(["r", "--db", "x.sqlite", "--iw-samples", "0"]))
        XCTAssertThrowsError(try EvalCommand.parse(["r", "--db", "x.sqlite", "--checkpoint", "first"]))
        XCTAssertThrowsError(try EvalCommand.parse(["r", "--db", "x.sqlite", "--fce", "many"]))
        XCTAssertThrowsError(try EvalCommand.parse(["r", "--db", "x.sqlite", "--fce", "0"]).options())
        XCTAssertThrowsError(try EvalCommand.parse(["r"]), "--db is required")
    }
}
