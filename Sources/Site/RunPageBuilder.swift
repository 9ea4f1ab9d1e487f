import Metrics
import RunStore

/// The page of one run: its figures and tables as values, and the view model the `run` template shows.
struct RunPageContent {
    var page: RunPage
    var figures: [SiteFigure]
    var tables: [SiteTable]
}

enum RunPageBuilder {
    static let samplesPerBucket = 5
    static let priorRows = 10
    static let interpolationPairs = 3

    /// `assets`: the page-relative directory of the run's figures and tables (its slug).
    /// `defaults`: the trainer's default configuration (flattened); the settings that differ from it come first.
    static func build(_ run: LoadedRun, chrome: PageChrome, defaults: [String: ConfigValue] = [:]) -> RunPageContent {
        let assets = run.slug
        let curves = curveFigures(run)
        let dimFigures = dimensionFigures(run)
        let configTable = self.configTable(run)
        let changed = defaults.isEmpty ? nil : changedSettingsTable(run, defaults: defaults)
        let provenance = provenanceTable(run)
        let metricsTable = self.metricsTable(run)
        let dimsTable = dimensionsTable(run)
        let recon = reconstructionTables(run)
        let prior = priorTable(run)
        let interp = interpolationTables(run)
        let (verdict, verdictClass, lines) = Diagnosis.describe(run)
        let d = run.data
        let page = RunPage(
            chrome: chrome, name: d.name, status: d.status, statusClass: Slug.make(d.status), corpus: d.corpus.isEmpty ? "—" : d.corpus,
            createdAt: d.createdAt, finishedAt: d.finishedAt ?? "", hasFinishedAt: d.finishedAt != nil, runID: d.id, store: d.store, split: d.split,
            verdict: verdict, verdictClass: verdictClass, diagnosis: lines,
            configTable: TableView(configTable, downloads: assets),
            changedTable: changed.map { TableView($0, downloads: nil) }, hasDefaults: changed != nil,
            provenanceTable: TableView(provenance, downloads: nil),
            curves: curves.map { FigureView($0, directory: assets) },
            metricsTable: TableView(metricsTable, downloads: assets),
            dimensionFigures: dimFigures.map { FigureView($0, directory: assets) },
            dimensionsTable: TableView(dimsTable, downloads: assets),
            reconstructionTables: recon.map { TableView($0, downloads: assets) },
            priorTable: TableView(prior, downloads: assets),
            interpolationTables: interp.map { TableView($0, downloads: assets) })
        let tables = [configTable, provenance, metricsTable, dimsTable] + recon + [prior] + interp
        return RunPageContent(page: page, figures: curves + dimFigures, tables: tables)
    }

    // MARK: configuration

    /// Where the run comes from: tool version, configuration hash, corpus and its hash, seed, and the checkpoint
    /// step the evaluated values were computed at.
    static func provenanceTable(_ run: LoadedRun) -> SiteTable {
        let d = run.data
        var rows: [[SiteTable.Cell]] = [
            [.text("tool"), .text(d.toolVersion.isEmpty ? "— (not recorded by the writer)" : "vaescope \(d.toolVersion)")],
            [.text("configuration hash"), .text(d.configHash.isEmpty ? "—" : d.configHash + " (64-bit content hash of the stored JSON)")],
            [.text("corpus"), .text(d.corpus.isEmpty ? "—" : d.corpus)],
            [.text("corpus content hash"), .text(d.corpusHash.isEmpty ? "—" : d.corpusHash)],
            [.text("seed"), .text(String(d.seed))],
            [.text("run id"), .text(d.id)],
        ]
        if let s = run.series(["eval.iwNLL", "eval.rate"], split: d.split), let step = s.steps.last {
            let tag: String
            switch run.series(["eval.checkpointIsLast"], split: d.split)?.values.last {
            case 1?: tag = "the last checkpoint"
            case 0?: tag = "the best-validation-ELBO checkpoint"
            default: tag = "checkpoint not recorded (evaluated before VAEScope recorded it)"
            }
            rows.append([.text("evaluated checkpoint"), .text("step \(step): \(tag); \(d.split) split")])
        } else {
            rows.append([.text("evaluated checkpoint"), .text("— (not evaluated)")])
        }
        return SiteTable(id: "provenance", title: "Provenance", columns: ["", "value"], rows: rows)
    }

    /// Keys shown for a config: bare keys, plus dotted keys whose leaf is not itself a key; sorted.
    static func displayKeys(_ config: [String: ConfigValue]) -> [String] {
        config.keys.filter { key in
            guard key.contains(".") else { return true }
            let leaf = String(key.split(separator: ".").last ?? "")
            return config[leaf] == nil
        }.sorted()
    }

