import Foundation
import GRDB

// Written by the eval helper (issue 4): what re-running `vaescope eval` needs to replace its earlier output.
extension RunStore {
    /// Deletes the scalar points of `split` whose key starts with `keyPrefix` (e.g. "eval."), in one transaction,
    /// so that evaluating a run again replaces its evaluation scalars instead of adding a second copy.
    /// Returns the number deleted. An empty prefix is refused (it would delete the training curves of the split).
    @discardableResult
    public func deleteScalars(of run: UUID, split: String, keyPrefix: String) throws -> Int {
        guard !keyPrefix.isEmpty else {
            throw RunStoreError.invalidInput(detail: "deleteScalars: an empty key prefix would delete every scalar of split '\(split)'")
        }
        return try write { db in
            let id = try self.rowID(db, run)
            // substr instead of LIKE: keys may contain '_' and '%'.
            try db.execute(sql: "DELETE FROM scalars WHERE run_id = ? AND split = ? AND substr(key, 1, ?) = ?",
                           arguments: [id, split, keyPrefix.unicodeScalars.count, keyPrefix])
            return db.changesCount
        }
    }
}
