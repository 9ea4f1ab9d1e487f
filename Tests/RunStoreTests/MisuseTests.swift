import Foundation
import GRDB
import XCTest
@testable import RunStore

/// Issue 20: stores under misuse — nothing written before is lost, refused files are not touched.
final class StoreMisuseTests: XCTestCase {
    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// A store refused for its newer schema used to be rewritten (WAL switch, schema cookie) by every writer.
    func testNewerStoreIsRefusedByWritersAndReadersWithoutAnyChange() throws {
        let dir = TempDir()
        let path = dir.file("future.sqlite")
        let store = try RunStore(path: path)
        try store.createRun(Run(name: "r"))
        try store.close()
        // Make it a store of a future version, in rollback-journal mode (what another tool might leave).
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = DELETE")
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
            try db.execute(sql: "PRAGMA user_version = 99")
        }
        try queue.close()
        let before = try bytes(path)
        for mode in [RunStore.Mode.readWrite, .readOnly] {
            XCTAssertThrowsError(try RunStore(path: path, mode: mode)) { error in
                guard case RunStoreError.newerSchema = error else { return XCTFail("\(error)") }
            }
            XCTAssertEqual(try bytes(path), before, "\(mode) open changed the refused store")
        }
    }

    func testEmptyFileIsRefusedByReadersAndLeftEmpty() throws {
        let dir = TempDir()
        let path = dir.file("empty.sqlite")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        assertThrows(.emptyFile(path: path), mentions: path) { try RunStore(path: path, mode: .readOnly) }
        XCTAssertEqual(try bytes(path).count, 0)
        XCTAssertThrowsError(try RunStoreSet(paths: [path]))
        XCTAssertEqual(try bytes(path).count, 0)
    }

    /// After a writer closes, the .sqlite file alone is the whole store (the WAL is checkpointed and emptied):
    /// a copy of just that file holds every row.
    func testClosedWriterLeavesASelfContainedFile() throws {
        let dir = TempDir()
        let path = dir.file("w.sqlite")
        let store = try RunStore(path: path)
        let run = try store.createRun(Run(name: "r"))
        try store.appendScalars((0..<5_000).map { ScalarPoint(step: $0, split: "train", key: "kl", value: 1) }, to: run.id)
        try store.setStatus(.completed, of: run.id, finishedAt: Date())
        try store.close()
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        XCTAssertEqual(wal, 0)
        let copy = dir.file("copy.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let read = try RunStore(path: copy, mode: .readOnly)
        XCTAssertEqual(try read.run(named: "r").status, .completed)
        XCTAssertEqual(try read.scalars(of: run.id).count, 5_000)
    }

    /// `VAESCOPE_JOURNAL=delete` (the Slurm tasks' setting, for NFS/Lustre): the writer uses the rollback journal,
    /// leaves no -wal or -shm file, turns a WAL store back into a plain one, and readers read it as usual.
    func testRollbackJournalForSharedFilesystems() throws {
        let dir = TempDir()
        let path = dir.file("nfs.sqlite")
        let wal = try RunStore(path: path)   // made in WAL mode first
        _ = try wal.createRun(Run(name: "before"))
        try wal.close()
        setenv("VAESCOPE_JOURNAL", "delete", 1)
        defer { unsetenv("VAESCOPE_JOURNAL") }
        XCTAssertEqual(RunStore.journalMode, .delete)
        let store = try RunStore(path: path)
        let run = try store.createRun(Run(name: "r"))
        try store.appendScalars((0..<100).map { ScalarPoint(step: $0, split: "train", key: "kl", value: 1) }, to: run.id)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"), "no WAL while writing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-shm"), "no shared-memory index")
        let reader = try RunStore(path: path, mode: .readOnly)
        XCTAssertEqual(try reader.scalars(of: run.id).count, 100, "a reader sees the committed rows")
        XCTAssertEqual(try reader.run(named: "before").name, "before")
        try reader.close()
        try store.close()
        let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "delete")
        // Opened for writing again without the variable (`report` writing its cache, `eval` by hand): it stays so.
        unsetenv("VAESCOPE_JOURNAL")
        let again = try RunStore(path: path)
        _ = try again.createRun(Run(name: "later"))
        try again.close()
        XCTAssertEqual(try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "delete",
                       "a rollback-journal store is never switched to WAL")
    }

    /// A writer killed mid-transaction in rollback-journal mode leaves a hot journal: the next open (even a
    /// reader's) restores the last committed state, and the store stays in rollback mode.
    func testHotJournalOfAKilledWriterIsRolledBackAtTheNextOpen() throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("python3 (to kill a writer mid-transaction) not found")
        }
        let dir = TempDir()
        let path = dir.file("hot.sqlite")
        setenv("VAESCOPE_JOURNAL", "delete", 1)
        let store = try RunStore(path: path)
        let run = try store.createRun(Run(name: "r"))
        try store.appendScalars((0..<10).map { ScalarPoint(step: $0, split: "train", key: "kl", value: 1) }, to: run.id)
        try store.close()
        unsetenv("VAESCOPE_JOURNAL")
        // A process that changes the store, spills pages into the file and dies before committing.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", """
            import sqlite3, os, sys
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("pragma cache_size=1"); c.execute("begin immediate")
            c.execute("update runs set name = 'changed'")
            for i in range(3000): c.execute("insert into scalars (run_id, step, split, key, value) select id, 1000+?, 'train', 'junk', 1 from runs", (i,))
            os._exit(0)
            """, path]
        try p.run()
        p.waitUntilExit()
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-journal"), "the killed writer left its journal")
        let reader = try RunStore(path: path, mode: .readOnly)
        XCTAssertEqual(try reader.run(named: "r").name, "r", "the uncommitted rename is gone")
        XCTAssertEqual(try reader.scalars(of: run.id).count, 10, "the uncommitted rows are gone")
        try reader.close()
        XCTAssertEqual(try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }, "delete")
    }

    /// Writes inside `transaction` are all or nothing.
    func testTransactionIsAllOrNothing() throws {
        let dir = TempDir()
        let store = try RunStore(path: dir.file("t.sqlite"))
        let run = try store.createRun(Run(name: "r"))
        struct Boom: Error {}
        XCTAssertThrowsError(try store.transaction {
            try store.appendScalars([ScalarPoint(step: 1, split: "train", key: "kl", value: 1)], to: run.id)
            try store.writeSentences([EvaluatedSentence(index: 0, text: "a b", tokenCount: 2)], split: "test", of: run.id)
            throw Boom()
        })
        XCTAssertEqual(try store.scalars(of: run.id).count, 0)
        XCTAssertEqual(try store.sentences(split: "test", of: run.id).count, 0)
        try store.transaction {
            try store.appendScalars([ScalarPoint(step: 1, split: "train", key: "kl", value: 1)], to: run.id)
        }
        XCTAssertEqual(try store.scalars(of: run.id).count, 1)
    }

    /// A crafted .npy header whose shape overflows used to crash ("Illegal instruction").
    func testCraftedNpyShapeIsAnErrorNotACrash() throws {
        for shape in ["(4611686018427387904, 4)", "(3037000500, 3037000500)", "(2, 3)"] {
            var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
            header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
            var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
            data.append(contentsOf: withUnsafeBytes(of: UInt16(header.utf8.count).littleEndian, Array.init))
            data.append(contentsOf: Array(header.utf8))
            data.append(contentsOf: [UInt8](repeating: 0, count: 16))
            XCTAssertThrowsError(try NumPy.decode(data, path: "x.npy")) { error in
                XCTAssertTrue(error.localizedDescription.contains("x.npy"), error.localizedDescription)
            }
        }
    }

    func testDotNamesAreRefused() throws {
        let dir = TempDir()
        let store = try RunStore(path: dir.file("n.sqlite"))
        for name in [".", ".."] {
            assertThrows(.invalidName(name: name)) { try store.createRun(Run(name: name)) }
        }
    }

    /// The lease: a live holder (pid 1 on this host) blocks another writer; a dead one does not; --force does.
    func testLeaseOfALiveWriterBlocksAnother() throws {
        let dir = TempDir()
        let store = try RunStore(path: dir.file("l.sqlite"))
        let run = try store.createRun(Run(name: "r"))
        let queue = try DatabaseQueue(path: dir.file("l.sqlite"))
        func holdAs(_ pid: Int) throws {
            try queue.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO run_leases VALUES (1, ?, ?, ?, ?)",
                               arguments: [RunLease.currentHost, pid, Date(), Date()])
            }
        }
        try holdAs(1)
        XCTAssertThrowsError(try store.acquireLease(of: run)) { error in
            guard case RunStoreError.runLocked = error else { return XCTFail("\(error)") }
            XCTAssertTrue(error.localizedDescription.contains("--force"))
        }
        XCTAssertNoThrow(try store.acquireLease(of: run, force: true))
        try holdAs(999_999)
        XCTAssertTrue(try XCTUnwrap(store.lease(of: run.id)).isStale())
        XCTAssertNoThrow(try store.acquireLease(of: run))
        XCTAssertTrue(try XCTUnwrap(store.lease(of: run.id)).isOwnedByThisProcess)
        try store.releaseLease(of: run)
        XCTAssertNil(try store.lease(of: run.id))
        try queue.close()
    }
}
