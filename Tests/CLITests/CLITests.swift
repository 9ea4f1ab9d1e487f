import Foundation
import RunStore
import XCTest

/// The built `vaescope` binary, run as a user runs it. A missing binary is a failure, never a skip: the test
/// command builds it (`swift build --build-tests` builds the executable too).
enum CLI {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// The `vaescope` binary next to the test bundle.
    static var binary: String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.lastPathComponent == "MacOS" { dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        return dir.appendingPathComponent("vaescope").path
    }

    struct MissingBinary: Error, CustomStringConvertible {
        var description: String { "no vaescope binary at \(CLI.binary): build it with swift build --build-tests" }
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            XCTFail(MissingBinary().description)
            throw MissingBinary()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A tiny corpus (64/16/16 sentences over 12 words) in `dir/corpus`.
    static func tinyCorpus(in dir: String) throws -> String {
        let path = dir + "/corpus"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let words = "the cat dog sat on a mat ran to house big red".split(separator: " ")
        var state: UInt64 = 7
        func next(_ n: Int) -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int((state >> 33) % UInt64(n)) }
        for (split, n) in [("train", 64), ("valid", 16), ("test", 16)] {
            let lines = (0..<n).map { _ in (0..<(3 + next(6))).map { _ in String(words[next(words.count)]) }.joined(separator: " ") }
            try (lines.joined(separator: "\n") + "\n").write(toFile: "\(path)/\(split).txt", atomically: true, encoding: .utf8)
        }
        return path
    }

    static let tinyModel = ["--set", "embeddingSize=8", "--set", "encoderHiddenSize=16", "--set", "decoderHiddenSize=16",
                            "--set", "latentSize=4", "--set", "batchSize=8", "--set", "epochs=2", "--set", "logEvery=2"]
}

/// `train`, `metrics` and `report` end to end, with the errors a user meets: one line on stderr, the documented
/// exit code (1 runtime, 64 usage), nothing written.
final class TrainReportMetricsCLITests: XCTestCase {
    var dir = ""
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "vaescope-cli-train-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testTrainMetricsReportAndTheirErrors() throws {
        let corpus = try CLI.tinyCorpus(in: dir)
        let db = dir + "/runs.sqlite"
        let evalArgs = ["--set", "iwSamples=5", "--set", "latentSamples=2", "--set", "priorSamples=4"]
        let trained = try CLI.run(["train", "--corpus", corpus, "--db", db, "--name", "r", "--quiet"] + CLI.tinyModel + evalArgs)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stdout.contains("r"), trained.stdout)

        // metrics: the evaluated run's diagnostics.
        let metrics = try CLI.run(["metrics", "--run", "r", "--db", db])
        XCTAssertEqual(metrics.status, 0, metrics.stderr)
        XCTAssertTrue(metrics.stdout.contains("AU") || metrics.stdout.contains("active"), metrics.stdout)

        // --metrics-cache read: every store opened read-only, nothing written (a store you must not touch).
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let readOnly = try CLI.run(["report", "--db", db, "--out", dir + "/site-ro", "--metrics-cache", "read"])
        XCTAssertEqual(readOnly.status, 0, readOnly.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before, "a read-only report writes nothing")
        let listed = try CLI.run(["metrics", "--db", db, "--metrics-cache", "read", "--format", "csv"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)

        // report: a site with the run's page.
        let site = dir + "/site"
        let report = try CLI.run(["report", "--db", db, "--out", site])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: site + "/runs/r.html"))

        // --resume with --config: refused as a usage error (the stored configuration is used), one line.
        try "latentSize: 8\n".write(toFile: dir + "/c.yaml", atomically: true, encoding: .utf8)
        let resumeConfig = try CLI.run(["train", "--resume", "r", "--config", dir + "/c.yaml", "--db", db])
        XCTAssertEqual(resumeConfig.status, 64)
        XCTAssertTrue(resumeConfig.stderr.contains("--config cannot be used with --resume"), resumeConfig.stderr)
        // A completed run is not resumed.
        let resumeDone = try CLI.run(["train", "--resume", "r", "--db", db])
        XCTAssertEqual(resumeDone.status, 1)
        XCTAssertEqual(resumeDone.stderr.split(separator: "\n").count, 1, resumeDone.stderr)

        // A bad --set: one line naming the key and the nearest one, exit 1, no run created.
        let beforeBadSet = try Data(contentsOf: URL(fileURLWithPath: db))
        let badSet = try CLI.run(["train", "--corpus", corpus, "--db", db, "--name", "s", "--set", "poolng=max"])
        XCTAssertEqual(badSet.status, 1)
        XCTAssertEqual(badSet.stderr.split(separator: "\n").count, 1, badSet.stderr)
        XCTAssertTrue(badSet.stderr.contains("poolng") && badSet.stderr.contains("pooling"), badSet.stderr)
        let wrongType = try CLI.run(["train", "--corpus", corpus, "--db", db, "--name", "s", "--set", "latentSize=many"])
        XCTAssertEqual(wrongType.status, 1)
        XCTAssertTrue(wrongType.stderr.contains("latentSize"), wrongType.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), beforeBadSet, "a refused run writes nothing")

        // A bad --db for each reading command: missing file, not a store.
        try "not a database\n".write(toFile: dir + "/text.sqlite", atomically: true, encoding: .utf8)
        for args in [["report", "--db", dir + "/missing.sqlite", "--out", dir + "/s2"], ["metrics", "--run", "r", "--db", dir + "/missing.sqlite"],
                     ["runs", "list", "--db", dir + "/text.sqlite"], ["metrics", "--run", "r", "--db", dir + "/text.sqlite"],
                     ["report", "--db", dir + "/text.sqlite", "--out", dir + "/s3"]] {
            let r = try CLI.run(args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.lowercased().hasPrefix("error"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/missing.sqlite"), "reading never creates a store")
        XCTAssertEqual(try String(contentsOfFile: dir + "/text.sqlite", encoding: .utf8), "not a database\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/s2"))
        // An unknown run name.
        let unknown = try CLI.run(["metrics", "--run", "nosuchrun", "--db", db])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("nosuchrun"), unknown.stderr)
    }
}

