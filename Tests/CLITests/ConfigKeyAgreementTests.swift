import Foundation
import XCTest

/// Report specs accept every trainer key, even one no loaded run has (a spec written for runs not trained yet):
/// `vaescope report` hands Site the trainer's keys, so Site keeps no list of its own that could fall behind.
final class ConfigKeyAgreementTests: XCTestCase {
    func testASpecMayNameAnyTrainerKeyButNoOther() throws {
        let dir = NSTemporaryDirectory() + "vaescope-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A store holding one imported run whose config has none of the trainer's keys.
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try "a b\nc d\n".write(toFile: dir + "/in/sentences.txt", atomically: true, encoding: .utf8)
        try "{\"mine\": 1}".write(toFile: dir + "/in/config.json", atomically: true, encoding: .utf8)
        let imported = try CLI.run(["import", "--db", dir + "/s.sqlite", "--name", "r", dir + "/in"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        for key in ["aggressive", "cosineRegularizer", "latentToOutput", "klTarget", "decoderCell"] {
            try "groupBy: [\(key)]\nexhibits:\n  - kind: probeTable\n".write(toFile: dir + "/k.yaml", atomically: true, encoding: .utf8)
            let r = try CLI.run(["report", "--db", dir + "/s.sqlite", "--spec", dir + "/k.yaml", "--out", dir + "/site-\(key)"])
            XCTAssertEqual(r.status, 0, "\(key): \(r.stderr)")
        }
        try "groupBy: [poolng]\nexhibits:\n  - kind: probeTable\n".write(toFile: dir + "/k.yaml", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["report", "--db", dir + "/s.sqlite", "--spec", dir + "/k.yaml", "--out", dir + "/site-bad"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("unknown config key 'poolng'"), bad.stderr)
    }
}