    /// The settings a run chose: keys whose value differs from the trainer's default and that the run uses.
    static func changedSettingsTable(_ run: LoadedRun, defaults: [String: ConfigValue]) -> SiteTable {
        let rows = displayKeys(run.data.config).compactMap { k -> [SiteTable.Cell]? in
            guard let d = defaults[k], let v = run.data.config[k], v != d,
                  ConfigApplicability.applies(k, { run.configValue($0) }) else { return nil }
            return [.text(k), .text(v.description), .text(d.description)]
        }
        return SiteTable(id: "settings", title: "Settings that differ from the defaults", columns: ["key", "value", "default"],
                         rows: rows, notes: rows.isEmpty ? ["Every setting this run uses is VAEScope's default."] : [])
    }

    static func configTable(_ run: LoadedRun) -> SiteTable {
        let keys = displayKeys(run.data.config)
        let rows = keys.map { k -> [SiteTable.Cell] in
            [.text(k), .text(ConfigApplicability.applies(k, { run.configValue($0) }) ? run.data.config[k]?.description ?? "—"
                                                                                      : "— (not used by this run)")]
        }
        return SiteTable(id: "config", title: "Resolved configuration", columns: ["key", "value"], rows: rows,
                         notes: keys.isEmpty ? ["The run stored no configuration."] : [])
    }

    // MARK: training curves

    static func curveFigures(_ run: LoadedRun) -> [SiteFigure] {
        func lines(_ keys: [String], _ label: String, splits: [String] = ["train", "valid"]) -> [SiteFigure.Line] {
            splits.compactMap { split in
                run.series(keys, split: split).map {
                    SiteFigure.Line(name: "\(label) (\(split))", x: $0.steps.map(Double.init), y: $0.values)
                }
            }
        }
        func figure(_ id: String, _ title: String, _ yLabel: String, _ series: [SiteFigure.Line], missing: String) -> SiteFigure {
            SiteFigure(id: id, title: title, notes: series.isEmpty ? [missing] : [],
                       plot: series.isEmpty ? nil : .line(.init(xLabel: ScalarKeys.stepLabel, yLabel: yLabel, series: series)))
        }
        var klLines = lines(ScalarKeys.kl, "KL")
        var klTitle = "KL"
        if let c = run.series(ScalarKeys.target, split: "train"), c.values.contains(where: { $0 != 0 }) {
            klLines.append(SiteFigure.Line(name: "target C", x: c.steps.map(Double.init), y: c.values, dashed: true))
            klTitle = "KL and its target C"
        }
        return [
            figure("curve-loss", "Loss", "nats per sentence", lines(ScalarKeys.loss, "loss"), missing: "No loss was logged."),
            figure("curve-reconstruction", "Reconstruction", "nats per sentence", lines(ScalarKeys.reconstruction, "reconstruction"),
                   missing: "No reconstruction loss was logged."),
            figure("curve-kl", klTitle, "KL(q(z|x) ‖ p(z)) (nats)", klLines, missing: "No KL was logged."),
            figure("curve-beta", "β", "β", lines(ScalarKeys.beta, "β", splits: ["train"]), missing: "No β was logged."),
            figure("curve-cosine", "Cosine dispersion of h", "mean pairwise cosine", lines(ScalarKeys.cosine, "cosine"),
                   missing: "No mean pairwise cosine was logged."),
            figure("curve-au", "Active units at each validation", "active units (of Z)", lines(ScalarKeys.activeUnits, "AU", splits: ["valid", "test"]),
                   missing: "No active units were logged per epoch."),
            figure("curve-mi", "Mutual information at each validation", "I(x; z) (nats)", lines(ScalarKeys.mi, "MI", splits: ["valid", "test"]),
                   missing: "No mutual information was logged per epoch."),
        ]
    }

    // MARK: metrics and dimensions

    /// One row per (metric, variant, scheme), one column per source-length bucket that has values.
    static func metricsTable(_ run: LoadedRun) -> SiteTable {
        let values = run.metrics.values
        let buckets = RunMetrics.bucketOrder.filter { b in values.contains { $0.bucket == b } }
        var rows: [[SiteTable.Cell]] = []
        var index: [String: Int] = [:]
        for m in values {
            let key = "\(m.name)\u{1}\(m.variant.id)\u{1}\(m.scheme)"
            if index[key] == nil {
                index[key] = rows.count
                rows.append([.text(m.name), .text(m.variant.label), .text(m.scheme.isEmpty ? "—" : m.scheme)]
                            + buckets.map { _ in SiteTable.Cell.text("") } + [.text("")])
            }
            guard let r = index[key], let c = buckets.firstIndex(of: m.bucket) else { continue }
            rows[r][3 + c] = MetricFormat.cell(m)
            if let note = m.note, !rows[r][rows[r].count - 1].text.contains(note) {
                let old = rows[r][rows[r].count - 1].text
                rows[r][rows[r].count - 1] = .text(old.isEmpty ? note : old + "; " + note)
            }
        }
        return SiteTable(id: "metrics", title: "Every metric with its variant",
                         caption: "By source length in tokens where the metric has buckets. BLEU and ROUGE are fractions in [0, 1].",
                         columns: ["metric", "variant", "scheme"] + buckets + ["note"], rows: rows,
                         notes: rows.isEmpty ? ["No metrics: the run saved no latents, reconstructions or samples for the \(run.data.split) split (run `vaescope eval`)."] : [])
    }

