import Foundation

/// The index page: every run as one row, the reports, the downloads.
enum IndexBuilder {
    /// A key metric column: catalog key, header, the per-epoch series it falls back to, which way is better.
    struct KeyMetric {
        var key: String
        var header: String
        var series: [String]
        /// +1 higher is better, −1 lower is better, 0 no "best".
        var better: Int
    }

    static let keyMetrics = [
        KeyMetric(key: "rate", header: "rate", series: ScalarKeys.kl, better: 0),
        KeyMetric(key: "distortion", header: "distortion", series: ScalarKeys.reconstruction, better: -1),
        KeyMetric(key: "iwNLL", header: "IW-NLL", series: [], better: -1),
        KeyMetric(key: "activeUnits", header: "AU", series: ScalarKeys.activeUnits, better: 1),
        KeyMetric(key: "mutualInformation", header: "MI, full split", series: ScalarKeys.mi, better: 1),
        KeyMetric(key: "meanCosine", header: "mean cosine", series: ScalarKeys.cosine, better: -1),
    ]

    /// MI has two published estimators that differ by tenths of a nat on the same run: the columns say which.
    static let miNote = "MI, full split: the mixture estimator over the whole evaluated split (He et al. 2019's calc_mi; "
        + "a seeded subsample where the run's page says so). He et al.'s minibatch estimator is on each run's page."

    /// Config keys whose values are not the same in every run (a missing key counts as a value).
    static func differingKeys(_ runs: [LoadedRun]) -> [String] {
        guard runs.count > 1 else { return [] }
        var keys = Set<String>()
        for r in runs { keys.formUnion(RunPageBuilder.displayKeys(r.data.config)) }
        return keys.filter { k in Set(runs.map { $0.appliedConfigValue(k).description }).count > 1 }.sorted()
    }

    /// The evaluated value of the evaluated split, or "—" (never a validation value: splits are not mixed in
    /// one column; the last validation values have their own columns).
    static func cell(_ m: KeyMetric, _ r: LoadedRun) -> SiteTable.Cell {
        MetricFormat.cell(r.metrics.value(m.key))
    }

    /// The validation series' last value (the curves' end, whatever the evaluated split).
    static func lastValidation(_ keys: [String], _ r: LoadedRun) -> SiteTable.Cell {
        guard let s = r.series(keys, split: "valid"), let i = s.values.lastIndex(where: \.isFinite) else { return .text("—") }
        return SiteTable.Cell(text: NumberFormat.auto(s.values[i]), number: s.values[i])
    }

    /// A config value as a cell: numeric (sortable) unless it is "—" or a flag.
    static func configCell(_ key: String, _ r: LoadedRun) -> SiteTable.Cell {
        let v = r.appliedConfigValue(key)
        return v != .text("—") && v.number != nil && v.description != "true" && v.description != "false"
            ? SiteTable.Cell(text: v.description, number: v.number) : .text(v.description)
    }

    static func runsTable(_ runs: [LoadedRun], runLink: (LoadedRun) -> String) -> SiteTable {
        let keys = differingKeys(runs)
        let split = runs.first?.metrics.split ?? "test"
        let columns = ["run", "status"] + keyMetrics.map { "\($0.header) (\(split))" } + ["KL (valid, last)", "AU (valid, last)"] + keys
        let rows = runs.map { r -> [SiteTable.Cell] in
            var row: [SiteTable.Cell] = [.text(r.name, link: runLink(r)), .text(r.data.status)]
            row += keyMetrics.map { cell($0, r) }
            row += [lastValidation(ScalarKeys.kl, r), lastValidation(ScalarKeys.activeUnits, r)]
            row += keys.map { configCell($0, r) }
            return row
        }
        return SiteTable(id: "runs", title: "All runs", columns: columns, rows: rows,
                         notes: runs.isEmpty ? ["The stores hold no runs yet."] : [miNote])
    }

    /// Runs that differ only in their seed, one row per group of two or more: mean ± sample sd (n) of each key
    /// metric and last validation value, the members linked. nil when no two runs differ only in their seed.
    static func seedGroupsTable(_ runs: [LoadedRun], runLink: (LoadedRun) -> String) -> SiteTable? {
        let groups = ReportBuilder.seedSiblings(runs).filter { $0.count > 1 }
        guard !groups.isEmpty else { return nil }
        let keys = differingKeys(runs).filter { !$0.hasSuffix("seed") }
        let split = runs.first?.metrics.split ?? "test"
        let columns = ["runs", "seeds"] + keyMetrics.map { "\($0.header) (\(split))" } + ["KL (valid, last)", "AU (valid, last)"] + keys
        func aggregate(_ cells: [SiteTable.Cell]) -> SiteTable.Cell {
            let values = cells.compactMap(\.number).filter(\.isFinite)
            return values.isEmpty ? .text("—") : .aggregate(SeriesStatistics(values))
        }
        let rows = groups.map { set -> [SiteTable.Cell] in
            let r = set[0]
            var row: [SiteTable.Cell] = [.text(ReportBuilder.seedSetNames(set), link: runLink(r)),
                                         .text(ReportBuilder.seedList(set))]
            row += keyMetrics.map { m in aggregate(set.map { cell(m, $0) }) }
            row += [aggregate(set.map { lastValidation(ScalarKeys.kl, $0) }), aggregate(set.map { lastValidation(ScalarKeys.activeUnits, $0) })]
            row += keys.map { configCell($0, r) }
            return row
        }
        return SiteTable(id: "seed-groups", title: "Runs that differ only in their seed", columns: columns, rows: rows,
                         notes: ["Each row: mean ± sample standard deviation (n runs with a value) over the seeds; "
                                 + "the link opens the first run, every run keeps its own row below and its own page."])
    }

    /// Every metric of every run in long form, for spreadsheets (the one writer: `MetricsListing.csv`).
    static func allMetricsCSV(_ runs: [LoadedRun]) -> String {
        MetricsListing.csv(runs.map { ($0.name, $0.data.id, $0.metrics) })
    }
}
