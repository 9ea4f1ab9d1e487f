import Foundation
import Metrics
import RunStore

/// A report page: the exhibits of a spec made from the selected runs.
struct ReportContent {
    var page: ReportPage
    var figures: [SiteFigure]
    var tables: [SiteTable]
}

enum ReportBuilder {
    /// `assets`: page-relative directory of the report's files; `runLink`: page-relative link to a run page.
    static func build(_ spec: ReportSpec, runs all: [LoadedRun], chrome: PageChrome, assets: String,
                      runLink: (LoadedRun) -> String) -> ReportContent {
        let runs = spec.select(all)
        let groups = spec.group(runs)
        var figures: [SiteFigure] = []
        var tables: [SiteTable] = []
        var views: [ReportPage.ExhibitView] = []
        for e in spec.exhibits {
            var figs: [SiteFigure] = []
            var tabs: [SiteTable] = []
            var notes: [String] = []
            if runs.isEmpty { notes.append("No run in the stores matches this report's selection.") }
            switch e.kind {
            case .metricFigure: figs = metricFigures(e, groups: groups, notes: &notes)
            case .curveFigure: figs = [curveFigure(e, groups: groups)]
            case .metricTable: tabs = [metricTable(e, runs: runs, groups: groups, spec: spec, runLink: runLink)]
            case .interpolationTable: tabs = interpolationTables(e, groups: groups)
            case .generationTable: tabs = [generationTable(e, runs: runs, runLink: runLink)]
            case .probeTable: tabs = [probeTable(e, runs: runs, runLink: runLink)]
            case .pcaFigure: figs = pcaFigures(e, groups: groups)
            case .publishedTable: tabs = [publishedTable(e)]
            case .claims: tabs = [claimsTable(e, groups: groups, spec: spec)]
            case .long2019Verdict: tabs = [Long2019Rule.table(e, runs: runs)]
            }
            figures += figs
            tables += tabs
            views.append(.init(id: Slug.make(e.id), title: e.title, caption: e.caption, hasCaption: !e.caption.isEmpty,
                               notes: notes, figures: figs.map { FigureView($0, directory: assets, heading: e.title) }, hasFigures: !figs.isEmpty,
                               tables: tabs.map { t in
                                   var t = t
                                   if t.caption == e.caption { t.caption = "" }  // shown once, under the exhibit's heading
                                   return TableView(t, downloads: assets, heading: e.title)
                               }))
        }
        let summary = "\(runs.count) of \(all.count) runs selected" + (groups.count > 1 ? " in \(groups.count) groups" : "")
        let page = ReportPage(chrome: chrome, title: spec.title, description: spec.description,
                              hasDescription: !spec.description.isEmpty, runSummary: summary,
                              specFile: (spec.file as NSString).lastPathComponent, exhibits: views)
        return ReportContent(page: page, figures: figures, tables: tables)
    }

    static func label(_ key: String) -> String { MetricCatalog.entry(key)?.label ?? (key == "klTarget" ? "C" : key) }

    /// A metric or config value of a run as a number.
    static func number(_ key: String, _ r: LoadedRun, variant: String? = nil, bucket: String = "all") -> Double? {
        if MetricCatalog.entry(key) != nil { return r.metrics.value(key, variant: variant, bucket: bucket)?.value }
        return r.configValue(key)?.number
    }

    // MARK: figures

