import Foundation
import GRDB
import RunStore
import XCTest

/// Issue 20, item 9: a run name written by another program with terminal escapes or bidi overrides is shown
/// visibly by `runs list` / `runs show`, never sent to the terminal as control characters.
final class HostileNameTests: XCTestCase {
    func testRunsListShowsControlCharactersVisibly() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("vaescope").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { return XCTFail("no vaescope binary at \(binary)") }
        let dir = NSTemporaryDirectory() + "vaescope-hostile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/h.sqlite"
        let store = try RunStore(path: db)
        try store.createRun(Run(name: "plain"))
        try store.close()
        let q = try DatabaseQueue(path: db)
        try q.write { try $0.execute(sql: "UPDATE runs SET name = ?", arguments: ["red\u{1B}[31m\u{202E}gpj.exe"]) }
        try q.close()
        for args in [["runs", "list", "--db", db], ["runs", "show", "red\u{1B}[31m\u{202E}gpj.exe", "--db", db]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = args
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, text)
            XCTAssertFalse(text.contains("\u{1B}"), "\(args[1]) printed an escape character: \(text.debugDescription)")
            XCTAssertFalse(text.contains("\u{202E}"), "\(args[1]) printed a bidi override")
            XCTAssertTrue(text.contains("red\\u{1B}[31m\\u{202E}gpj.exe"), text)
        }
    }
}
