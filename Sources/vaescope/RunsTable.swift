import Foundation
import RunStore

/// Text rendering for `vaescope runs`: aligned tables, JSON and CSV. No store access beyond reading.
enum RunsTable {
    static func number(_ v: Double?) -> String {
        guard let v else { return "-" }
        if v.isNaN { return "nan" }
        return String(format: abs(v) >= 1e6 || (abs(v) < 1e-3 && v != 0) ? "%.4g" : "%.3f", v)
    }

    /// Left-aligned text columns, right-aligned numeric columns, two spaces apart.
    /// Control characters (terminal escapes in names written by other programs) shown as `\u{1B}`, never sent to
    /// the terminal; bidirectional overrides likewise.
    static func visible(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if scalar.properties.generalCategory == .control || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func aligned(_ header: [String], _ rawRows: [[String]], numeric: Set<Int> = []) -> String {
        let rows = rawRows.map { $0.map(visible) }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return numeric.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        return line(header) + rows.map(line).joined()
    }

    static func list(_ overviews: [RunOverview], format: RunsCommand.Format, showStore: Bool) -> String {
        let iso = ISO8601DateFormatter()
        switch format {
        case .json:
            let objects: [[String: Any]] = overviews.map { o in
                var d: [String: Any] = [
                    "name": o.run.name, "uuid": o.run.id.uuidString.lowercased(), "status": o.run.status.rawValue,
                    "store": o.storePath, "createdAt": iso.string(from: o.run.createdAt), "steps": o.steps,
                    "corpus": o.run.corpusName, "toolVersion": o.run.toolVersion,
                ]
                d["finishedAt"] = o.run.finishedAt.map { iso.string(from: $0) } ?? NSNull()
                d["objective"] = o.objective ?? NSNull()
                d["pooling"] = o.pooling ?? NSNull()
                d["klTarget"] = o.klTarget ?? NSNull()
                d["lastKL"] = o.lastKL.flatMap { $0.isFinite ? $0 : nil } ?? NSNull()
                d["lastReconstruction"] = o.lastReconstruction.flatMap { $0.isFinite ? $0 : nil } ?? NSNull()
                d["stale"] = o.isStale
                d["writer"] = o.lease.map { ["host": $0.host, "pid": $0.pid, "heartbeatAt": iso.string(from: $0.heartbeatAt)] as [String: Any] } ?? NSNull()
                return d
            }
            let data = (try? JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])) ?? Data("[]".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        case .csv:
            var out = "name,uuid,status,objective,pooling,klTarget,steps,lastKL,lastReconstruction,store,stale\n"
            for o in overviews {
                let cells = [o.run.name, o.run.id.uuidString.lowercased(), o.run.status.rawValue, o.objective ?? "",
                             o.pooling ?? "", o.klTarget.map { "\($0)" } ?? "", "\(o.steps)",
                             o.lastKL.map { "\($0)" } ?? "", o.lastReconstruction.map { "\($0)" } ?? "", o.storePath,
                             o.isStale ? "true" : "false"]
                out += cells.map(csvQuote).joined(separator: ",") + "\n"
            }
            return out
        case .table:
            if overviews.isEmpty { return "no runs\n" }
            var header = ["NAME", "STATUS", "OBJECTIVE", "POOLING", "C", "STEPS", "KL", "REC"]
            if showStore { header.append("STORE") }
            let rows = overviews.map { o -> [String] in
                var r = [o.run.name, o.displayStatus, o.objective ?? "-", o.pooling ?? "-", number(o.klTarget),
                         "\(o.steps)", number(o.lastKL), number(o.lastReconstruction)]
                if showStore { r.append(o.storePath) }
                return r
            }
            return aligned(header, rows, numeric: [4, 5, 6, 7])
        }
    }

    static func csvQuote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func describe(_ c: RunContents) -> String {
        var parts = ["\(c.scalarPoints) scalar points"]
        for (split, n) in c.sentences.sorted(by: { $0.key < $1.key }) { parts.append("\(n) \(split) sentences") }
        for (split, s) in c.latents.sorted(by: { $0.key < $1.key }) { parts.append("\(s.count) \(split) latent records") }
        let texts = c.decodedTexts.values.reduce(0, +)
        parts.append("\(texts) decoded texts")
        parts.append("\(c.checkpointTags.count) checkpoints")
        parts.append("\(c.metrics) cached metrics")
        parts.append("\(c.results) results")
        return parts.joined(separator: ", ")
    }

    static func show(_ found: StoredRun) throws -> String {
        let run = found.run, store = found.store
        let formatter = ISO8601DateFormatter()
        var out = ""
        out += "run       \(visible(run.name))\n"
        out += "uuid      \(run.id.uuidString.lowercased())\n"
        out += "store     \(found.storePath)\n"
        out += "status    \(run.status.rawValue)\n"
        out += "created   \(formatter.string(from: run.createdAt))\n"
        out += "finished  \(run.finishedAt.map { formatter.string(from: $0) } ?? "-")\n"
        out += "corpus    \(run.corpusName.isEmpty ? "-" : run.corpusName)\(run.corpusHash.isEmpty ? "" : " (\(run.corpusHash))")\n"
        out += "seed      \(run.seed)\n"
        out += "tool      \(run.toolVersion)\n"
        out += "\nconfig\n"
        if let object = try? JSONSerialization.jsonObject(with: Data(run.config.utf8)),
           let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]) {
            out += String(decoding: pretty, as: UTF8.self).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n"
        } else {
            out += "  \(run.config)\n"
        }
        let summaries = try store.scalarSummaries(of: run.id)
        out += "\nscalars\n"
        if summaries.isEmpty { out += "  none\n" } else {
            let rows = summaries.map { s in
                [s.split, s.key, "\(s.count)", "\(s.firstStep)", "\(s.lastStep)", number(s.first), number(s.last),
                 number(s.min), number(s.max)]
            }
            out += aligned(["SPLIT", "KEY", "N", "FIRST STEP", "LAST STEP", "FIRST", "LAST", "MIN", "MAX"], rows,
                           numeric: [2, 3, 4, 5, 6, 7, 8]).split(separator: "\n").map { "  " + $0 + "\n" }.joined()
        }
        let c = try store.contents(of: run.id)
        out += "\nholds\n"
        for (split, n) in c.sentences.sorted(by: { $0.key < $1.key }) { out += "  sentences     \(split): \(n)\n" }
        for (split, s) in c.latents.sorted(by: { $0.key < $1.key }) {
            out += "  latents       \(split): N=\(s.count) d=\(s.latentSize) S=\(s.samples) H=\(s.featureSize)\n"
        }
        for (kind, n) in c.decodedTexts.sorted(by: { $0.key < $1.key }) { out += "  decoded texts \(kind): \(n)\n" }
        out += "  checkpoints   \(c.checkpointTags.isEmpty ? "none" : c.checkpointTags.joined(separator: ", "))\n"
        out += "  metrics       \(c.metrics) cached\n"
        let results = try store.results(of: run.id)
        out += "  results       \(results.count)\n"
        if !results.isEmpty {
            let rows = results.map { [$0.split, $0.name, $0.variant.isEmpty ? "-" : $0.variant,
                                      $0.parameters == "{}" ? "-" : $0.parameters, number($0.value)] }
            out += "\nresults\n" + aligned(["SPLIT", "NAME", "VARIANT", "PARAMETERS", "VALUE"], rows, numeric: [4])
                .split(separator: "\n").map { "  " + $0 + "\n" }.joined()
        }
        return out
    }
}
