import XCTest
@testable import RunStore

/// `deleteScalars(of:split:keyPrefix:)`, added for re-running `vaescope eval` (RunStore+Eval.swift).
final class RunStoreEvalTests: XCTestCase {
    func testDeletesOnlyThePrefixedKeysOfTheSplit() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("eval-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try RunStore(path: path)
        defer { try? store.close() }
        let run = try store.createRun(Run(name: "r"))
        try store.appendScalars([
            ScalarPoint(step: 5, split: "test", key: "eval.iwNLL", value: 1),
            ScalarPoint(step: 5, split: "test", key: "eval.mi.mixture", value: 2),
            ScalarPoint(step: 5, split: "test", key: "evaluation_other", value: 3),
            ScalarPoint(step: 5, split: "test", key: "loss", value: 4),
            ScalarPoint(step: 5, split: "valid", key: "eval.iwNLL", value: 5),
        ], to: run.id)
        XCTAssertEqual(try store.deleteScalars(of: run.id, split: "test", keyPrefix: "eval."), 2)
        let left = try store.scalars(of: run.id).map { "\($0.split)/\($0.key)" }.sorted()
        XCTAssertEqual(left, ["test/evaluation_other", "test/loss", "valid/eval.iwNLL"])
        XCTAssertThrowsError(try store.deleteScalars(of: run.id, split: "test", keyPrefix: ""))
    }
}
