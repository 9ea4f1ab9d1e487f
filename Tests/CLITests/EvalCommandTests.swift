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
        XCTAssertEqual(options.forwardCrossEntropySentences, 1000)
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
        XCTAssertThrowsError(try EvalCommand.parse(["r"]), "--db is required")
    }
}
