import Foundation
import GRDB

extension Run {
    static let columns = "uuid, name, status, created_at, finished_at, config, corpus_name, corpus_hash, seed, tool_version"

    init(row: Row, path: String) throws {
        let uuidText: String = row["uuid"]
        let statusText: String = row["status"]
        guard let id = UUID(uuidString: uuidText) else {
            throw RunStoreError.corrupt(path: path, detail: "run uuid '\(uuidText)' is not a UUID")
        }
        guard let status = RunStatus(rawValue: statusText) else {
            throw RunStoreError.corrupt(path: path, detail: "run status '\(statusText)' is unknown")
        }
        guard let created: Date = row["created_at"] else {
            throw RunStoreError.corrupt(path: path, detail: "run '\(row["name"] as String)' has no valid created_at")
        }
        let seed: Int64 = row["seed"]
        self.init(id: id, name: row["name"], status: status, createdAt: created, finishedAt: row["finished_at"],
                  config: row["config"], corpusName: row["corpus_name"], corpusHash: row["corpus_hash"],
                  seed: UInt64(bitPattern: seed), toolVersion: row["tool_version"])
    }
}

/// Run names: non-empty, not `.` or `..` (they become file and page names), no control characters, no '/'.
/// Leading/trailing spaces are not allowed either.
func validateRunName(_ name: String) throws {
    let bad = name.isEmpty || name == "." || name == ".." || name != name.trimmingCharacters(in: .whitespaces)
        || name.contains("/") || name.unicodeScalars.contains { $0.properties.generalCategory == .control }
    if bad { throw RunStoreError.invalidName(name: name) }
}

extension RunStore {
    /// Inserts a run. Its UUID and name must be new in this store.
    /// - Throws: `.duplicateName`, `.invalidName`, `.invalidInput` (config not a JSON object).
    @discardableResult
    public func createRun(_ run: Run) throws -> Run {
        try validateRunName(run.name)
        try validateJSONObject(run.config, what: "run config")
        let path = self.path
        return try write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE name = ?", arguments: [run.name]) == true {
                throw RunStoreError.duplicateName(name: run.name, path: path)
            }
            try db.execute(sql: "INSERT INTO runs (\(Run.columns)) VALUES (?,?,?,?,?,?,?,?,?,?)", arguments: [
                run.id.uuidString.lowercased(), run.name, run.status.rawValue, run.createdAt, run.finishedAt,
                run.config, run.corpusName, run.corpusHash, Int64(bitPattern: run.seed), run.toolVersion,
            ])
            return run
        }
    }

    /// All runs, oldest first (then by name).
    public func runs() throws -> [Run] {
        let path = self.path
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Run.columns) FROM runs ORDER BY created_at, name")
                .map { try Run(row: $0, path: path) }
        }
    }

    /// The run with this name, or with this UUID (full, case-insensitive). Throws `.unknownRun`.
    public func run(named name: String) throws -> Run {
        let path = self.path
        return try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT \(Run.columns) FROM runs WHERE name = ? OR uuid = ?",
                                       arguments: [name, name.lowercased()])
            guard let row else { throw RunStoreError.unknownRun(name: name, path: path) }
            return try Run(row: row, path: path)
        }
    }

    /// The run with this UUID, or nil.
    public func run(id: UUID) throws -> Run? {
        let path = self.path
        return try read { db in
            try Row.fetchOne(db, sql: "SELECT \(Run.columns) FROM runs WHERE uuid = ?",
                             arguments: [id.uuidString.lowercased()]).map { try Run(row: $0, path: path) }
        }
    }

    /// Renames a run. Throws `.unknownRun`, `.duplicateName`, `.invalidName`.
    public func renameRun(_ old: String, to new: String) throws {
        try validateRunName(new)
        let path = self.path
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE name = ?", arguments: [old]) == true else {
                throw RunStoreError.unknownRun(name: old, path: path)
            }
            if old == new { return }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE name = ?", arguments: [new]) == true {
                throw RunStoreError.duplicateName(name: new, path: path)
            }
            try db.execute(sql: "UPDATE runs SET name = ? WHERE name = ?", arguments: [new, old])
        }
    }

    /// Deletes a run and everything it holds (foreign keys cascade). Returns what was deleted.
    @discardableResult
    public func deleteRun(named name: String) throws -> RunContents {
        let run = try run(named: name)
        let path = self.path
        return try write { db in
            let id = try self.rowID(db, run.id)
            let contents = try Self.contents(db, id: id)
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw RunStoreError.unknownRun(name: name, path: path) }
            return contents
        }
    }

    /// Sets a run's status; `finishedAt` is stored as given (pass nil while running).
    public func setStatus(_ status: RunStatus, of run: UUID, finishedAt: Date? = nil) throws {
        try write { db in
            let id = try self.rowID(db, run)
            try db.execute(sql: "UPDATE runs SET status = ?, finished_at = ? WHERE id = ?",
                           arguments: [status.rawValue, finishedAt, id])
        }
    }

    /// Replaces a run's configuration JSON (e.g. on resume with changed budget).
    public func setConfig(_ config: String, of run: UUID) throws {
        try validateJSONObject(config, what: "run config")
        try write { db in
            let id = try self.rowID(db, run)
            try db.execute(sql: "UPDATE runs SET config = ? WHERE id = ?", arguments: [config, id])
        }
    }

    /// Counts of everything the run holds.
    public func contents(of run: UUID) throws -> RunContents {
        try read { db in try Self.contents(db, id: try self.rowID(db, run)) }
    }

    static func contents(_ db: Database, id: Int64) throws -> RunContents {
        var c = RunContents()
        c.scalarPoints = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM scalars WHERE run_id = ?", arguments: [id]) ?? 0
        c.scalarKeys = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT split || '/' || key) FROM scalars WHERE run_id = ?",
                                        arguments: [id]) ?? 0
        for row in try Row.fetchAll(db, sql: "SELECT split, COUNT(*) FROM sentences WHERE run_id = ? GROUP BY split",
                                    arguments: [id]) {
            c.sentences[row[0]] = row[1]
        }
        let latentSQL = """
            SELECT split, COUNT(*), MAX(latent_dim), MAX(samples), MAX(feature_dim) FROM latents
            WHERE run_id = ? GROUP BY split
            """
        for row in try Row.fetchAll(db, sql: latentSQL, arguments: [id]) {
            c.latents[row[0]] = LatentShape(count: row[1], latentSize: row[2], samples: row[3], featureSize: row[4])
        }
        for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) FROM decoded_texts WHERE run_id = ? GROUP BY kind",
                                    arguments: [id]) {
            c.decodedTexts[row[0]] = row[1]
        }
        c.checkpointTags = try String.fetchAll(db, sql: "SELECT tag FROM checkpoints WHERE run_id = ? ORDER BY tag",
                                               arguments: [id])
        c.metrics = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metrics WHERE run_id = ?", arguments: [id]) ?? 0
        c.results = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM results WHERE run_id = ?", arguments: [id]) ?? 0
        return c
    }
}

/// Throws `.invalidInput` unless `text` parses as a JSON object.
func validateJSONObject(_ text: String, what: String) throws {
    guard let data = text.data(using: .utf8),
          (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
        throw RunStoreError.invalidInput(detail: "\(what) is not a JSON object")
    }
}