    /// One figure; one panel per y metric (small multiples) when there are several.
    static func metricFigures(_ e: ReportSpec.Exhibit, groups: [(label: String, runs: [LoadedRun])],
                              notes: inout [String]) -> [SiteFigure] {
        guard let x = e.x?.value else { return [] }
        var panels: [SiteFigure.Plot] = []
        var figNotes: [String] = []
        var averaged = false
        for y in e.y {
            var series: [SiteFigure.Line] = []
            var skipped = 0
            for g in groups {
                var pts: [(Double, Double)] = []
                for r in g.runs {
                    if let xv = number(x, r), let yv = number(y.value, r) { pts.append((xv, yv)) } else { skipped += 1 }
                }
                // Runs of a group sharing an x (seeds of one setting): their mean, with ± one SD as a band.
                var byX: [Double: [Double]] = [:]
                for (xv, yv) in pts { byX[xv, default: []].append(yv) }
                let xs = byX.keys.sorted()
                let stats = xs.map { SeriesStatistics(byX[$0] ?? []) }
                let repeated = stats.contains { $0.count > 1 }
                averaged = averaged || repeated
                if !xs.isEmpty {
                    series.append(.init(name: g.label, x: xs, y: stats.map(\.mean), band: repeated ? stats.map(\.sd) : []))
                }
            }
            if skipped > 0 { figNotes.append("\(label(y.value)): \(skipped) run(s) without \(label(x)) or \(label(y.value)) left out.") }
            if !series.isEmpty {
                panels.append(.line(.init(title: e.y.count > 1 ? label(y.value) : "", xLabel: label(x), yLabel: label(y.value),
                                          markers: true, series: series)))
            }
        }
        if averaged { figNotes.append("Runs of a group with the same \(label(x)): their mean, shaded ± one standard deviation.") }
        if panels.isEmpty { figNotes.append("No run has both \(label(x)) and \(e.y.map { label($0.value) }.joined(separator: " or ")).") }
        let plot: SiteFigure.Plot? = panels.count > 1 ? .panels(panels, columns: min(3, panels.count)) : panels.first
        return [SiteFigure(id: Slug.make(e.id), title: e.title, notes: figNotes, plot: plot,
                           width: panels.count > 1 ? 480 * min(3, panels.count) : 560, height: 360)]
    }

    /// One line per group: a group of one run is that run's series; a group of several is their mean at
    /// each step (over the runs that logged it) with a band of ± one standard deviation.
    static func curveFigure(_ e: ReportSpec.Exhibit, groups: [(label: String, runs: [LoadedRun])]) -> SiteFigure {
        let key = e.scalar?.value ?? ""
        let aliases = ScalarKeys.aliases(of: key)
        var series: [SiteFigure.Line] = []
        var missing: [String] = []
        var partial: [String] = []
        for g in groups {
            let found = g.runs.compactMap { r -> ScalarSeries? in
                let s = r.series(aliases, split: e.split)
                if s == nil { missing.append(r.name) }
                return s
            }
            if found.count == 1, let s = found.first {
                let name = g.label == "all runs" ? g.runs.first { $0.series(aliases, split: e.split) != nil }?.name ?? g.label : g.label
                series.append(.init(name: name, x: s.steps.map(Double.init), y: s.values))
            } else if found.count > 1 {
                var byStep: [Int: [Double]] = [:]
                for s in found { for (step, v) in zip(s.steps, s.values) where v.isFinite { byStep[step, default: []].append(v) } }
                // The mean of a group is drawn where every run of it has a value: a step only some runs reached (one
                // seed further along) would show that run alone as the group's mean and bend the curve.
                let shared = byStep.keys.filter { byStep[$0]?.count == found.count }
                if !shared.isEmpty && shared.count < byStep.count { partial.append(g.label) }
                let steps = (shared.isEmpty ? Array(byStep.keys) : shared).sorted()
                let stats = steps.map { SeriesStatistics(byStep[$0] ?? []) }
                series.append(.init(name: "\(g.label) (n=\(found.count))", x: steps.map(Double.init), y: stats.map(\.mean),
                                    band: stats.map(\.sd), bandLimits: ScalarKeys.limits(key)))
            }
        }
        var notes: [String] = []
        if groups.contains(where: { $0.runs.count > 1 }) {
            func plain(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : NumberFormat.auto(v) }
            let clip = ScalarKeys.limits(key).map { l in l.upperBound.isFinite
                ? " (clipped to the quantity's range, \(plain(l.lowerBound)) … \(plain(l.upperBound)))"
                : " (clipped at \(plain(l.lowerBound)), below which the quantity cannot go)" } ?? ""
            notes.append("Groups of n > 1 runs: mean at each step, shaded ± one standard deviation over the runs\(clip).")
        }
        if !partial.isEmpty {
            notes.append("Drawn up to the steps every run of the group logged (some went further): " + partial.joined(separator: ", ") + ".")
        }
        if !missing.isEmpty { notes.append("Not logged in \(missing.count) run(s): \(missing.prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", …" : "").") }
        return SiteFigure(id: Slug.make(e.id), title: e.title, notes: notes,
                          plot: series.isEmpty ? nil : .line(.init(xLabel: ScalarKeys.stepLabel, yLabel: ScalarKeys.axisLabel(key, split: e.split),
                                                                   logY: e.logY, series: series)))
    }

