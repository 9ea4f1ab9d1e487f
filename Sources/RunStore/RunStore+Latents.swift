import Foundation
import GRDB

/// Copies the float32 blob in column `column` into `out[offset...]`; false if NULL or of the wrong length.
private func copyBlob(_ row: Row, _ column: Int, into out: inout [Float], at offset: Int, count: Int) throws -> Bool {
    try row.withUnsafeData(atIndex: column) { data in
        guard let data else { return false }
        return FloatBlob.copy(data, into: &out, at: offset, count: count)
    }
}

extension RunStore {
    /// Replaces the evaluated sentences of `split` (one transaction).
    public func writeSentences(_ sentences: [EvaluatedSentence], split: String, of run: UUID) throws {
        try write { db in
            let id = try self.rowID(db, run)
            try db.execute(sql: "DELETE FROM sentences WHERE run_id = ? AND split = ?", arguments: [id, split])
            let statement = try db.cachedStatement(
                sql: "INSERT INTO sentences (run_id, split, sentence_index, text, token_count) VALUES (?,?,?,?,?)")
            for s in sentences {
                statement.setUncheckedArguments([id, split, s.index, s.text, s.tokenCount])
                try statement.execute()
            }
        }
    }

    /// The evaluated sentences of `split`, by index.
    public func sentences(split: String, of run: UUID) throws -> [EvaluatedSentence] {
        try read { db in
            let id = try self.rowID(db, run)
            let rows = try Row.fetchCursor(db, sql: """
                SELECT sentence_index, text, token_count FROM sentences WHERE run_id = ? AND split = ?
                ORDER BY sentence_index
                """, arguments: [id, split])
            var out: [EvaluatedSentence] = []
            while let row = try rows.next() { out.append(EvaluatedSentence(index: row[0], text: row[1], tokenCount: row[2])) }
            return out
        }
    }

    /// The splits that have latent records.
    public func latentSplits(of run: UUID) throws -> [String] {
        try read { db in
            let id = try self.rowID(db, run)
            return try String.fetchAll(db, sql: "SELECT DISTINCT split FROM latents WHERE run_id = ? ORDER BY split",
                                       arguments: [id])
        }
    }

    /// Replaces the latent records of `split`: one row per sentence i = 0 … N−1 with its μ_i, log σ²_i, its
    /// S samples z_{·,i} (stored sample-major, S×d) and h_i, each a little-endian Float32 blob.
    public func writeLatents(_ latents: LatentSet, split: String, of run: UUID) throws {
        try latents.validate()
        let n = latents.count, d = latents.latentSize, s = latents.samples, h = latents.featureSize
        try write { db in
            let id = try self.rowID(db, run)
            try db.execute(sql: "DELETE FROM latents WHERE run_id = ? AND split = ?", arguments: [id, split])
            let statement = try db.cachedStatement(sql: """
                INSERT INTO latents (run_id, split, sentence_index, latent_dim, samples, feature_dim, mu, logvar, z, h)
                VALUES (?,?,?,?,?,?,?,?,?,?)
                """)
            var zRow = [Float](repeating: 0, count: s * d)
            for i in 0..<n {
                let mu = latents.mu.isEmpty ? nil : FloatBlob.encode(latents.mu[(i * d)..<((i + 1) * d)])
                let lv = latents.logVariance.isEmpty ? nil : FloatBlob.encode(latents.logVariance[(i * d)..<((i + 1) * d)])
                var z: Data? = nil
                if !latents.z.isEmpty {
                    for k in 0..<s {  // (S, N, d) → this sentence's (S, d)
                        let src = (k * n + i) * d
                        zRow.replaceSubrange((k * d)..<((k + 1) * d), with: latents.z[src..<(src + d)])
                    }
                    z = FloatBlob.encode(zRow)
                }
                let f = latents.features.isEmpty ? nil : FloatBlob.encode(latents.features[(i * h)..<((i + 1) * h)])
                statement.setUncheckedArguments([id, split, i, d, s, h, mu, lv, z, f])
                try statement.execute()
            }
        }
    }

    /// The latent records of `split` as flat arrays (μ, log σ²: N×d; z: S×N×d; h: N×H), or nil if none.
    /// Rows must be numbered 0 … N−1 with consistent sizes; otherwise `.corrupt` names the row.
    public func latents(split: String, of run: UUID) throws -> LatentSet? {
        let path = self.path
        return try read { db in
            let id = try self.rowID(db, run)
            guard let shape = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), MAX(latent_dim), MAX(samples), MAX(feature_dim), COUNT(mu), COUNT(logvar), COUNT(z), COUNT(h)
                FROM latents WHERE run_id = ? AND split = ?
                """, arguments: [id, split]) else { return nil }
            let n: Int = shape[0]
            if n == 0 { return nil }
            let d: Int = shape[1], s: Int = shape[2], h: Int = shape[3]
            func present(_ column: Int, _ name: String) throws -> Bool {
                let c: Int = shape[column]
                if c != 0 && c != n {
                    throw RunStoreError.corrupt(path: path, detail: "latents of split '\(split)': \(name) present in \(c) of \(n) rows")
                }
                return c == n
            }
            let hasMu = try present(4, "mu"), hasLV = try present(5, "logvar"), hasZ = try present(6, "z"), hasH = try present(7, "h")
            var set = LatentSet(count: n, latentSize: d, samples: hasZ ? s : 0, featureSize: hasH ? h : 0)
            if hasMu { set.mu = [Float](repeating: 0, count: n * d) }
            if hasLV { set.logVariance = [Float](repeating: 0, count: n * d) }
            if hasZ { set.z = [Float](repeating: 0, count: s * n * d) }
            if hasH { set.features = [Float](repeating: 0, count: n * h) }
            var zRow = [Float](repeating: 0, count: s * d)
            let rows = try Row.fetchCursor(db, sql: """
                SELECT sentence_index, latent_dim, samples, feature_dim, mu, logvar, z, h FROM latents
                WHERE run_id = ? AND split = ? ORDER BY sentence_index
                """, arguments: [id, split])
            var expected = 0
            while let row = try rows.next() {
                let i: Int = row[0]
                func bad(_ what: String) -> RunStoreError {
                    .corrupt(path: path, detail: "latents of split '\(split)', sentence \(i): \(what)")
                }
                guard i == expected else { throw bad("expected sentence index \(expected)") }
                expected += 1
                guard row[1] as Int == d, row[2] as Int == s, row[3] as Int == h else { throw bad("sizes differ from other rows") }
                if hasMu, try !copyBlob(row, 4, into: &set.mu, at: i * d, count: d) {
                    throw bad("mu blob size")
                }
                if hasLV, try !copyBlob(row, 5, into: &set.logVariance, at: i * d, count: d) {
                    throw bad("logvar blob size")
                }
                if hasZ {
                    guard try copyBlob(row, 6, into: &zRow, at: 0, count: s * d) else {
                        throw bad("z blob size")
                    }
                    for k in 0..<s {  // this sentence's (S, d) → (S, N, d)
                        let dst = (k * n + i) * d
                        set.z.replaceSubrange(dst..<(dst + d), with: zRow[(k * d)..<((k + 1) * d)])
                    }
                }
                if hasH, try !copyBlob(row, 7, into: &set.features, at: i * h, count: h) {
                    throw bad("h blob size")
                }
            }
            return set
        }
    }
}
