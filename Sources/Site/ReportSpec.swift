import Foundation
import Yams

/// A report specification (a YAML file in `Reports/`): which runs, how to group them, which exhibits.
///
/// ```yaml
/// title: Long et al. 2019
/// runs:                 # optional; all runs when absent
///   names: [ptb-last]   # explicit run names: each must exist
///   match: "ptb-*"      # shell-style pattern on run names (* and ?)
///   where: {objective.kind: elbo}   # config values that must match
/// groupBy: [pooling]    # one line / row / panel per distinct value
/// exhibits:
///   - {kind: curveFigure, id: fig3, title: "Validation KL", scalar: kl, split: valid}
///   - {kind: metricTable, id: table1, columns: [iwNLL, rate, mutualInformation, activeUnits]}
/// ```
public struct ReportSpec: Sendable, Equatable {
    public var file: String
    public var title: String
    public var description: String
    public var selection: RunSelection
    public var groupBy: [Located<String>]
    public var exhibits: [Exhibit]

    /// A value with the place it was written (`file:line:column`), for errors.
    public struct Located<T: Sendable & Equatable>: Sendable, Equatable {
        public var value: T
        public var location: String
    }

    public struct RunSelection: Sendable, Equatable {
        public var names: [Located<String>] = []
        public var match: String?
        public var `where`: [(key: Located<String>, value: String)] = []
        public static func == (a: RunSelection, b: RunSelection) -> Bool {
            a.names == b.names && a.match == b.match && a.where.map(\.key) == b.where.map(\.key)
                && a.where.map(\.value) == b.where.map(\.value)
        }
    }

    /// One figure or table of a report.
    public struct Exhibit: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            /// Metrics (`y`, one panel each) against a config key or metric `x`, one line per group.
            case metricFigure
            /// A scalar series over training (`scalar`, `split`), one line per run, coloured by group.
            case curveFigure
            /// One row per run: `columns` of config keys and metrics; `buckets` repeat bucketed metrics.
            case metricTable
            /// Interpolations of the first run of each group: one column per decoding scheme, repeats marked.
            case interpolationTable
            /// Generation statistics per run and decoding scheme (|V|, FCE, %unk, length, self-BLEU).
            case generationTable
            /// Syntactic probe p1, p2, p̄1, p̄2 by category.
            case probeTable
            /// Encoder features projected to 2-D by PCA, one panel per group.
            case pcaFigure
            /// A paper's own numbers, typed into the spec as published (`source`, `columns`, `rows`): shown
            /// beside the runs, never computed by VAEScope.
            case publishedTable
            /// A paper's claims (`claims`: text, a metric or a logged scalar, the group that should be `higher`
            /// and the one that should be `lower`), each checked against these runs' group means.
            case claims
            /// The pre-registered decision rule of docs/long2019.md applied to the runs (`Long2019Rule`).
            case long2019Verdict
        }
        public var kind: Kind
        public var id: String
        public var title: String
        public var caption: String
        public var location: String
        /// metricFigure: the x axis (config key or metric).
        public var x: Located<String>?
        /// metricFigure: the metrics on the y axes.
        public var y: [Located<String>]
        /// metricTable: column names (metric or config key), optional `label` each.
        public var columns: [Column]
        /// metricTable: length buckets for bucketed metrics (e.g. ["≤10", "11–20", "21–30", "all"]).
        public var buckets: [String]
        /// curveFigure: the scalar key and split.
        public var scalar: Located<String>?
        public var split: String
        /// curveFigure: also draw the target C as a dashed line when the scalar is the KL.
        public var logY: Bool
        /// interpolationTable: how many interpolation pairs to show per group (default 1).
        public var pairs: Int = 1
        /// publishedTable: where the numbers were published (paper, version, table), and the rows as given.
        public var source: String = ""
        public var rows: [[String]] = []
        /// claims: what the paper says, each checked against the runs.
        public var claims: [Claim] = []

        public struct Claim: Sendable, Equatable {
            public var text: String
            /// A metric of the evaluated runs, or a scalar logged during training (its last value on `split`).
            public var metric: Located<String>?
            public var scalar: Located<String>?
            public var split: String
            /// The config key whose values the claim compares (default: the report's first `groupBy` key).
            public var by: Located<String>?
            /// Values of that key (or group labels) that the claim orders: higher > lower.
            public var higher: String
            public var lower: String
            /// Instead of an order: every run's value is within `tolerance` of its value of this config key
            /// (Prokhorov et al.: the rate stays within C ± 1).
            public var near: Located<String>? = nil
            public var tolerance: Double = 1
            /// Checked separately for each value of this config key (one row each, e.g. per decoder).
            public var within: Located<String>? = nil
            public var location: String
        }

        public struct Column: Sendable, Equatable {
            public var name: Located<String>
            public var label: String?
            public var variant: String?
        }
    }
}