    /// One figure, one panel per run with saved features, grouped (a group's seeds side by side: showing only
    /// its first run would hide a seed that went another way); a group without features gets a note.
    static func pcaFigures(_ e: ReportSpec.Exhibit, groups: [(label: String, runs: [LoadedRun])]) -> [SiteFigure] {
        var panels: [SiteFigure.Plot] = []
        var notes: [String] = []
        for g in groups {
            let withFeatures = g.runs.compactMap { r in r.pca.map { (run: r, pca: $0) } }
            if withFeatures.isEmpty { notes.append("\(g.label): no encoder features were saved."); continue }
            for (r, p) in withFeatures {
                let xs = stride(from: 0, to: p.points.count, by: 2).map { p.points[$0] }
                let ys = stride(from: 1, to: p.points.count, by: 2).map { p.points[$0] }
                let name = withFeatures.count > 1 ? "\(g.label), \(r.name)" : g.label
                notes.append("\(g.label): run \(r.name), \(p.count) of \(p.total) sentences; PC1 \(NumberFormat.fixed(100 * p.explained[0], digits: 1))%, PC2 \(NumberFormat.fixed(100 * p.explained[1], digits: 1))% of the variance.")
                let title = "\(name): PC1 \(NumberFormat.fixed(100 * p.explained[0], digits: 0))%, PC2 \(NumberFormat.fixed(100 * p.explained[1], digits: 0))%"
                panels.append(.scatter(.init(title: title, xLabel: "PC1 (own basis per panel)", yLabel: "PC2",
                                             groups: [.init(name: g.label, x: xs, y: ys)], pointRadius: 1.5)))   // one colour per group
            }
        }
        // One row up to three panels, then a near-square grid of at most three columns (4 → 2 × 2, 5–9 → 3 wide).
        let columns = panels.count <= 3 ? max(1, panels.count) : min(3, Int(Double(panels.count).squareRoot().rounded(.up)))
        let rows = (panels.count + columns - 1) / max(1, columns)
        return [SiteFigure(id: Slug.make(e.id), title: e.title, notes: notes,
                           plot: panels.count > 1 ? .panels(panels, columns: columns, shared: true) : panels.first,
                           width: 380 * columns, height: 360 * max(1, rows))]
    }

    // MARK: tables

