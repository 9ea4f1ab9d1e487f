import Foundation
import GRDB

/// A run store: one SQLite file (WAL mode by default, foreign keys on) holding runs and everything they logged.
///
/// Open it `.readWrite` to write (the trainer, `eval`, `import`, `runs rename/delete`) or `.readOnly` to read
/// (reports, `runs list/show/export`). In WAL mode a reader never blocks a writer: readers see the last committed
/// state. In rollback-journal mode (`JournalMode.delete`, for shared filesystems) a reader's shared lock can make
/// a writer's commit wait (up to the busy timeout): read such stores when their runs are done.
/// Every write method runs in one transaction, so a crash loses at most the batch in flight.
public final class RunStore: Sendable {
    public enum Mode: Sendable { case readWrite, readOnly }

    /// How a writer journals its transactions. `.wal` (the default) lets readers read while a run trains, but its
    /// shared-memory index does not work across machines on a network filesystem (NFS, Lustre): SQLite's
    /// documentation says WAL "does not work over a network filesystem". `.delete` (the rollback journal) relies
    /// only on the file locks those filesystems provide; with one writer per store file (a sweep's layout) it is
    /// safe there. Set per process by `VAESCOPE_JOURNAL=delete` (the Slurm job script of `vaescope sweep slurm`
    /// exports it); readers use whatever mode the file is in.
    public enum JournalMode: String, Sendable { case wal, delete }

    /// This process's journal mode for writers: `VAESCOPE_JOURNAL` (`wal` or `delete`), else `.wal`.
    public static var journalMode: JournalMode {
        ProcessInfo.processInfo.environment["VAESCOPE_JOURNAL"].flatMap { JournalMode(rawValue: $0.lowercased()) } ?? .wal
    }

    /// The schema version this VAEScope writes and reads.
    public static var schemaVersion: Int { Schema.version }

    /// The path as given (used in every error message).
    public let path: String
    public let mode: Mode
    let db: any DatabaseWriter
    let busyTimeout: Double
    /// The database of the `transaction { }` in progress on this store, which `write` joins.
    let open = OpenTransaction()

    final class OpenTransaction: @unchecked Sendable {
        private let lock = NSLock()
        private var database: Database?
        private var thread: Thread?
        var current: Database? {
            lock.lock(); defer { lock.unlock() }
            return thread === Thread.current ? database : nil
        }
        func set(_ db: Database?) {
            lock.lock(); defer { lock.unlock() }
            database = db
            thread = db == nil ? nil : Thread.current
        }
    }

