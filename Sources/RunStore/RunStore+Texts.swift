import Foundation
import GRDB

extension RunStore {
    /// Appends decoded texts of `split` (the split whose evaluation produced them) in one transaction.
    public func appendDecodedTexts(_ texts: [DecodedText], split: String, to run: UUID) throws {
        if texts.isEmpty { return }
        for t in texts where !DecodingLabel.knownSchemes.contains(t.decoding.scheme) {
            throw RunStoreError.invalidInput(detail: "decoding scheme '\(t.decoding.scheme)' is not one of "
                + DecodingLabel.knownSchemes.joined(separator: ", "))
        }
        try write { db in
            let id = try self.rowID(db, run)
            let statement = try db.cachedStatement(sql: """
                INSERT INTO decoded_texts (run_id, split, kind, scheme, parameter, z_index, pair_index, point_index,
                                           source_index, text) VALUES (?,?,?,?,?,?,?,?,?,?)
                """)
            for t in texts {
                statement.setUncheckedArguments([id, split, t.kind.rawValue, t.decoding.scheme, t.decoding.parameter,
                                                 t.zIndex, t.pairIndex, t.pointIndex, t.sourceIndex, t.text])
                try statement.execute()
            }
        }
    }

    /// Deletes decoded texts of a split (all kinds, or one kind) — used before re-running an evaluation.
    @discardableResult
    public func deleteDecodedTexts(split: String, kind: DecodedKind? = nil, of run: UUID) throws -> Int {
        try write { db in
            let id = try self.rowID(db, run)
            if let kind {
                try db.execute(sql: "DELETE FROM decoded_texts WHERE run_id = ? AND split = ? AND kind = ?",
                               arguments: [id, split, kind.rawValue])
            } else {
                try db.execute(sql: "DELETE FROM decoded_texts WHERE run_id = ? AND split = ?", arguments: [id, split])
            }
            return db.changesCount
        }
    }

    /// Decoded texts in insertion order, optionally of one split and/or kind.
    public func decodedTexts(of run: UUID, split: String? = nil, kind: DecodedKind? = nil) throws -> [DecodedText] {
        let path = self.path
        return try read { db in
            let id = try self.rowID(db, run)
            var sql = """
                SELECT kind, scheme, parameter, z_index, pair_index, point_index, source_index, text
                FROM decoded_texts WHERE run_id = ?
                """
            var args: [(any DatabaseValueConvertible)?] = [id]
            if let split { sql += " AND split = ?"; args.append(split) }
            if let kind { sql += " AND kind = ?"; args.append(kind.rawValue) }
            sql += " ORDER BY id"
            var out: [DecodedText] = []
            let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
            while let row = try rows.next() {
                let kindText: String = row[0]
                guard let kind = DecodedKind(rawValue: kindText) else {
                    throw RunStoreError.corrupt(path: path, detail: "decoded text kind '\(kindText)' is unknown")
                }
                out.append(DecodedText(kind: kind, decoding: DecodingLabel(scheme: row[1], parameter: row[2]),
                                       zIndex: row[3], pairIndex: row[4], pointIndex: row[5], sourceIndex: row[6],
                                       text: row[7]))
            }
            return out
        }
    }
}
