import Foundation
import GRDB
import XCTest

/// `vaescope sweep` end to end (issue 17): plan, bad files, a local run interrupted by SIGINT and continued,
/// which must end with every run completed exactly once and the same results as an uninterrupted sweep.
final class SweepCommandTests: XCTestCase {
    var dir = ""
    var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vaescope").path
    }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "vaescope-sweep-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/corpus", withIntermediateDirectories: true)
        let words = "the cat dog sat on a mat ran to house big red".split(separator: " ")
        var state: UInt64 = 7
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        for (split, n) in [("train", 64), ("valid", 16), ("test", 16)] {
            let lines = (0..<n).map { _ in (0..<(3 + next(6))).map { _ in String(words[next(words.count)]) }.joined(separator: " ") }
            try (lines.joined(separator: "\n") + "\n").write(toFile: "\(dir)/corpus/\(split).txt", atomically: true, encoding: .utf8)
        }
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func sweepFile(_ name: String, epochs: Int = 300, extra: String = "") throws -> String {
        let path = "\(dir)/\(name).yaml"
        try """
            name: \(name)
            corpus: corpus
            base:
              embeddingSize: 8
              encoderHiddenSize: 16
              decoderHiddenSize: 16
              latentSize: 4
              batchSize: 8
              epochs: \(epochs)
              logEvery: 2
            axes:
              pooling: [last, max]
              seed: [0, 1]
            runName: "{pooling}-s{seed}"
            eval: [--iw-samples, "5", --latent-samples, "2", --prior-samples, "4", --interpolation-pairs, "1"]
            \(extra)
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @discardableResult
    func vaescope(_ args: [String], interruptAfter: Double? = nil) throws -> (status: Int32, output: String) {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            XCTFail("no vaescope binary at \(binary): build it (swift build --build-tests builds it too)")
            return (-1, "")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        if let t = interruptAfter {
            Thread.sleep(forTimeInterval: t)
            p.interrupt()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Every scalar of a sweep's runs (wall-clock keys left out), by run.
    func results(_ sweep: String) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for name in ["last-s0", "last-s1", "max-s0", "max-s1"] {
            let q = try DatabaseQueue(path: "\(dir)/\(sweep)/\(name).sqlite")
            out[name] = try q.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT s.split, s.step, s.key, s.value FROM scalars s
                    WHERE s.key NOT IN ('tokens_per_s', 'train_seconds', 'eval.seconds') ORDER BY s.split, s.key, s.step
                    """).map { "\($0[0] as String) \($0[1] as Int) \($0[2] as String) \(($0[3] as Double?)?.bitPattern ?? 0)" }
            }
            XCTAssertEqual(try q.read { try String.fetchOne($0, sql: "SELECT status FROM runs") }, "completed", name)
            XCTAssertEqual(try q.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM runs") }, 1, name)
            try q.close()
        }
        return out
    }

    func testPlanAndBadFiles() throws {
        let plan = try vaescope(["sweep", "plan", try sweepFile("p")])
        XCTAssertEqual(plan.status, 0, plan.output)
        XCTAssertTrue(plan.output.contains("4 runs"), plan.output)
        XCTAssertTrue(plan.output.contains("max-s1   pooling=max seed=1"), plan.output)
        let badKey = try vaescope(["sweep", "plan", try sweepFile("k", extra: "preset: he2019\n")])
        XCTAssertEqual(badKey.status, 0, "a preset is allowed: \(badKey.output)")
        try "name: b\ncorpus: corpus\naxes:\n  pooling: [last, maxx]\n".write(toFile: dir + "/b.yaml", atomically: true, encoding: .utf8)
        let wrongValue = try vaescope(["sweep", "plan", dir + "/b.yaml"])
        XCTAssertNotEqual(wrongValue.status, 0)
        XCTAssertTrue(wrongValue.output.contains("pooling"), wrongValue.output)
        try "name: u\ncorpus: corpus\naxes:\n  poolng: [last]\n".write(toFile: dir + "/u.yaml", atomically: true, encoding: .utf8)
        let unknown = try vaescope(["sweep", "plan", dir + "/u.yaml"])
        XCTAssertTrue(unknown.output.contains("did you mean 'pooling'"), unknown.output)
        try "name: d\ncorpus: corpus\naxes:\n  pooling: [last, max]\nrunName: same\n".write(toFile: dir + "/d.yaml", atomically: true, encoding: .utf8)
        let duplicate = try vaescope(["sweep", "plan", dir + "/d.yaml"])
        XCTAssertTrue(duplicate.output.contains("both named 'same'"), duplicate.output)
        XCTAssertEqual(duplicate.output.split(separator: "\n").count, 1, "one line: \(duplicate.output)")
    }

    func testInterruptedSweepContinuesToTheSameResultsAsAnUninterruptedOne() throws {
        let whole = try vaescope(["sweep", "run", try sweepFile("whole"), "--jobs", "2"])
        XCTAssertEqual(whole.status, 0, whole.output)
        let cut = try sweepFile("cut")
        let first = try vaescope(["sweep", "run", cut, "--jobs", "2"], interruptAfter: 0.6)
        XCTAssertEqual(first.status, 130, "Ctrl-C stops the sweep with 130: \(first.output)")
        let status = try vaescope(["sweep", "status", cut])
        XCTAssertTrue(status.output.contains("interrupted") || status.output.contains("missing"), status.output)
        let second = try vaescope(["sweep", "run", cut, "--jobs", "2"])
        XCTAssertEqual(second.status, 0, second.output)
        XCTAssertEqual(try results("cut"), try results("whole"))
        let again = try vaescope(["sweep", "run", cut])
        XCTAssertTrue(again.output.contains("4 done, 0 to run"), again.output)
    }
}