    static func metricTable(_ e: ReportSpec.Exhibit, runs: [LoadedRun], groups: [(label: String, runs: [LoadedRun])],
                            spec: ReportSpec, runLink: (LoadedRun) -> String) -> SiteTable {
        let buckets = e.buckets.isEmpty ? ["all"] : e.buckets.map(normaliseBucket)
        var columns = ["run"]
        if !spec.groupBy.isEmpty { columns.append("group") }
        var specs: [(key: String, variant: String?, bucket: String?)] = []
        for c in e.columns {
            let key = c.name.value
            if key == "run" || key == "group" { continue }
            let bucketed = ["bleu2", "bleu4", "rouge2", "rouge4", "rougeL"].contains(key)
            if bucketed && buckets != ["all"] {
                for b in buckets { specs.append((key, c.variant, b)); columns.append("\(c.label ?? label(key)) \(b)") }
            } else {
                specs.append((key, c.variant, nil)); columns.append(c.label ?? label(key))
            }
        }
        var rows: [[SiteTable.Cell]] = []
        var missing: [String: Int] = [:]   // why a cell is "—", counted for the notes
        var aggregated = false
        // Within a group, runs in the order of the table's config columns (numerically), then by name.
        let configColumns = specs.map(\.key).filter { MetricCatalog.entry($0) == nil }
        for g in groups {
            let ordered = g.runs.sorted { a, b in
                for k in configColumns {
                    let x = a.appliedConfigValue(k), y = b.appliedConfigValue(k)
                    if x != y { return x < y }
                }
                return a.name < b.name
            }
            for set in seedSiblings(ordered) {
                let r = set[0]
                var row: [SiteTable.Cell] = [set.count == 1 ? .text(r.name, link: runLink(r))
                    : .text(seedSetNames(set) + " (seeds \(seedList(set)))", link: runLink(r))]
                if !spec.groupBy.isEmpty { row.append(.text(g.label)) }
                for s in specs {
                    if MetricCatalog.entry(s.key) != nil {
                        if set.count > 1 {
                            let values = set.compactMap { $0.metrics.value(s.key, variant: s.variant, bucket: s.bucket ?? "all")?.value }
                                .filter(\.isFinite)
                            if values.isEmpty {
                                missing[missingReason(bucket: s.bucket, r), default: 0] += 1
                                row.append(.text("—"))
                            } else {
                                aggregated = true
                                row.append(.aggregate(SeriesStatistics(values)))
                            }
                            continue
                        }
                        let cell = MetricFormat.cell(r.metrics.value(s.key, variant: s.variant, bucket: s.bucket ?? "all"))
                        if cell.text == "—" { missing[missingReason(bucket: s.bucket, r), default: 0] += 1 }
                        row.append(cell)
                    } else {
                        let v = r.appliedConfigValue(s.key)
                        if v == .text("—") {
                            missing[r.configValue(s.key) == nil ? "not in the run's configuration"
                                                                : "a setting this run's objective or schedule does not use", default: 0] += 1
                        }
                        row.append(v != .text("—") && v.number != nil && !(v.description == "true" || v.description == "false")
                                   ? SiteTable.Cell(text: v.description, number: v.number) : .text(v.description))
                    }
                }
                rows.append(row)
            }
        }
        var notes: [String] = []
        if rows.isEmpty { notes.append("No runs to show.") }
        if aggregated {
            notes.append("Runs that differ only in their seed are one row: mean ± sample standard deviation (n runs); "
                + "each run keeps its own page.")
        }
        if !missing.isEmpty {
            notes.append("— marks: " + missing.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) cells)" }
                .joined(separator: "; ") + ".")
        }
        return SiteTable(id: Slug.make(e.id), title: e.title, caption: e.caption, columns: columns, rows: rows, notes: notes)
    }

    /// A paper's numbers as the spec quotes them: text kept as published, numeric where it parses.
    static func publishedTable(_ e: ReportSpec.Exhibit) -> SiteTable {
        let rows = e.rows.map { row in
            row.map { cell -> SiteTable.Cell in
                let plain = cell.replacingOccurrences(of: "−", with: "-")
                if let v = Double(plain), v.isFinite { return SiteTable.Cell(text: cell, number: v) }
                return .text(cell)
            }
        }
        return SiteTable(id: Slug.make(e.id), title: e.title, caption: e.caption,
                         columns: e.columns.map { $0.label ?? $0.name.value }, rows: rows,
                         notes: ["Source: \(e.source).",
                                 "Quoted as published, not computed by VAEScope; the paper's corpora and model sizes differ from these runs'."])
    }

    /// Each claim against the runs: the group means (± sd over seeds) of the claimed quantity, and whether the
    /// order the paper states held here. The notes open with one sentence saying what held and what did not.
    static func claimsTable(_ e: ReportSpec.Exhibit, groups: [(label: String, runs: [LoadedRun])], spec: ReportSpec) -> SiteTable {
        let selected = groups.flatMap(\.runs)
        /// The runs a side of a claim names: a group by its label, or every run whose `by` key has that value.
        func runs(of value: String, _ c: ReportSpec.Exhibit.Claim) -> [LoadedRun]? {
            if c.by == nil, let g = groups.first(where: { $0.label == value }) { return g.runs }
            let key = c.by?.value ?? spec.groupBy.first?.value ?? ""
            let found = selected.filter { $0.configValue("languageModelOnly") != .bool(true) && $0.appliedConfigValue(key).description == value }
            return found.isEmpty ? nil : found
        }
        func values(_ c: ReportSpec.Exhibit.Claim, _ rs: [LoadedRun]) -> [Double] {
            rs.compactMap { r -> Double? in
                if let m = c.metric { return r.metrics.value(m.value, variant: nil, bucket: "all")?.value }
                guard let s = c.scalar, let series = r.series(ScalarKeys.aliases(of: s.value), split: c.split) else { return nil }
                return series.values.last { $0.isFinite }
            }.filter(\.isFinite)
        }
        var rows: [[SiteTable.Cell]] = []
        var held: [String] = [], failed: [String] = [], unmeasured: [String] = [], tied: [String] = []
        func cell(_ v: [Double]) -> SiteTable.Cell {
            if v.isEmpty { return .text("—") }
            if v.count == 1 { return SiteTable.Cell(text: NumberFormat.auto(v[0]), number: v[0]) }
            return .aggregate(SeriesStatistics(v))
        }
        for c in e.claims {
            let what = c.metric.map { ReportBuilder.label($0.value) + " (evaluated)" }
                ?? "last \(ScalarKeys.axisLabel(c.scalar?.value ?? "", split: c.split))"
            // One row per value of `within` (e.g. per decoder), or one row over every selected run.
            let parts: [(label: String, runs: [LoadedRun])]
            if let w = c.within?.value {
                var order: [String] = [], byValue: [String: [LoadedRun]] = [:]
                for r in selected where r.configValue("languageModelOnly") != .bool(true) {
                    let v = r.appliedConfigValue(w).description
                    if byValue[v] == nil { order.append(v) }
                    byValue[v, default: []].append(r)
                }
                parts = order.map { ("\(w) = \($0)", byValue[$0] ?? []) }
            } else {
                parts = [("", selected)]
            }
            for part in parts {
                let text = part.label.isEmpty ? c.text : "\(c.text) — \(part.label)"
                let scope = Set(part.runs.map(\.data.id))
                if let near = c.near?.value {
                    // Every run's value within the tolerance of its own value of the `near` key.
                    var deviations: [Double] = []
                    var unmeasuredRuns = 0
                    for r in part.runs where r.configValue("languageModelOnly") != .bool(true) {
                        guard let target = r.appliedConfigValue(near).number, let v = values(c, [r]).first else {
                            unmeasuredRuns += 1
                            continue
                        }
                        deviations.append(abs(v - target))
                    }
                    var verdict: String
                    let outside = deviations.filter { $0 > c.tolerance }.count
                    if deviations.isEmpty { verdict = "not measured"; unmeasured.append(text) }
                    else if outside == 0 { verdict = "held (\(deviations.count) runs)"; held.append(text) }
                    else { verdict = "did not hold (\(outside) of \(deviations.count) runs outside)"; failed.append(text) }
                    if unmeasuredRuns > 0, !deviations.isEmpty { verdict += "; \(unmeasuredRuns) runs not measured" }
                    let largest: SiteTable.Cell = deviations.isEmpty ? .text("—")
                        : SiteTable.Cell(text: NumberFormat.auto(deviations.max()!), number: deviations.max()!)
                    rows.append([.text(text), .text(what),
                                 .text("|value − \(near)| ≤ \(NumberFormat.auto(c.tolerance)) in every run (higher side: the largest)"),
                                 largest, .text("—"), .text(verdict)])
                    continue
                }
                let hi = runs(of: c.higher, c).map { values(c, $0.filter { scope.contains($0.data.id) }) } ?? []
                let lo = runs(of: c.lower, c).map { values(c, $0.filter { scope.contains($0.data.id) }) } ?? []
                let verdict: String
                let h = SeriesStatistics(hi), l = SeriesStatistics(lo)
                if hi.isEmpty || lo.isEmpty {
                    verdict = "not measured"; unmeasured.append(text)
                } else if hi.count > 1, lo.count > 1, abs(h.mean - l.mean) <= h.sd + l.sd {
                    // With seeds on both sides, a difference inside their spread says nothing either way.
                    verdict = "within the seeds' spread"; tied.append(text)
                } else if h.mean > l.mean {
                    verdict = "held"; held.append(text)
                } else {
                    verdict = "did not hold"; failed.append(text)
                }
                let order = c.by.map { "\($0.value) = \(c.higher) > \($0.value) = \(c.lower)" } ?? "\(c.higher) > \(c.lower)"
                rows.append([.text(text), .text(what), .text(order), cell(hi), cell(lo), .text(verdict)])
            }
        }
        var sentence = "In these runs, "
        var parts: [String] = []
        if !held.isEmpty { parts.append("held: " + held.joined(separator: "; ")) }
        if !failed.isEmpty { parts.append("did not hold: " + failed.joined(separator: "; ")) }
        if !tied.isEmpty { parts.append("no difference beyond the seeds' spread: " + tied.joined(separator: "; ")) }
        if !unmeasured.isEmpty { parts.append("not measured (no such group or value): " + unmeasured.joined(separator: "; ")) }
        sentence += parts.joined(separator: " — ") + "."
        let notes = [sentence, "Each side is the mean over the group's runs (± sample sd and n when there are several seeds); "
                     + "a claim holds when the paper's order of the two means holds, unless both sides have seeds and the "
                     + "means differ by no more than the sum of their standard deviations (then: within the seeds' spread)."]
        return SiteTable(id: Slug.make(e.id), title: e.title, caption: e.caption,
                         columns: ["claim", "measured as", "order claimed", "higher side", "lower side", "here"],
                         rows: rows, notes: notes)
    }

    /// The names of a set of seed siblings: all of them up to four, else the first and last and how many.
    static func seedSetNames(_ set: [LoadedRun]) -> String {
        set.count <= 4 ? set.map(\.name).joined(separator: ", ")
            : "\(set[0].name) … \(set[set.count - 1].name) (\(set.count) runs)"
    }

    /// Their seeds: all of them up to six, else how many and their range.
    static func seedList(_ set: [LoadedRun]) -> String {
        let seeds = set.map(\.data.seed)
        guard seeds.count > 6, let lo = seeds.min(), let hi = seeds.max() else { return seeds.map(String.init).joined(separator: ", ") }
        return "\(seeds.count) seeds, \(lo)–\(hi)"
    }

    /// Runs that differ only in their seed, as sets in the order of their first member (each set's runs by name).
    static func seedSiblings(_ runs: [LoadedRun]) -> [[LoadedRun]] {
        var order: [String] = []
        var sets: [String: [LoadedRun]] = [:]
        for r in runs {
            let key = r.data.config.filter { !$0.key.hasSuffix("seed") && $0.key != "corpusDirectory" }
                .sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.description)" }.joined(separator: "\u{1}")
            if sets[key] == nil { order.append(key) }
            sets[key, default: []].append(r)
        }
        return order.map { sets[$0] ?? [] }
    }

    /// Why a run has no value for a metric: not evaluated at all, a length bucket the evaluated split has no
    /// sentence in, or a value its evaluation did not compute or save.
    static func missingReason(bucket: String?, _ r: LoadedRun) -> String {
        let evaluated = r.data.scalars.contains { $0.key.hasPrefix("eval.") } || !r.data.sentences.isEmpty
        if !evaluated { return "run not evaluated (vaescope eval)" }
        if let b = bucket, b != "all", !r.data.sentences.isEmpty {
            let inBucket = r.data.sentences.contains { SourceLengthBucket(length: $0.split(separator: " ").count).rawValue == b }
            if !inBucket { return "no sentence of that length in the evaluated split" }
        }
        return "not computed or not saved by the run's evaluation"
    }

    /// Spec buckets may be written "<=10", "≤10", "11-20", "11–20", ">30", "all".
    static func normaliseBucket(_ b: String) -> String {
        switch b.replacingOccurrences(of: " ", with: "") {
        case "<=10", "≤10", "le10": return "≤10"
        case "11-20", "11–20": return "11–20"
        case "21-30", "21–30": return "21–30"
        case ">30", "gt30": return ">30"
        default: return b
        }
    }

    static func interpolationTables(_ e: ReportSpec.Exhibit, groups: [(label: String, runs: [LoadedRun])]) -> [SiteTable] {
        groups.flatMap { g -> [SiteTable] in
            guard let r = g.runs.first(where: { $0.data.texts.contains { $0.kind == .interpolation } }) ?? g.runs.first else { return [] }
            return InterpolationTable.tables(r.data.texts, pairs: e.pairs, idPrefix: Slug.make("\(e.id)-\(g.label)"),
                                             titlePrefix: "\(g.label) (\(r.name)): interpolation")
        }
    }

    static func generationTable(_ e: ReportSpec.Exhibit, runs: [LoadedRun], runLink: (LoadedRun) -> String) -> SiteTable {
        let keys = ["vocabularySize", "fce", "unkPercent", "meanLength", "selfBLEU"]
        var rows: [[SiteTable.Cell]] = []
        var fceMissing = false
        for r in runs {
            for scheme in r.metrics.schemes {
                var row: [SiteTable.Cell] = [.text(r.name, link: runLink(r)), .text(scheme)]
                for k in keys {
                    let m = r.metrics.value(k, scheme: scheme)
                    if m?.value == nil && k == "fce" { fceMissing = true }
                    row.append(MetricFormat.cell(m))
                }
                rows.append(row)
            }
        }
        var notes: [String] = []
        if rows.isEmpty { notes.append("No prior samples in these runs (run `vaescope eval`).") }
        if fceMissing { notes.append("FCE — : forward cross-entropy not computed (vaescope eval --fce N).") }
        return SiteTable(id: Slug.make(e.id), title: e.title, caption: e.caption,
                         columns: ["run", "scheme", "|V|", "FCE", "%unk", "length", "self-BLEU"], rows: rows, notes: notes)
    }

    static func probeTable(_ e: ReportSpec.Exhibit, runs: [LoadedRun], runLink: (LoadedRun) -> String) -> SiteTable {
        var rows: [[SiteTable.Cell]] = []
        for r in runs {
            var categories: [String] = []
            for s in r.data.scalars where s.split == e.split && s.key.hasPrefix("eval.probe.") && s.key.hasSuffix(".p1") {
                categories.append(String(s.key.dropFirst("eval.probe.".count).dropLast(".p1".count)))
            }
            for c in categories.sorted() {
                var row: [SiteTable.Cell] = [.text(r.name, link: runLink(r)), .text(c)]
                for m in ["p1", "p2", "p1bar", "p2bar"] {
                    row.append(.number(r.data.series("eval.probe.\(c).\(m)", split: e.split)?.last, digits: 3))
                }
                for m in ["pairs", "identical"] {   // identical: pairs that tie because both forms map to the same ids
                    let n = r.data.series("eval.probe.\(c).\(m)", split: e.split)?.last
                    row.append(n.map { SiteTable.Cell(text: String(Int($0)), number: $0) } ?? .text("—"))
                }
                rows.append(row)
            }
        }
        return SiteTable(id: Slug.make(e.id), title: e.title, caption: e.caption,
                         columns: ["run", "category", "p1", "p2", "p̄1", "p̄2", "pairs", "identical"], rows: rows,
                         notes: rows.isEmpty ? ["No syntactic probe results in these runs (vaescope eval --probe FILE)."]
                             : ["identical: pairs whose two sentences are the same in the run's vocabulary (the differing word is <unk> in both); they tie and count as failures (strict >), so they pull p1 and p2 down."])
    }
}

/// Mean and sample standard deviation (0 for one value) of the runs at one x.
struct SeriesStatistics {
    let count: Int
    let mean: Double
    let sd: Double

    init(_ values: [Double]) {
        count = values.count
        mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
        let m = mean
        sd = values.count > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot() : 0
    }
}
