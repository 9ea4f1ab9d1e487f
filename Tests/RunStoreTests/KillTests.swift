import Foundation
import GRDB
import XCTest
@testable import RunStore

/// A writer process killed with SIGKILL in the middle of a batch leaves a store that opens and holds every
/// committed row.
///
/// How: the test re-executes its own test binary (CommandLine.arguments[0]) to run `testChildWriter` with
/// `VAESCOPE_KILL_CHILD_DB` set. The child appends batches of 2,000 scalar points, each in one transaction,
/// and after each commit appends the batch number to a progress file. The parent waits until at least three
/// batches are reported committed, then sends SIGKILL — the child is then almost always inside the next
/// batch's transaction. The parent checks: the store opens (writer and reader), `PRAGMA integrity_check` is
/// ok, every reported batch is present in full, and no batch is present in part.
final class KillTests: XCTestCase {
    static let batchSize = 2_000

    func testChildWriter() throws {
        guard let path = ProcessInfo.processInfo.environment["VAESCOPE_KILL_CHILD_DB"] else { return }  // parent run: no-op
        let progress = path + ".progress"
        let store = try RunStore(path: path)
        let run = try store.run(named: "victim")
        _ = FileManager.default.createFile(atPath: progress, contents: Data())
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: progress))
        for batch in 0..<100_000 {
            try store.appendScalars((0..<Self.batchSize).map {
                ScalarPoint(step: batch, split: "train", key: "k\($0 % 7)", value: Double($0))
            }, to: run.id)
            try handle.write(contentsOf: Data("\(batch)\n".utf8))
        }
    }

    func testSigkillMidBatchKeepsCommittedRows() throws {
        if ProcessInfo.processInfo.environment["VAESCOPE_KILL_CHILD_DB"] != nil { return }
        let dir = TempDir()
        let path = dir.file("killed.sqlite")
        let run = try RunStore(path: path).createRun(Run(name: "victim"))

        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["RunStoreTests.KillTests/testChildWriter"]
        var env = ProcessInfo.processInfo.environment
        env["VAESCOPE_KILL_CHILD_DB"] = path
        child.environment = env
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()

        let progress = path + ".progress"
        func committed() -> [Int] {
            let text = (try? String(contentsOfFile: progress, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { Int($0) }
        }
        let deadline = Date().addingTimeInterval(60)
        while committed().count < 3 && Date() < deadline && child.isRunning { usleep(2_000) }
        XCTAssertTrue(child.isRunning, "child writer ended early (status \(child.terminationStatus))")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)
        let reported = committed()
        XCTAssertGreaterThanOrEqual(reported.count, 3)

        let store = try RunStore(path: path)
        let integrity = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        XCTAssertEqual(integrity, "ok")
        let points = try store.scalars(of: run.id)
        var perBatch: [Int: Int] = [:]
        for p in points { perBatch[p.step, default: 0] += 1 }
        for batch in reported { XCTAssertEqual(perBatch[batch], Self.batchSize, "batch \(batch) lost") }
        for (batch, count) in perBatch { XCTAssertEqual(count, Self.batchSize, "batch \(batch) present in part") }
        XCTAssertEqual(try RunStore(path: path, mode: .readOnly).scalars(of: run.id).count, points.count)
    }
}