    /// Opens (and for `.readWrite` creates and migrates) the store at `path`.
    /// - Throws: `.notADatabase`, `.emptyFile` (read-only), `.newerSchema`,
    ///   `.noSuchStore` (read-only, missing), `.locked`, `.cannotOpen`.
    public init(path: String, mode: Mode = .readWrite, busyTimeout: Double = 5) throws {
        self.path = path
        self.mode = mode
        self.busyTimeout = busyTimeout
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue { throw RunStoreError.cannotOpen(path: path, reason: "is a directory") }
        if exists { try Self.checkHeader(path) }
        if exists { Self.rollBackHotJournal(path, busyTimeout: busyTimeout) }
        if mode == .readOnly && !exists { throw RunStoreError.noSuchStore(path: path) }
        let empty = exists && ((try? fm.attributesOfItem(atPath: path)[.size] as? NSNumber)??.intValue ?? 0) == 0
        if mode == .readOnly && empty { throw RunStoreError.emptyFile(path: path) }

        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        do {
            switch mode {
            case .readWrite:
                let parent = (path as NSString).deletingLastPathComponent
                if !parent.isEmpty && !fm.fileExists(atPath: parent) {
                    throw RunStoreError.cannotOpen(path: path, reason: "directory \(parent) does not exist")
                }
                // A store this VAEScope cannot write (newer schema, unknown migration) is refused before any
                // connection that could change the file (switching to WAL rewrites its header) is opened.
                let fileMode = exists && !empty ? try Self.preflight(path: path, busyTimeout: busyTimeout) : nil
                // A store already in rollback-journal mode stays so (a sweep's store on a shared filesystem,
                // opened by `report` or `eval` from a shell without VAESCOPE_JOURNAL): never switched to WAL.
                let rollback = Self.journalMode == .delete || (fileMode != nil && fileMode != "wal")
                db = rollback
                    ? try Self.openWithRollbackJournal(path: path, configuration: config, busyTimeout: busyTimeout)
                    : try Self.openForWriting(path: path, configuration: config, busyTimeout: busyTimeout)
            case .readOnly:
                // Reading never writes: an older store is read as it is (every version since 1 reads alike; what a
                // later version added is absent), a newer one is refused.
                try Self.preflight(path: path, busyTimeout: busyTimeout)
                config.readonly = true
                let queue = try DatabaseQueue(path: path, configuration: config)
                try Self.checkNotSuperseded(queue, path: path)
                db = queue
            }
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// Fails fast with `.notADatabase` unless the file is empty or starts with SQLite's magic string.
    static func checkHeader(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RunStoreError.cannotOpen(path: path, reason: "permission denied")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if head.isEmpty { return }
        if head != Data("SQLite format 3\0".utf8) { throw RunStoreError.notADatabase(path: path) }
    }

    /// A writer killed mid-transaction in rollback-journal mode leaves `PATH-journal` ("hot"); SQLite restores the
    /// last committed state from it at the next open by a connection that may write — a read-only one cannot and
    /// fails. So when the journal exists and the store's folder is writable, a plain connection reads the schema
    /// once (SQLite rolls the journal back, changing nothing else, not even the journal mode): the only write a
    /// reader makes, and what any writer would have done first. On a read-only share the open then fails with a
    /// message saying so (`translate`).
    static func rollBackHotJournal(_ path: String, busyTimeout: Double) {
        let journal = path + "-journal"
        let folder = (path as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: journal),
              FileManager.default.isWritableFile(atPath: path),
              FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else { return }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        guard let queue = try? DatabaseQueue(path: path, configuration: config) else { return }
        _ = try? queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
        try? queue.close()
    }

    /// Refuses, through a read-only connection, a store of a newer schema or with an unknown migration; returns
    /// the journal mode the file is in ("wal", "delete", …) from the same connection.
    @discardableResult
    static func preflight(path: String, busyTimeout: Double) throws -> String {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(busyTimeout)
        let queue = try DatabaseQueue(path: path, configuration: config)
        defer { try? queue.close() }
        try checkNotSuperseded(queue, path: path)
        return try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" }.lowercased()
    }

    static func checkNotSuperseded(_ db: any DatabaseReader, path: String) throws {
        try db.read { db in
            let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if found > Schema.version {
                throw RunStoreError.newerSchema(path: path, found: found, supported: Schema.version)
            }
            if try db.tableExists("grdb_migrations"), try Schema.migrator.hasBeenSuperseded(db) {
                let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").count
                throw RunStoreError.newerSchema(path: path, found: max(found, applied), supported: Schema.version)
            }
        }
    }

    /// Refuses newer stores, adopts stores created by other languages at `user_version` N (records
    /// migrations v1 … vN as applied), then runs the remaining migrations.
    static func migrate(_ pool: any DatabaseWriter, path: String) throws {
        try checkNotSuperseded(pool, path: path)
        let needsAdoption = try pool.read { db in
            try (Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0) > 0 && !db.tableExists("grdb_migrations")
        }
        if needsAdoption { try pool.write { db in
            let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            if found > 0, try !db.tableExists("grdb_migrations") {
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                for id in Schema.migrationIDs.prefix(found) {
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [id])
                }
            }
        } }
        let complete = try pool.read { db in try Schema.migrator.hasCompletedMigrations(db) }
        if !complete { try Schema.migrator.migrate(pool) }
    }

    /// Opens and migrates a writable pool. Two processes creating the same new store at once (two `train` runs
    /// started together) race: switching to WAL reports BUSY without waiting, and both may find the schema
    /// missing and migrate — the second then fails ("table runs already exists") after the first committed (each
    /// migration is one transaction, so nothing is half-done). Both are retried until `busyTimeout` has passed;
    /// the retry finds the schema complete.
    static func openForWriting(path: String, configuration: Configuration, busyTimeout: Double) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            let pool: DatabasePool
            do { pool = try DatabasePool(path: path, configuration: configuration) } catch let error as DatabaseError where
                (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            do {
                try Self.migrate(pool, path: path)
                return pool
            } catch let error as DatabaseError where error.resultCode != .SQLITE_CORRUPT && error.resultCode != .SQLITE_NOTADB
                && error.resultCode != .SQLITE_FULL && Date() < deadline {
                try? pool.close()
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// Maps SQLite failures to one-line errors naming the store.
    static func translate(_ error: DatabaseError, path: String, busyTimeout: Double) -> RunStoreError {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path, seconds: busyTimeout)
        case .SQLITE_NOTADB: return .notADatabase(path: path)
        case .SQLITE_CANTOPEN: return .cannotOpen(path: path, reason: error.message ?? "unable to open")
        case .SQLITE_READONLY:
            if error.extendedResultCode == .SQLITE_READONLY_ROLLBACK || FileManager.default.fileExists(atPath: path + "-journal") {
                return .cannotWrite(path: path, reason: "a writer killed mid-transaction left \((path as NSString).lastPathComponent)-journal; "
                    + "it is rolled back by the first open from a machine that may write the store's folder")
            }
            return .cannotWrite(path: path, reason: "store is read-only")
        case .SQLITE_FULL: return .cannotWrite(path: path, reason: "disk full")
        case .SQLITE_CORRUPT: return .corrupt(path: path, detail: error.message ?? "malformed database")
        default: return .sqlite(path: path, message: error.message ?? "\(error.resultCode)")
        }
    }

    /// Runs `body` in one write transaction, translating SQLite errors.
    func write<T>(_ body: @Sendable (Database) throws -> T) throws -> T {
        guard mode == .readWrite else {
            throw RunStoreError.cannotWrite(path: path, reason: "store was opened read-only")
        }
        if let current = open.current { return try body(current) }
        do { return try db.write(body) } catch let error as DatabaseError {
            throw Self.translate(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// Runs `body` on a consistent snapshot, translating SQLite errors.
    func read<T>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do { return try db.read(body) } catch let error as DatabaseError {
            throw Self.translate(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// The internal integer key of a run, or `.unknownRun`.
    func rowID(_ db: Database, _ run: UUID) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM runs WHERE uuid = ?",
                                          arguments: [run.uuidString.lowercased()]) else {
            throw RunStoreError.unknownRun(name: run.uuidString.lowercased(), path: path)
        }
        return id
    }

    /// Runs every write `body` makes through this store in ONE transaction: all of them are committed, or
    /// (on an error, or a kill) none. Not re-entrant.
    public func transaction(_ body: () throws -> Void) throws {
        guard mode == .readWrite else {
            throw RunStoreError.cannotWrite(path: path, reason: "store was opened read-only")
        }
        do {
            try withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let run = body
                try db.write { database in
                    open.set(database)
                    defer { open.set(nil) }
                    try run()
                }
            }
        } catch let error as DatabaseError {
            throw Self.translate(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// Opens a writer on one connection with the rollback journal (`journal_mode=DELETE`, which also turns a WAL
    /// file back into a plain one) and migrates it; busy waits as `openForWriting` does.
    static func openWithRollbackJournal(path: String, configuration: Configuration, busyTimeout: Double) throws -> DatabaseQueue {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                do {
                    try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode=DELETE") }
                    try Self.migrate(queue, path: path)
                    return queue
                } catch {
                    try? queue.close()
                    throw error
                }
            } catch let error as DatabaseError where error.resultCode != .SQLITE_CORRUPT && error.resultCode != .SQLITE_NOTADB
                && error.resultCode != .SQLITE_FULL && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// Closes the connections (also done on deinit). A writer first checkpoints the WAL into the main file
    /// and truncates it, so that the `.sqlite` file alone is the whole store (a copy of it is complete).
    public func close() throws {
        if let pool = db as? DatabasePool {
            if mode == .readWrite { _ = try? pool.writeWithoutTransaction { try $0.checkpoint(.truncate) } }
            try pool.close()
        }
        if let queue = db as? DatabaseQueue { try queue.close() }
    }
}
