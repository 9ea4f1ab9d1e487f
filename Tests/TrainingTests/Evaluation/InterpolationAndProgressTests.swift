import XCTest
@testable import Evaluation
@testable import Training

final class InterpolationAndProgressTests: XCTestCase {
    func testSevenPointsIncludeBothEndsExactly() {
        let a: [Float] = [0.1, -2, 3], b: [Float] = [1.3, 4, -0.7]
        let path = Interpolation.linear(from: a, to: b, points: 7)
        XCTAssertEqual(path.count, 21)
        XCTAssertEqual(Array(path[0..<3]), a)
        XCTAssertEqual(Array(path[18..<21]), b)
        for d in 0..<3 { XCTAssertEqual(path[9 + d], (a[d] + b[d]) / 2, accuracy: 1e-6) }   // t = 3/6
        XCTAssertEqual(Interpolation.linear(from: a, to: b, points: 1), a)
    }

    func testPathsPairConsecutiveCodesAndDropMissingPairs() {
        let codes: [Float] = [0, 0, 2, 2, 10, 10, 20, 20, 99, 99]   // Z = 2: five codes, two pairs
        let paths = Interpolation.paths(between: codes, latentSize: 2, pairs: 3, points: 3)
        XCTAssertEqual(paths, [0, 0, 1, 1, 2, 2, 10, 10, 15, 15, 20, 20])
    }

    func testEtaAndDurations() {
        XCTAssertNil(ProgressTask.eta(elapsed: 3, done: 0, total: 10))
        XCTAssertEqual(ProgressTask.eta(elapsed: 10, done: 25, total: 100) ?? -1, 30, accuracy: 1e-12)
        XCTAssertEqual(ProgressTask.format(seconds: 42), "42s")
        XCTAssertEqual(ProgressTask.format(seconds: 187), "3m07s")
        XCTAssertEqual(ProgressTask.format(seconds: 3720), "1h02m")
    }

    func testPlainProgressPrintsLinesWithoutCarriageReturns() {
        final class Lines: @unchecked Sendable { var text = "" }
        let lines = Lines()
        let progress = EvaluationProgress(interactive: false, plainInterval: 0) { lines.text += $0 }
        let task = progress.start("IW-NLL K=500", total: 4)
        for i in 1...4 { task.update(i) }
        task.finish()
        XCTAssertFalse(lines.text.contains("\r"))
        XCTAssertTrue(lines.text.contains("IW-NLL K=500: 1/4 sentences"))
        XCTAssertTrue(lines.text.contains("ETA"))
        XCTAssertTrue(lines.text.hasSuffix("IW-NLL K=500: 4 sentences in 0s\n"))
    }
}
