import Foundation
import Metrics
import RunStore

/// `vaescope metrics`: every metric of the chosen runs with its variant label, as a table, JSON or CSV.
public enum MetricsListing {
    public enum Format: String, CaseIterable, Sendable { case table, json, csv }

    /// One run's metrics and whether the cache answered.
    public struct Entry: Sendable {
        public var run: String
        public var runID: String
        public var metrics: RunMetricSet
        public var cached: Bool
    }

    /// Loads the runs named (name or UUID; all runs when empty) from the stores and their metrics, through
    /// the store's metrics cache.
    public static func collect(stores paths: [String], runs names: [String], split: String,
                               cache: StoreLoader.MetricsCache = .write, miSubsample: Int? = nil) throws -> [Entry] {
        let set = try StoreLoader.open(paths: paths, writeCache: cache == .write)
        var chosen: [StoreLoader.Located] = []
        if names.isEmpty {
            chosen = try StoreLoader.runs(in: set, paths: paths)
        } else {
            // The run lookup of every reading command (name or UUID; ambiguous names name their stores).
            for n in names {
                do { chosen.append(try set.run(named: n)) } catch {
                    throw SiteError.load(store: paths.joined(separator: ", "), message: error.localizedDescription)
                }
            }
        }
        let useCache = cache != .off
        return try chosen.map { l in
            let data = try StoreLoader.load(l, split: split)
            let (set, cached) = try StoreLoader.metrics(of: data, l, useCache: useCache, miSubsample: miSubsample)
            return Entry(run: l.run.name, runID: l.run.id.uuidString, metrics: set, cached: cached)
        }
    }

    /// Every metric of every run in long form, for spreadsheets (the site's metrics.csv and `metrics --format
    /// csv`): one row per value, full precision.
    static func csv(_ runs: [(name: String, id: String, metrics: RunMetricSet)]) -> String {
        var lines = ["run,run_id,split,metric,variant_id,variant,bucket,scheme,value,note"]
        for r in runs {
            for m in r.metrics.values {
                let fields = [Escape.csv(r.name), r.id, Escape.csv(r.metrics.split), Escape.csv(m.name), Escape.csv(m.variant.id),
                              Escape.csv(m.variant.label), Escape.csv(m.bucket), Escape.csv(m.scheme),
                              m.value.map { NumberFormat.full($0) } ?? "", Escape.csv(m.note ?? "")]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func format(_ entries: [Entry], as format: Format) throws -> String {
        switch format {
        case .csv:
            return csv(entries.map { ($0.run, $0.runID, $0.metrics) })
        case .json:
            struct Row: Encodable {
                var run, runID, split, metric, bucket, scheme: String
                var variant: Variant
                var value: Double?
                var note: String?
            }
            let rows = entries.flatMap { e in
                e.metrics.values.map { Row(run: e.run, runID: e.runID, split: e.metrics.split, metric: $0.name, bucket: $0.bucket,
                                           scheme: $0.scheme, variant: $0.variant, value: $0.value, note: $0.note) }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
        case .table:
            var out = ""
            for e in entries {
                out += "\(e.run)  (\(e.runID), split \(e.metrics.split), \(e.cached ? "from the metrics cache" : "computed"))\n"
                if e.metrics.values.isEmpty { out += "  no metrics: the run saved no latents, reconstructions or samples for this split\n\n"; continue }
                let rows = e.metrics.values.map { m in
                    [m.scheme.isEmpty ? m.name : "\(m.name) [\(m.scheme)]", m.bucket, MetricFormat.text(m),
                     m.variant.label + (m.note.map { " — \($0)" } ?? "")]
                }
                let header = ["metric", "bucket", "value", "variant"]
                var widths = header.map(\.count)
                for r in rows { for (i, c) in r.enumerated() where i < 3 { widths[i] = max(widths[i], c.count) } }
                func line(_ r: [String]) -> String {
                    "  " + r.enumerated().map { i, c in
                        i == 3 ? c : (i == 2 ? String(repeating: " ", count: widths[i] - c.count) + c : c + String(repeating: " ", count: widths[i] - c.count))
                    }.joined(separator: "  ")
                }
                out += line(header) + "\n"
                for r in rows { out += line(r) + "\n" }
                out += "\n"
            }
            return out
        }
    }
}