    static func dimensionsTable(_ run: LoadedRun) -> SiteTable {
        let rows = run.metrics.dimensions.map { d -> [SiteTable.Cell] in
            [SiteTable.Cell(text: "z\(d.dimension)", number: nil), .number(d.kl, digits: 4), .number(d.signal, digits: 4),
             .number(d.noise, digits: 4), .text(Diagnosis.stateWords(d.state))]
        }
        var table = SiteTable(id: "dimensions", title: "Per-dimension KL and activity",
                              caption: "signal = Var over sentences of μ_d; noise = mean σ_d²; a dimension is active when its signal is at least 0.01.",
                              columns: ["dim", "KL_d", "Var_x μ_d", "E σ_d²", "state"], rows: rows,
                              notes: rows.isEmpty ? ["No latents were saved for the \(run.data.split) split."] : [])
        table.latexColumns = ["dim", "$\\mathrm{KL}_d$", "$\\mathrm{Var}_x\\,\\mu_d$", "$\\mathrm{E}\\,\\sigma_d^2$", "state"]
        return table
    }

    static func dimensionFigures(_ run: LoadedRun) -> [SiteFigure] {
        let dims = run.metrics.dimensions
        guard !dims.isEmpty else {
            return [SiteFigure(id: "dims-kl", title: "KL per dimension", notes: ["No latents were saved."], plot: nil)]
        }
        let kl = SiteFigure(id: "dims-kl", title: "KL per latent dimension",
                            plot: .bar(.init(categories: dims.map { "\($0.dimension)" }, categoryLabel: "dimension",
                                             valueLabel: "KL_d (nats)", series: [("KL_d", dims.map(\.kl))])))
        var groups: [SiteFigure.ScatterGroup] = []
        for state in DimensionState.allCases {
            let ds = dims.filter { $0.state == state && $0.signal != nil }
            if ds.isEmpty { continue }
            // Collapsed dimensions sit on top of each other at (1, 0): label only the others.
            groups.append(.init(name: Diagnosis.stateWords(state), x: ds.map(\.noise), y: ds.map { $0.signal ?? 0 },
                                labels: state == .collapsedToPrior ? [] : ds.map { "z\($0.dimension)" }))
        }
        let activity = SiteFigure(id: "dims-activity", title: "Signal against noise per dimension",
                                  notes: groups.isEmpty ? ["Signal undefined (fewer than 2 sentences)."] : [],
                                  plot: groups.isEmpty ? nil : .scatter(.init(xLabel: "E σ_d² (noise)", yLabel: "Var_x μ_d (signal)", groups: groups)))
        return [kl, activity]
    }

    // MARK: texts

    static func reconstructionTables(_ run: LoadedRun) -> [SiteTable] {
        let d = run.data
        var fromMean: [Int: String] = [:]
        var fromSample: [Int: String] = [:]
        for t in d.texts {
            let i = t.sourceIndex ?? t.zIndex
            if t.kind == .reconstructionMean, fromMean[i] == nil { fromMean[i] = t.text }
            if t.kind == .reconstructionSample, fromSample[i] == nil { fromSample[i] = t.text }
        }
        if d.sentences.isEmpty || fromMean.isEmpty {
            return [SiteTable(id: "reconstructions", title: "Reconstructions", columns: [], rows: [],
                              notes: ["No reconstructions were saved for the \(d.split) split (run `vaescope eval`)."])]
        }
        // One pass over the sentences, stopping once every bucket has its examples.
        let buckets = SourceLengthBucket.lengthBuckets
        var rowsByBucket = [[[SiteTable.Cell]]](repeating: [], count: buckets.count)
        for (i, s) in d.sentences.enumerated() {
            guard let m = fromMean[i] else { continue }
            var length = 0, inWord = false
            for c in s.utf8 { if c == 32 { inWord = false } else if !inWord { inWord = true; length += 1 } }
            guard let b = buckets.firstIndex(of: SourceLengthBucket(length: length)), rowsByBucket[b].count < samplesPerBucket else { continue }
            rowsByBucket[b].append([.text("\(i)"), .text(s), .text(m), .text(fromSample[i] ?? "—")])
            if rowsByBucket.allSatisfy({ $0.count >= samplesPerBucket }) { break }
        }
        var tables: [SiteTable] = []
        for (b, bucket) in buckets.enumerated() {
            let rows = rowsByBucket[b]
            let id = ["≤10": "le10", ">30": "gt30"][bucket.rawValue] ?? Slug.make(bucket.rawValue)
            tables.append(SiteTable(id: "reconstructions-\(id)", title: "Source length \(bucket.rawValue) tokens",
                                    columns: ["#", "source", "from μ (greedy)", "from z ~ q(z|x)"], rows: rows,
                                    notes: rows.isEmpty ? ["No sentence of this length."] : []))
        }
        return tables
    }

