import Foundation
import GRDB

extension RunStore {
    // MARK: Checkpoints

    /// Saves a checkpoint, replacing the run's previous one with the same tag (one transaction).
    public func saveCheckpoint(_ checkpoint: Checkpoint, of run: UUID) throws {
        try validateJSONObject(checkpoint.extra, what: "checkpoint extra")
        try write { db in
            let id = try self.rowID(db, run)
            try db.execute(sql: """
                INSERT OR REPLACE INTO checkpoints
                  (run_id, tag, step, epoch, created_at, weights, optimizer_state, rng_state, extra)
                VALUES (?,?,?,?,?,?,?,?,?)
                """, arguments: [id, checkpoint.tag, checkpoint.step, checkpoint.epoch, checkpoint.createdAt,
                                 checkpoint.weights, checkpoint.optimizerState, checkpoint.rngState, checkpoint.extra])
        }
    }

    /// The run's checkpoint with this tag, or nil.
    public func checkpoint(tag: String, of run: UUID) throws -> Checkpoint? {
        try read { db in
            let id = try self.rowID(db, run)
            guard let row = try Row.fetchOne(db, sql: """
                SELECT tag, step, epoch, created_at, weights, optimizer_state, rng_state, extra FROM checkpoints
                WHERE run_id = ? AND tag = ?
                """, arguments: [id, tag]) else { return nil }
            let created: Date? = row[3]
            return Checkpoint(tag: row[0], step: row[1], epoch: row[2], createdAt: created ?? Date(timeIntervalSince1970: 0),
                              weights: row[4], optimizerState: row[5], rngState: row[6], extra: row[7])
        }
    }

    // MARK: Metrics cache

    /// Stores (or replaces) cached metric values in one transaction. NaN is stored as NULL.
    public func putMetrics(_ values: [MetricValue], of run: UUID) throws {
        if values.isEmpty { return }
        try write { db in
            let id = try self.rowID(db, run)
            let statement = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO metrics (run_id, metric, variant, split, bucket, value, inputs_hash)
                VALUES (?,?,?,?,?,?,?)
                """)
            for m in values {
                statement.setUncheckedArguments([id, m.metric, m.variant, m.split, m.bucket,
                                                 m.value.isNaN ? nil : m.value, m.inputsHash])
                try statement.execute()
            }
        }
    }

    /// The cached value if one exists for this key *and* `inputsHash`; nil means "recompute".
    public func cachedMetric(_ metric: String, variant: String = "", split: String, bucket: String = "all",
                             inputsHash: String, of run: UUID) throws -> Double? {
        try read { db in
            let id = try self.rowID(db, run)
            guard let row = try Row.fetchOne(db, sql: """
                SELECT value FROM metrics WHERE run_id = ? AND metric = ? AND variant = ? AND split = ? AND bucket = ?
                AND inputs_hash = ?
                """, arguments: [id, metric, variant, split, bucket, inputsHash]) else { return nil }
            let v: Double? = row[0]
            return v ?? .nan
        }
    }

    /// All cached metrics of a run, sorted by (split, metric, variant, bucket).
    public func metrics(of run: UUID, split: String? = nil) throws -> [MetricValue] {
        try read { db in
            let id = try self.rowID(db, run)
            var sql = "SELECT metric, variant, split, bucket, value, inputs_hash FROM metrics WHERE run_id = ?"
            var args: [(any DatabaseValueConvertible)?] = [id]
            if let split { sql += " AND split = ?"; args.append(split) }
            sql += " ORDER BY split, metric, variant, bucket"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                let v: Double? = row[4]
                return MetricValue(metric: row[0], variant: row[1], split: row[2], bucket: row[3], value: v ?? .nan,
                                   inputsHash: row[5])
            }
        }
    }

    // MARK: Results

    /// Stores (or replaces, by (split, name, variant, parameters)) result rows in one transaction.
    public func putResults(_ rows: [ResultRow], of run: UUID) throws {
        if rows.isEmpty { return }
        for r in rows { try validateJSONObject(r.parameters, what: "result '\(r.name)' parameters") }
        try write { db in
            let id = try self.rowID(db, run)
            let statement = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO results (run_id, split, name, variant, parameters, value) VALUES (?,?,?,?,?,?)
                """)
            for r in rows {
                statement.setUncheckedArguments([id, r.split, r.name, r.variant, r.parameters, r.value.isNaN ? nil : r.value])
                try statement.execute()
            }
        }
    }

    /// Result rows of a run, sorted by (split, name, variant, parameters), optionally filtered.
    public func results(of run: UUID, split: String? = nil, name: String? = nil) throws -> [ResultRow] {
        try read { db in
            let id = try self.rowID(db, run)
            var sql = "SELECT split, name, variant, parameters, value FROM results WHERE run_id = ?"
            var args: [(any DatabaseValueConvertible)?] = [id]
            if let split { sql += " AND split = ?"; args.append(split) }
            if let name { sql += " AND name = ?"; args.append(name) }
            sql += " ORDER BY split, name, variant, parameters"
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { row in
                let v: Double? = row[4]
                return ResultRow(split: row[0], name: row[1], variant: row[2], parameters: row[3], value: v ?? .nan)
            }
        }
    }
}
