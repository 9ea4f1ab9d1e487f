import Foundation
import GRDB

extension RunStore {
    /// Rows per multi-row INSERT in `appendScalars` (6 × 64 bound parameters, far below SQLite's limit).
    static let scalarChunk = 64

    /// Appends scalar points in one transaction, with cached multi-row INSERT statements (64 rows each).
    /// NaN values are stored as NULL.
    public func appendScalars(_ points: [ScalarPoint], to run: UUID) throws {
        if points.isEmpty { return }
        try write { db in
            let id = try self.rowID(db, run)
            func sql(_ rows: Int) -> String {
                "INSERT INTO scalars (run_id, step, epoch, split, key, value) VALUES "
                    + Array(repeating: "(?,?,?,?,?,?)", count: rows).joined(separator: ",")
            }
            var start = 0
            var arguments: [(any DatabaseValueConvertible)?] = []
            arguments.reserveCapacity(6 * Self.scalarChunk)
            while start < points.count {
                let rows = min(Self.scalarChunk, points.count - start)
                let statement = try db.cachedStatement(sql: sql(rows))
                arguments.removeAll(keepingCapacity: true)
                for p in points[start..<(start + rows)] {
                    arguments.append(id); arguments.append(p.step); arguments.append(p.epoch)
                    arguments.append(p.split); arguments.append(p.key); arguments.append(p.value.isNaN ? nil : p.value)
                }
                statement.setUncheckedArguments(StatementArguments(arguments))
                try statement.execute()
                start += rows
            }
        }
    }

    /// Deletes the scalar points with step > `step` (used on resume, to drop what was logged after the
    /// checkpoint). Returns the number deleted.
    @discardableResult
    public func deleteScalars(of run: UUID, afterStep step: Int) throws -> Int {
        try write { db in
            let id = try self.rowID(db, run)
            try db.execute(sql: "DELETE FROM scalars WHERE run_id = ? AND step > ?", arguments: [id, step])
            return db.changesCount
        }
    }

    /// Scalar points of a run ordered by (key, split, step, insertion), optionally of one key and/or split.
    /// `excludingSplit`: leave that split's points out (the site reads a reused run without its training curves).
    public func scalars(of run: UUID, key: String? = nil, split: String? = nil, excludingSplit: String? = nil) throws -> [ScalarPoint] {
        try read { db in
            let id = try self.rowID(db, run)
            var sql = "SELECT step, epoch, split, key, value FROM scalars WHERE run_id = ?"
            var args: [(any DatabaseValueConvertible)?] = [id]
            if let key { sql += " AND key = ?"; args.append(key) }
            if let split { sql += " AND split = ?"; args.append(split) }
            if let excludingSplit { sql += " AND split <> ?"; args.append(excludingSplit) }
            sql += " ORDER BY key, split, step, rowid"
            var out: [ScalarPoint] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
            while let row = try rows.next() {
                let value: Double? = row[4]
                out.append(ScalarPoint(step: row[0], epoch: row[1], split: row[2], key: row[3], value: value ?? .nan))
            }
            return out
        }
    }

    /// The distinct (split, key) pairs of a run, sorted.
    public func scalarKeys(of run: UUID) throws -> [(split: String, key: String)] {
        try read { db in
            let id = try self.rowID(db, run)
            return try Row.fetchAll(db, sql: "SELECT DISTINCT split, key FROM scalars WHERE run_id = ? ORDER BY split, key",
                                    arguments: [id]).map { (split: $0[0], key: $0[1]) }
        }
    }

    /// first/last/min/max of every (split, key) series, sorted by split then key.
    public func scalarSummaries(of run: UUID) throws -> [ScalarSummary] {
        let points = try scalars(of: run)
        var summaries: [ScalarSummary] = []
        var i = 0
        while i < points.count {
            var j = i
            while j < points.count && points[j].key == points[i].key && points[j].split == points[i].split { j += 1 }
            let series = points[i..<j]
            let finite = series.map(\.value).filter { !$0.isNaN }
            summaries.append(ScalarSummary(
                split: points[i].split, key: points[i].key, count: series.count,
                firstStep: series.first?.step ?? 0, lastStep: series.last?.step ?? 0,
                first: series.first?.value ?? .nan, last: series.last?.value ?? .nan,
                min: finite.min() ?? .nan, max: finite.max() ?? .nan))
            i = j
        }
        return summaries.sorted { ($0.split, $0.key) < ($1.split, $1.key) }
    }

    /// The largest step logged for the run (0 if none).
    public func lastStep(of run: UUID) throws -> Int {
        try read { db in
            let id = try self.rowID(db, run)
            return try Int.fetchOne(db, sql: "SELECT MAX(step) FROM scalars WHERE run_id = ?", arguments: [id]) ?? 0
        }
    }

    /// The value at the largest step of `key` in the first of `splits` that has it, or nil.
    public func lastValue(of run: UUID, key: String, preferring splits: [String]) throws -> (split: String, value: Double)? {
        try read { db in
            let id = try self.rowID(db, run)
            for split in splits {
                let sql = "SELECT value FROM scalars WHERE run_id = ? AND key = ? AND split = ? ORDER BY step DESC, rowid DESC LIMIT 1"
                if let row = try Row.fetchOne(db, sql: sql, arguments: [id, key, split]) {
                    let v: Double? = row[0]
                    return (split, v ?? .nan)
                }
            }
            return nil
        }
    }
}
