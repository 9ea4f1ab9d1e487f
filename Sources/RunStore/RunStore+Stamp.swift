import Foundation
import GRDB

extension RunStore {
    /// A cheap fingerprint of what one run holds for `split`, to tell whether anything changed since a
    /// report was built without reading the data: the run row (name, status, timestamps, config, corpus),
    /// and for scalars (all splits), the split's sentences, latents and decoded texts the row count and the
    /// largest rowid, plus Σ value and Σ step of the scalars and Σ token count of the sentences and Σ length
    /// of the texts. Index scans plus one pass over the run's scalar and text rows; no blob is read.
    ///
    /// Appending, deleting or replacing rows changes it (new rows get new rowids unless the replaced rows
    /// were the table's last, and then the sums almost surely differ). A rewrite that keeps every count,
    /// rowid and sum, e.g. latents replaced by other latents of the same shape with nothing else touched,
    /// is not noticed: build with the cache off (`vaescope report --no-cache`) after such surgery.
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
                ("SELECT COUNT(*), MAX(rowid), TOTAL(value), TOTAL(step) FROM scalars WHERE run_id = ?", [id]),
                ("SELECT COUNT(*), MAX(rowid), TOTAL(token_count), 0 FROM sentences WHERE run_id = ? AND split = ?", [id, split]),
                ("SELECT COUNT(*), MAX(rowid), 0, 0 FROM latents WHERE run_id = ? AND split = ?", [id, split]),
                ("SELECT COUNT(*), MAX(id), TOTAL(length(text)), 0 FROM decoded_texts WHERE run_id = ? AND split = ?", [id, split]),
            ]
            for (sql, args) in queries {
                guard let row = try Row.fetchOne(db, sql: sql, arguments: args) else { continue }
                let count: Int = row[0] ?? 0
                let maxID: Int64 = row[1] ?? 0
                let a: Double = row[2] ?? 0, b: Double = row[3] ?? 0
                parts.append("\(count):\(maxID):\(String(a.bitPattern, radix: 16)):\(String(b.bitPattern, radix: 16))")
            }
            return parts.joined(separator: "\u{1}")
        }
    }
}
