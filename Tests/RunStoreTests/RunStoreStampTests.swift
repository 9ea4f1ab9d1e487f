import XCTest
@testable import RunStore

/// `changeStamp(of:split:)` (RunStore+Stamp.swift), used by the report to skip unchanged runs.
final class RunStoreStampTests: XCTestCase {
    func testStampChangesWithEveryKindOfWriteAndOnlyThen() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stamp-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try RunStore(path: path)
        defer { try? store.close() }
        let run = try store.createRun(Run(name: "r"))
        let other = try store.createRun(Run(name: "other"))
        var stamps: [String] = [try store.changeStamp(of: run.id, split: "test")]
        func changed(_ what: String) throws {
            let s = try store.changeStamp(of: run.id, split: "test")
            XCTAssertFalse(stamps.contains(s), "\(what) must change the stamp")
            stamps.append(s)
        }
        XCTAssertEqual(try store.changeStamp(of: run.id, split: "test"), stamps[0], "reading changes nothing")
        try store.appendScalars([ScalarPoint(step: 1, split: "train", key: "loss", value: 2)], to: run.id)
        try changed("a scalar")
        try store.writeSentences([EvaluatedSentence(index: 0, text: "a b", tokenCount: 2)], split: "test", of: run.id)
        try changed("a sentence")
        try store.writeLatents(LatentSet(count: 1, latentSize: 1, samples: 0, featureSize: 0, mu: [0], logVariance: [0], z: [], features: []),
                               split: "test", of: run.id)
        try changed("latents")
        try store.appendDecodedTexts([DecodedText(kind: .priorSample, decoding: .greedy, zIndex: 0, text: "x")], split: "test", to: run.id)
        try changed("a decoded text")
        try store.setStatus(.completed, of: run.id)
        try changed("the status")
        try store.setConfig("{\"a\": 1}", of: run.id)
        try changed("the config")
        // Another run's writes and another split's rows leave it alone.
        let last = stamps[stamps.count - 1]
        try store.appendScalars([ScalarPoint(step: 1, split: "train", key: "loss", value: 2)], to: other.id)
        try store.writeSentences([EvaluatedSentence(index: 0, text: "c", tokenCount: 1)], split: "valid", of: run.id)
        XCTAssertEqual(try store.changeStamp(of: run.id, split: "test"), last)
    }
}