    /// Decoding schemes in a stable order: greedy, top-k by k, nucleus by p, others by name.
    static func orderedSchemes(_ labels: Set<DecodingLabel>) -> [DecodingLabel] {
        func rank(_ s: String) -> Int { ["greedy": 0, "top-k": 1, "nucleus": 2][s] ?? 3 }
        return labels.sorted { a, b in
            if rank(a.scheme) != rank(b.scheme) { return rank(a.scheme) < rank(b.scheme) }
            if a.scheme != b.scheme { return a.scheme < b.scheme }
            return (a.parameter ?? 0) < (b.parameter ?? 0)
        }
    }

    static func priorTable(_ run: LoadedRun) -> SiteTable {
        let samples = run.data.texts.filter { $0.kind == .priorSample }
        let schemes = orderedSchemes(Set(samples.map(\.decoding)))
        var byKey: [String: String] = [:]
        for t in samples { byKey["\(t.decoding.description)#\(t.zIndex)"] = byKey["\(t.decoding.description)#\(t.zIndex)"] ?? t.text }
        let zs = Array(Set(samples.map(\.zIndex))).sorted().prefix(priorRows)
        let rows = zs.map { z -> [SiteTable.Cell] in
            [.text("\(z)")] + schemes.map { .text(byKey["\($0.description)#\(z)"] ?? "—") }
        }
        return SiteTable(id: "prior-samples", title: "Samples from the prior by decoding scheme",
                         caption: "The same draws z ~ N(0, I) decoded by each scheme.",
                         columns: ["z"] + schemes.map(\.description), rows: rows,
                         notes: rows.isEmpty ? ["No prior samples were saved (run `vaescope eval`)."] : [])
    }

    static func interpolationTables(_ run: LoadedRun) -> [SiteTable] {
        InterpolationTable.tables(run.data.texts, pairs: interpolationPairs, idPrefix: "interpolation", titlePrefix: "Interpolation")
    }
}

/// Interpolation tables (Prokhorov et al. 2019 Table 2): one column per decoding scheme, one row per point
/// of the homotopy; a sentence equal to the one above it in the same column is highlighted (a repeated
/// neighbour: the decoder did not move although z did).
enum InterpolationTable {
    static func tables(_ texts: [DecodedText], pairs: Int, idPrefix: String, titlePrefix: String) -> [SiteTable] {
        let interp = texts.filter { $0.kind == .interpolation }
        let schemes = RunPageBuilder.orderedSchemes(Set(interp.map(\.decoding)))
        let pairIDs = Array(Set(interp.map { $0.pairIndex ?? 0 })).sorted().prefix(pairs)
        if pairIDs.isEmpty {
            return [SiteTable(id: idPrefix, title: titlePrefix + "s", columns: [], rows: [],
                              notes: ["No interpolations were saved (run `vaescope eval`)."])]
        }
        var tables: [SiteTable] = []
        for pair in pairIDs {
            var cells: [String: String] = [:]
            var points = Set<Int>()
            for t in interp where (t.pairIndex ?? 0) == pair {
                let p = t.pointIndex ?? t.zIndex
                points.insert(p)
                cells["\(t.decoding.description)#\(p)"] = cells["\(t.decoding.description)#\(p)"] ?? t.text
            }
            let ordered = points.sorted()
            var rows: [[SiteTable.Cell]] = []
            var repeats = 0
            for (r, p) in ordered.enumerated() {
                var row: [SiteTable.Cell] = [.text("\(p)")]
                for s in schemes {
                    let text = cells["\(s.description)#\(p)"] ?? "—"
                    let previous = r > 0 ? cells["\(s.description)#\(ordered[r - 1])"] : nil
                    let repeated = previous != nil && previous == text && text != "—"
                    if repeated { repeats += 1 }
                    row.append(.text(text, highlight: repeated))
                }
                rows.append(row)
            }
            tables.append(SiteTable(id: "\(idPrefix)-\(pair)", title: "\(titlePrefix) \(pair)",
                                    caption: "Highlighted: the same sentence as the point above (\(repeats) repeated neighbours).",
                                    columns: ["point"] + schemes.map(\.description), rows: rows))
        }
        return tables
    }
}
