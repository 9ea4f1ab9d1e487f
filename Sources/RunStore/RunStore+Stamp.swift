import Foundation
import GRDB

extension RunStore {
    /// A cheap fingerprint of what one run holds for `split`, to tell whether anything changed since a
    /// report was built without reading the data: the run row (name, status, timestamps, config, corpus),
    /// and for scalars (all splits), the split's sentences, latents and decoded texts the row count and the
    /// largest rowid. Index-only scans; no row or blob is read.
    ///
    /// Appending or deleting rows changes it, and so does replacing them unless the replaced rows were the
    /// table's last and the same number is written back (SQLite then reuses their rowids). Callers that
    /// must notice such rewrites hash the content too (the report hashes every scalar, which `vaescope
    /// eval` rewrites along with latents and texts).
    public func changeStamp(of run: UUID, split: String) throws -> String {
        try read { db in
            let id = try self.rowID(db, run)
            var parts: [String] = []
            if let row = try Row.fetchOne(db, sql: """
                SELECT name, status, created_at, finished_at, config, corpus_name, corpus_hash FROM runs WHERE id = ?
                """, arguments: [id]) {
                for i in 0..<7 { parts.append(String(describing: row[i] as DatabaseValue)) }
            }
            let queries: [(String, StatementArguments)] = [
                ("SELECT COUNT(*), MAX(rowid) FROM scalars WHERE run_id = ?", [id]),
                ("SELECT COUNT(*), MAX(rowid) FROM sentences WHERE run_id = ? AND split = ?", [id, split]),
                ("SELECT COUNT(*), MAX(rowid) FROM latents WHERE run_id = ? AND split = ?", [id, split]),
                ("SELECT COUNT(*), MAX(id) FROM decoded_texts WHERE run_id = ? AND split = ?", [id, split]),
            ]
            for (sql, args) in queries {
                guard let row = try Row.fetchOne(db, sql: sql, arguments: args) else { continue }
                let count: Int = row[0] ?? 0
                let maxID: Int64 = row[1] ?? 0
                parts.append("\(count):\(maxID)")
            }
            return parts.joined(separator: "\u{1}")
        }
    }
}