/// `--split`, `--checkpoint`, `--format`, `--schemes` are checked by ArgumentParser: a usage error (64) that lists
/// the allowed values, and the help lists them too.
final class ArgumentValueTests: XCTestCase {
    func testEnumeratedOptionsListTheirValues() throws {
        let split = try CLI.run(["eval", "r", "--db", "x.sqlite", "--split", "dev"])
        XCTAssertEqual(split.status, 64)
        XCTAssertTrue(split.stderr.contains("'train', 'valid' or 'test'"), split.stderr)
        let checkpoint = try CLI.run(["eval", "r", "--db", "x.sqlite", "--checkpoint", "first"])
        XCTAssertEqual(checkpoint.status, 64)
        XCTAssertTrue(checkpoint.stderr.contains("'best'") && checkpoint.stderr.contains("'last'"), checkpoint.stderr)
        let format = try CLI.run(["metrics", "--db", "x.sqlite", "--format", "xml"])
        XCTAssertEqual(format.status, 64)
        XCTAssertTrue(format.stderr.contains("'table', 'json' or 'csv'"), format.stderr)
        let schemes = try CLI.run(["eval", "r", "--db", "x.sqlite", "--schemes", "greedy,bogus"])
        XCTAssertEqual(schemes.status, 64)
        XCTAssertTrue(schemes.stderr.contains("--schemes"), schemes.stderr)
        let reportSplit = try CLI.run(["report", "--db", "x.sqlite", "--out", "site", "--split", "dev"])
        XCTAssertEqual(reportSplit.status, 64)
        let help = try CLI.run(["eval", "--help"])
        XCTAssertTrue(help.stdout.contains("values: train, valid, test"), help.stdout)
        XCTAssertTrue(help.stdout.contains("values: best, last"), help.stdout)
        XCTAssertTrue(help.stdout.contains("greedy,top-k:5,top-k:15,nucleus:0.5,nucleus:0.9"), "the default schemes in the help")
    }
}
