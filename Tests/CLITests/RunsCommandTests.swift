import Foundation
import RunStore
import XCTest

/// `vaescope runs …` and `vaescope import` end to end: the built binary, its output, exit codes and stderr.
final class RunsCommandTests: XCTestCase {
    typealias Result = CLI.Result
    var binary: String { CLI.binary }

    func vaescope(_ arguments: String...) throws -> Result { try CLI.run(arguments) }

    var dir = ""
    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "vaescope-cli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try NumPy.write((0..<12).map { Float($0) / 10 }, shape: [4, 3], to: dir + "/in/mu.npy")
        try NumPy.write((0..<12).map { -Float($0) / 10 }, shape: [4, 3], to: dir + "/in/logvar.npy")
        try "a b\nc d e\nf\ng h\n".write(toFile: dir + "/in/sentences.txt", atomically: true, encoding: .utf8)
        try "step,key,value\n1,kl,5\n2,kl,4.5\n2,reconstruction,80.25\n"
            .write(toFile: dir + "/in/scalars.csv", atomically: true, encoding: .utf8)
        try #"{"objective":"klTarget","klTarget":3,"pooling":"max"}"#
            .write(toFile: dir + "/in/config.json", atomically: true, encoding: .utf8)
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func testImportListShowRenameDeleteExport() throws {
        let db = dir + "/a.sqlite"
        let imported = try vaescope("import", "--db", db, "--name", "imp", dir + "/in")
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("mu.npy: 4×3"), imported.stdout)

        let list = try vaescope("runs", "list", "--db", db)
        XCTAssertEqual(list.status, 0, list.stderr)
        let lines = list.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix("NAME"))
        XCTAssertEqual(lines[1].split(separator: " ", omittingEmptySubsequences: true),
                       ["imp", "completed", "klTarget", "max", "3.000", "2", "4.500", "80.250"])

        let json = try vaescope("runs", "list", "--db", db, "--format", "json")
        let array = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(array.first?["name"] as? String, "imp")
        XCTAssertEqual(array.first?["lastKL"] as? Double, 4.5)
        let csv = try vaescope("runs", "list", "--db", db, "--format", "csv")
        XCTAssertTrue(csv.stdout.hasPrefix("name,uuid,status,objective,pooling,klTarget,steps,lastKL,lastReconstruction,store,stale\nimp,"))

        let show = try vaescope("runs", "show", "--db", db, "imp")
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("latents       test: N=4 d=3 S=0 H=0"), show.stdout)
        XCTAssertTrue(show.stdout.contains("\"pooling\" : \"max\""), show.stdout)

        XCTAssertEqual(try vaescope("runs", "rename", "--db", db, "imp", "imp2").status, 0)
        let export = try vaescope("runs", "export", "--db", db, "imp2", "--out", dir + "/out")
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertEqual(try NumPy.read(path: dir + "/out/mu.npy").values, try NumPy.read(path: dir + "/in/mu.npy").values)

        let delete = try vaescope("runs", "delete", "--db", db, "imp2")
        XCTAssertTrue(delete.stdout.hasPrefix("deleted run 'imp2'"), delete.stdout)
        XCTAssertTrue(delete.stdout.contains("3 scalar points"), delete.stdout)
        XCTAssertEqual(try vaescope("runs", "list", "--db", db).stdout, "no runs\n")
    }

    func testSeveralStoresByGlob() throws {
        for name in ["x", "y"] {
            XCTAssertEqual(try vaescope("import", "--db", dir + "/\(name).sqlite", "--name", "run-\(name)", dir + "/in").status, 0)
        }
        let list = try vaescope("runs", "list", "--db", dir + "/*.sqlite")
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("STORE"))
        XCTAssertTrue(list.stdout.contains("run-x") && list.stdout.contains("run-y"))
        let none = try vaescope("runs", "list", "--db", dir + "/nothing-*.sqlite")
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stderr, "error: \(dir)/nothing-*.sqlite: no such run store\n")
    }

    func testErrorsAndExitCodes() throws {
        let db = dir + "/a.sqlite"
        XCTAssertEqual(try vaescope("import", "--db", db, "--name", "imp", dir + "/in").status, 0)

        let unknown = try vaescope("runs", "show", "--db", db, "nope")
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "error: \(db): no run named 'nope'\n")

        let duplicate = try vaescope("import", "--db", db, "--name", "imp", dir + "/in")
        XCTAssertEqual(duplicate.status, 1)
        XCTAssertTrue(duplicate.stderr.hasPrefix("error: \(db): a run named 'imp' already exists"), duplicate.stderr)

        let text = dir + "/notes.txt"
        try "not a database".write(toFile: text, atomically: true, encoding: .utf8)
        let notDB = try vaescope("runs", "list", "--db", text)
        XCTAssertEqual(notDB.status, 1)
        XCTAssertEqual(notDB.stderr, "error: \(text): not a SQLite database (is this a VAEScope run store?)\n")

        try "1,kl,oops\n".write(toFile: dir + "/in/scalars.csv", atomically: true, encoding: .utf8)
        let bad = try vaescope("import", "--db", db, "--name", "bad", dir + "/in")
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "error: \(dir)/in/scalars.csv: line 1: value 'oops' is not a finite number (write nan for a missing or diverged value)\n")
        XCTAssertEqual(try vaescope("runs", "list", "--db", db, "--format", "csv").stdout.split(separator: "\n").count, 2)

        _ = FileManager.default.createFile(atPath: dir + "/file", contents: Data())
        let unwritable = try vaescope("runs", "export", "--db", db, "imp", "--out", dir + "/file/out")
        XCTAssertEqual(unwritable.status, 1)
        XCTAssertEqual(unwritable.stderr, "error: \(dir)/file/out: cannot write: cannot create directory\n")

        XCTAssertEqual(try vaescope("runs", "list").status, 64)
        XCTAssertEqual(try vaescope("runs", "list", "--db", db, "--format", "xml").status, 64)
    }
}