extension ReportSpec {
    /// Reads and checks the syntax of a spec (unknown fields and kinds are errors with file:line). Names of
    /// runs, keys and metrics are checked later against the loaded stores (`ReportSpec.validate`).
    public static func load(path: String) throws -> ReportSpec {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SiteError.spec(location: path, message: "cannot read the report spec (does the file exist?)")
        }
        return try parse(yaml: text, file: path)
    }

    public static func parse(yaml: String, file: String) throws -> ReportSpec {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw SiteError.spec(location: file, message: "empty report spec")
            }
            root = node
        } catch let error as SiteError {
            throw error
        } catch let error as YamlError {
            throw SiteError.spec(location: file, message: "YAML syntax: \(error)")
        } catch {
            throw SiteError.spec(location: file, message: "YAML syntax: \(error)")
        }
        let p = SpecParser(file: file)
        let top = try p.mapping(root, allowed: ["title", "description", "runs", "groupBy", "exhibits"], what: "report")
        var spec = ReportSpec(file: file, title: try top["title"].map { try p.string($0) } ?? file,
                              description: try top["description"].map { try p.string($0) } ?? "",
                              selection: RunSelection(), groupBy: [], exhibits: [])
        if let runs = top["runs"] {
            let r = try p.mapping(runs, allowed: ["names", "match", "where"], what: "runs")
            if let names = r["names"] { spec.selection.names = try p.strings(names) }
            if let match = r["match"] { spec.selection.match = try p.string(match) }
            if let whereNode = r["where"] {
                guard let m = whereNode.mapping else { throw p.error(whereNode, "'where' must map config keys to values") }
                for (k, v) in m {
                    spec.selection.where.append((key: Located(value: try p.string(k), location: p.at(k)), value: try p.string(v)))
                }
            }
        }
        if let g = top["groupBy"] { spec.groupBy = try p.strings(g) }
        guard let exhibits = top["exhibits"]?.sequence else {
            throw SiteError.spec(location: p.at(root), message: "a report needs an 'exhibits' list")
        }
        var ids = Set<String>()
        for (i, e) in exhibits.enumerated() {
            let exhibit = try p.exhibit(e, index: i)
            guard ids.insert(exhibit.id).inserted else { throw p.error(e, "duplicate exhibit id '\(exhibit.id)'") }
            spec.exhibits.append(exhibit)
        }
        return spec
    }
}

/// Node helpers that turn Yams marks into `file:line:column` errors.
struct SpecParser {
    let file: String

    func at(_ node: Node) -> String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    func error(_ node: Node, _ message: String) -> SiteError { .spec(location: at(node), message: message) }

    func mapping(_ node: Node, allowed: [String], what: String) throws -> [String: Node] {
        guard let m = node.mapping else { throw error(node, "\(what) must be a mapping") }
        var out: [String: Node] = [:]
        for (k, v) in m {
            let key = try string(k)
            guard allowed.contains(key) else {
                throw error(k, "unknown field '\(key)' in \(what) (allowed: \(allowed.joined(separator: ", ")))")
            }
            out[key] = v
        }
        return out
    }

    func string(_ node: Node) throws -> String {
        guard let s = node.scalar?.string else { throw error(node, "expected a single value") }
        return s
    }

    /// A string or a list of strings.
    func strings(_ node: Node) throws -> [ReportSpec.Located<String>] {
        if let seq = node.sequence { return try seq.map { ReportSpec.Located(value: try string($0), location: at($0)) } }
        return [ReportSpec.Located(value: try string(node), location: at(node))]
    }

    func exhibit(_ node: Node, index: Int) throws -> ReportSpec.Exhibit {
        let m = try mapping(node, allowed: ["kind", "id", "title", "caption", "x", "y", "columns", "buckets",
                                            "scalar", "split", "logY", "pairs", "source", "rows", "claims"],
                                  what: "exhibit \(index + 1)")
        guard let kindNode = m["kind"] else { throw error(node, "exhibit \(index + 1) needs a 'kind'") }
        let kindName = try string(kindNode)
        guard let kind = ReportSpec.Exhibit.Kind(rawValue: kindName) else {
            let known = ReportSpec.Exhibit.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(kindNode, "unknown exhibit kind '\(kindName)' (known: \(known))")
        }
        let id = try m["id"].map { try string($0) } ?? "\(kind.rawValue)-\(index + 1)"
        var e = ReportSpec.Exhibit(kind: kind, id: id, title: try m["title"].map { try string($0) } ?? id,
                                   caption: try m["caption"].map { try string($0) } ?? "", location: at(node),
                                   x: nil, y: [], columns: [], buckets: [], scalar: nil,
                                   split: try m["split"].map { try string($0) } ?? "test", logY: false)
        if let x = m["x"] { e.x = ReportSpec.Located(value: try string(x), location: at(x)) }
        if let y = m["y"] { e.y = try strings(y) }
        if let s = m["scalar"] { e.scalar = ReportSpec.Located(value: try string(s), location: at(s)) }
        if let b = m["buckets"] { e.buckets = try strings(b).map(\.value) }
        if let l = m["logY"] { e.logY = l.bool ?? false }
        if let p = m["pairs"] {
            guard let n = Int(try string(p)), (1...50).contains(n) else { throw error(p, "'pairs' must be an integer from 1 to 50") }
            e.pairs = n
        }
        if let cols = m["columns"] {
            guard let seq = cols.sequence else { throw error(cols, "'columns' must be a list") }
            for c in seq {
                if c.mapping != nil {
                    let cm = try mapping(c, allowed: ["name", "label", "variant"], what: "column")
                    guard let n = cm["name"] else { throw error(c, "a column needs a 'name'") }
                    e.columns.append(.init(name: .init(value: try string(n), location: at(n)),
                                           label: try cm["label"].map { try string($0) },
                                           variant: try cm["variant"].map { try string($0) }))
                } else {
                    e.columns.append(.init(name: .init(value: try string(c), location: at(c)), label: nil, variant: nil))
                }
            }
        }
        if let src = m["source"] { e.source = try string(src) }
        if let rows = m["rows"] {
            guard let seq = rows.sequence else { throw error(rows, "'rows' must be a list of rows") }
            for row in seq {
                guard let cells = row.sequence else { throw error(row, "each row must be a list of cells") }
                let values = try cells.map { try string($0) }
                guard values.count == e.columns.count else {
                    throw error(row, "a row has \(values.count) cells for \(e.columns.count) columns")
                }
                e.rows.append(values)
            }
        }
        if let claims = m["claims"] {
            guard let seq = claims.sequence else { throw error(claims, "'claims' must be a list") }
            for c in seq {
                let cm = try mapping(c, allowed: ["text", "metric", "scalar", "split", "by", "higher", "lower", "near", "tolerance", "within"],
                                     what: "claim")
                let near = try cm["near"].map { ReportSpec.Located(value: try string($0), location: at($0)) }
                guard let text = cm["text"], near != nil || (cm["higher"] != nil && cm["lower"] != nil) else {
                    throw error(c, "a claim needs 'text', and 'higher' and 'lower' (an order) or 'near' (a config key the value stays close to)")
                }
                guard near == nil || (cm["higher"] == nil && cm["lower"] == nil && cm["by"] == nil) else {
                    throw error(c, "a 'near' claim has no 'higher', 'lower' or 'by'")
                }
                guard near != nil || cm["tolerance"] == nil else { throw error(c, "'tolerance' belongs to a 'near' claim") }
                var tolerance = 1.0
                if let t = cm["tolerance"] {
                    guard let v = Double(try string(t)), v >= 0, v.isFinite else { throw error(t, "'tolerance' must be a number ≥ 0") }
                    tolerance = v
                }
                let metric = try cm["metric"].map { ReportSpec.Located(value: try string($0), location: at($0)) }
                let scalar = try cm["scalar"].map { ReportSpec.Located(value: try string($0), location: at($0)) }
                guard (metric == nil) != (scalar == nil) else { throw error(c, "a claim needs either 'metric' or 'scalar'") }
                e.claims.append(.init(text: try string(text), metric: metric, scalar: scalar,
                                      split: try cm["split"].map { try string($0) } ?? "valid",
                                      by: try cm["by"].map { ReportSpec.Located(value: try string($0), location: at($0)) },
                                      higher: try cm["higher"].map { try string($0) } ?? "", lower: try cm["lower"].map { try string($0) } ?? "",
                                      near: near, tolerance: tolerance,
                                      within: try cm["within"].map { ReportSpec.Located(value: try string($0), location: at($0)) },
                                      location: at(c)))
            }
        }
        switch kind {
        case .publishedTable:
            guard !e.source.isEmpty, !e.columns.isEmpty, !e.rows.isEmpty else {
                throw error(node, "a publishedTable needs 'source', 'columns' and 'rows'")
            }
        case .claims:
            guard !e.claims.isEmpty else { throw error(node, "a claims exhibit needs 'claims'") }
        case .metricFigure:
            guard e.x != nil, !e.y.isEmpty else { throw error(node, "a metricFigure needs 'x' and 'y'") }
        case .curveFigure:
            guard e.scalar != nil else { throw error(node, "a curveFigure needs 'scalar'") }
        case .metricTable:
            guard !e.columns.isEmpty else { throw error(node, "a metricTable needs 'columns'") }
        default: break
        }
        return e
    }
}
