import Foundation
import RunStore
import Tensor

/// What `vaescope report` does, as a library call: load every store into view models, render the templates
/// from the view models only, then write the files (zola's load → render → write).
public enum SiteBuilder {
    public struct Options: Sendable {
        public var stores: [String]
        public var specs: [String]
        public var output: String
        public var templates: String?
        /// The evaluated split whose latents, texts and metrics the pages show.
        public var split: String
        /// Read (and, with `metricsCache` write, write) the stores' metrics cache; false = `metricsCache` off.
        public var useCache: Bool { get { metricsCache != .off } set { metricsCache = newValue ? .write : .off } }
        /// What happens to the stores' metrics cache (`--metrics-cache`; see `StoreLoader.MetricsCache`).
        public var metricsCache: StoreLoader.MetricsCache = .write
        /// Draw figures at half size without anti-aliasing (fast; for tests).
        public var draft: Bool = false
        /// The full-split MI on this many seeded sentences when a split has more (`--mi-subsample`), labelled so.
        public var miSubsample: Int?
        /// Show the stores' and corpora's full paths (`--private-paths`); by default a published site names
        /// them by file name only, so no path of the building machine appears in it.
        public var includePaths = false
        /// Runs (names, UUIDs or slugs) the comparison page shows when its address names none (`--compare`).
        public var compare: [String] = []
        /// The trainer's default configuration, flattened as runs store theirs (the command passes
        /// `TrainConfig()`): each run page shows first the settings that differ from it, and its keys are the
        /// config keys report specs may name. Empty: neither (specs may then name only keys the runs have).
        public var configDefaults: [String: ConfigValue] = [:]
        /// Runs loaded and figures drawn at once (the output does not depend on it).
        public var threads: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)

        public init(stores: [String], specs: [String] = [], output: String, templates: String? = nil,
                    split: String = "test", useCache: Bool = true) {
            self.stores = stores
            self.specs = specs
            self.output = output
            self.templates = templates
            self.split = split
            self.metricsCache = useCache ? .write : .off
        }
    }

    public struct Summary: Sendable, CustomStringConvertible {
        public var runs: Int
        public var reports: Int
        public var metricsComputed: Int
        public var metricsCached: Int
        public var figuresDrawn: Int
        public var figuresReused: Int
        public var files: Int
        public var output: String
        /// Run pages rendered, and taken unchanged from the previous build (their run did not change).
        public var runPagesRendered: Int = 0
        public var runPagesReused: Int = 0
        /// Wall-clock seconds of each stage: load (stores, metrics, PCA), render (pages), write (figures, files).
        public var seconds: [(stage: String, seconds: Double)] = []
        /// CPU seconds of each phase, summed over the worker threads (read, hash inputs, compute metrics, …,
        /// draw figures, write files).
        public var cpu: [(phase: String, seconds: Double)] = []
        public var description: String {
            "\(runs) runs, \(reports) reports; metrics computed for \(metricsComputed) runs, cached for \(metricsCached); "
                + "run pages rendered \(runPagesRendered), reused \(runPagesReused); "
                + "figures drawn \(figuresDrawn), reused \(figuresReused); \(files) files in \(output)\n"
                + "      wall: " + seconds.map { "\($0.stage) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", ") + "\n"
                + "      CPU by phase (summed over threads): "
                + cpu.map { "\($0.phase) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", ")
        }
    }

    /// Builds the site. `progress` receives one line per stage (for a terminal).
    ///
    /// Incremental: the output keeps, per run page, the key it was made from (`.vaescope-runs`: the run's
    /// change stamp, its slug, and everything else a run page shows — report links, stores, templates, tool
    /// version). A run whose key is unchanged is not read in full: its metrics come from the cache by the
    /// inputs hash recorded with the key, only its scalars and interpolations are read (for the index and
    /// the reports), and its page, tables and figures are linked from the previous site. The output is the
    /// same bytes a build from scratch writes.
    @discardableResult
    public static func build(_ options: Options, progress: (String) -> Void = { _ in }) throws -> Summary {
        try SiteWriter.checkOutputHoldsNoInput(options.output, inputs: options.stores.map { ("store", $0) }
            + options.specs.map { ("report spec", $0) } + (options.templates.map { [("templates", $0)] } ?? []))
        for line in SiteWriter.recoverLeftovers(options.output) { progress(line) }
        let outputExists = try SiteWriter.checkReplaceable(options.output)
        var clock = Date()
        var stages: [(stage: String, seconds: Double)] = []
        func lap(_ stage: String) {
            let now = Date()
            stages.append((stage, now.timeIntervalSince(clock)))
            clock = now
        }
        let phases = PhaseClock()
        // Runs are spread over `threads` workers; BLAS stays single-threaded inside each (no oversubscription).
        BLAS.setThreads(1)
        let templates = try TemplateSet(directory: options.templates)
        let specs = try options.specs.map { try ReportSpec.load(path: $0) }
        let located = try StoreLoader.runs(paths: options.stores, writeCache: options.metricsCache == .write)
        var slugger = Slugger()
        let slugs = located.map { slugger.unique($0.run.name) }
        let frame = SiteFrame(specs: specs, storePaths: options.stores)
        var context = ContentHasher()
        for part in [VAEScopeVersion.current, frame.storeSummary, templates.fingerprint, options.split, options.draft ? "draft" : "",
                     options.includePaths ? "paths" : "", options.compare.joined(separator: ","),
                     options.miSubsample.map { "mi-subsample \($0)" } ?? ""]
            + options.configDefaults.keys.sorted().map({ "\($0)=\(options.configDefaults[$0]?.description ?? "")" })
            + frame.nav.flatMap({ [$0.title, $0.href] }) { context.combine(part) }
        let pageContext = context.hex
        let output = URL(fileURLWithPath: options.output).standardizedFileURL
        let previous = outputExists && options.useCache ? SiteWriter.readRunState(output) : [:]

        // Training-split scalars a report draws (a reused run reads only these of its training curves).
        var drawnTrainKeys = Set<String>()
        for spec in specs {
            for e in spec.exhibits {
                // Every scalar an exhibit names, whatever its split: the spec check looks for it in any split.
                if let s = e.scalar { drawnTrainKeys.formUnion(ScalarKeys.aliases(of: s.value)) }
                for c in e.claims { if let s = c.scalar { drawnTrainKeys.formUnion(ScalarKeys.aliases(of: s.value)) } }
            }
        }
        let trainKeys = drawnTrainKeys
        progress("loading \(located.count) runs")
        let loaded = try Parallel.map(Array(located.indices), threads: options.threads) { i -> (LoadedRun, RunState, Bool) in
            let l = located[i]
            // First the run without its training curves (except those a report draws): enough to decide reuse.
            var data = try phases.time("read stores") { try StoreLoader.loadHead(l, split: options.split, trainKeys: trainKeys) }
            let stamp = try phases.time("stamp runs") { try StoreLoader.stamp(l, head: data) }
            var key = ContentHasher()
            key.combine(stamp); key.combine(slugs[i]); key.combine(pageContext)
            let pageKey = key.hex
            if let old = previous[slugs[i]], old.pageKey == pageKey,
               FileManager.default.fileExists(atPath: output.appendingPathComponent("runs/\(slugs[i]).html").path),
               let set = phases.time("read cache", { StoreLoader.cachedMetrics(l, split: options.split, inputsHash: old.inputsHash) }) {
                try phases.time("read stores") { try StoreLoader.loadRest(l, into: &data, summary: true) }
                let run = LoadedRun(data: data, metrics: set, metricsCached: true, slug: slugs[i], pca: set.pca)
                return (run, old, true)
            }
            try phases.time("read stores") {
                data = try StoreLoader.loadHead(l, split: options.split)   // now with every training curve
                try StoreLoader.loadRest(l, into: &data)
            }
            let (metrics, wasCached) = try StoreLoader.metrics(of: data, l, useCache: options.useCache, clock: phases,
                                                               miSubsample: options.miSubsample)
            data.latents = nil
            let run = LoadedRun(data: data, metrics: metrics, metricsCached: wasCached, slug: slugs[i], pca: metrics.pca)
            return (run, RunState(slug: slugs[i], pageKey: pageKey, inputsHash: metrics.inputsHash), false)
        }
        let runs = (options.includePaths ? loaded.map(\.0) : loaded.map { Self.withoutPaths($0.0) }).map(Self.isolatingBidi)
        let reused = Set(loaded.filter(\.2).map(\.0.slug))
        let cached = runs.filter(\.metricsCached).count, computed = runs.count - cached
        let knownKeys = Set(options.configDefaults.keys.map { String($0.split(separator: ".").last ?? Substring($0)) })
        for spec in specs { try spec.validate(against: runs, knownKeys: knownKeys) }
        lap("load")
        var content = try phases.time("render pages") {
            try assemble(runs: runs, specs: specs, templates: templates, storePaths: options.stores, reuse: reused,
                         compare: options.compare, defaults: options.configDefaults, threads: options.threads)
        }
        content.files[SiteWriter.runStateName] = SiteWriter.encodeRunState(loaded.map(\.1))
        lap("render")
        progress("writing \(content.files.count) files and \(content.figures.count) figures")
        let written = try SiteWriter.write(content, to: options.output, draft: options.draft, threads: options.threads,
                                           clock: phases)
        lap("write")
        return Summary(runs: runs.count, reports: specs.count, metricsComputed: computed, metricsCached: cached,
                       figuresDrawn: written.drawn, figuresReused: written.reused, files: written.files, output: options.output,
                       runPagesRendered: runs.count - reused.count, runPagesReused: reused.count,
                       seconds: stages, cpu: phases.phases)
    }

    /// A run name holding bidirectional controls (U+202A–202E, U+2066–2069) is wrapped in FSI … PDI, so it is
    /// isolated wherever it appears — page titles and attributes, where <bdi> cannot go, included.
    static func isolatingBidi(_ run: LoadedRun) -> LoadedRun {
        guard run.data.name.unicodeScalars.contains(where: { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
        else { return run }
        var r = run
        r.data.name = "\u{2068}" + r.data.name + "\u{2069}"
        return r
    }

    /// The run with its store and corpus directory named by their last path component (no machine paths).
    static func withoutPaths(_ run: LoadedRun) -> LoadedRun {
        var r = run
        r.data.store = (r.data.store as NSString).lastPathComponent
        for (key, value) in r.data.config {
            if case .text(let s) = value, s.hasPrefix("/") || key.hasSuffix("Directory") || key.hasSuffix("Path") {
                r.data.config[key] = .text((s as NSString).lastPathComponent)
            }
        }
        return r
    }

    /// Every page, table file and figure of the site, from loaded runs only.
    /// `reuse`: slugs of runs whose page, tables and figures are taken from the previous site.
    static func assemble(runs: [LoadedRun], specs: [ReportSpec], templates: TemplateSet,
                         storePaths: [String], reuse: Set<String> = [], compare: [String] = [],
                         defaults: [String: ConfigValue] = [:], threads: Int = 1) throws -> SiteContent {
        var content = SiteContent()
        let frame = SiteFrame(specs: specs, storePaths: storePaths)
        let reportSlugs = frame.reportSlugs
        @Sendable func chrome(_ title: String, root: String) -> PageChrome {
            PageChrome(pageTitle: title, root: root, navReports: frame.nav, toolVersion: VAEScopeVersion.current,
                       storeSummary: frame.storeSummary)
        }
        content.files["style.css"] = Data(templates.stylesheet.utf8)

        // Index.
        let runsTable = IndexBuilder.runsTable(runs) { "runs/\($0.slug).html" }
        content.addTable(runsTable, directory: "")
        let seedGroups = IndexBuilder.seedGroupsTable(runs) { "runs/\($0.slug).html" }
        if let seedGroups { content.addTable(seedGroups, directory: "") }
        content.files["metrics.csv"] = Data(IndexBuilder.allMetricsCSV(runs).utf8)
        let index = IndexPage(
            chrome: chrome("Runs", root: ""), runCount: runs.count, split: runs.first?.data.split ?? "test",
            runsTable: TableView(runsTable, downloads: nil, sortable: true),
            seedGroupsTable: seedGroups.map { TableView($0, downloads: ".") }, hasSeedGroups: seedGroups != nil,
            foldRuns: runs.count > IndexPage.foldAbove,
            reports: zip(specs, reportSlugs).map { .init(title: $0.title, href: "reports/\($1).html", description: $0.description, hasDescription: !$0.description.isEmpty) },
            hasReports: !specs.isEmpty,
            downloads: [NavLink(title: "All runs (CSV)", href: "runs.csv"), NavLink(title: "All runs (LaTeX)", href: "runs.tex"),
                        NavLink(title: "Every metric of every run (CSV)", href: "metrics.csv")])
        content.files["index.html"] = Data(try templates.render("index", index).utf8)

        // The comparison page (runs chosen on the index, or by `report --compare`).
        let bySlug = Dictionary(runs.map { ($0.name, $0.slug) }, uniquingKeysWith: { a, _ in a })
        let chosen = compare.compactMap { name in bySlug[name] ?? runs.first { $0.data.id == name || $0.slug == name }?.slug }
        content.files["compare.html"] = Data(try templates.render("compare", ComparePage(
            chrome: chrome("Compare runs", root: ""), defaultSelection: chosen.joined(separator: ","), runCount: runs.count)).utf8)

        // Run pages, rendered in parallel (each page's files and figures are its own).
        let rendered = try Parallel.map(Array(runs.indices), threads: threads) { i -> SiteContent? in
            let r = runs[i]
            if reuse.contains(r.slug) { return nil }
            var part = SiteContent()
            let page = RunPageBuilder.build(r, chrome: chrome(r.name, root: "../"), defaults: defaults)
            part.files["runs/\(r.slug).html"] = Data(try templates.render("run", page.page).utf8)
            part.files["runs/\(r.slug)/data.js"] = Data(CompareData.script(r).utf8)
            part.files["runs/\(r.slug)/curves.csv"] = Data(CompareData.curvesCSV(r).utf8)
            for t in page.tables { part.addTable(t, directory: "runs/\(r.slug)") }
            for f in page.figures { part.figures.append((directory: "runs/\(r.slug)", figure: f)) }
            return part
        }
        for (r, part) in zip(runs, rendered) {
            guard let part else { content.reused.append("runs/\(r.slug)"); continue }
            content.files.merge(part.files) { a, _ in a }
            content.figures += part.figures
        }

        // Report pages.
        for (spec, slug) in zip(specs, reportSlugs) {
            let report = ReportBuilder.build(spec, runs: runs, chrome: chrome(spec.title, root: "../"), assets: slug) { "\($0.slug).html".withRunsPrefix }
            content.files["reports/\(slug).html"] = Data(try templates.render("report", report.page).utf8)
            for t in report.tables { content.addTable(t, directory: "reports/\(slug)") }
            for f in report.figures { content.figures.append((directory: "reports/\(slug)", figure: f)) }
        }
        return content
    }
}

/// What every page's chrome shows besides its title: report links and the stores, fixed before any run is read.
struct SiteFrame {
    var reportSlugs: [String]
    var nav: [NavLink]
    var storeSummary: String

    init(specs: [ReportSpec], storePaths: [String]) {
        var reportSlugger = Slugger()
        reportSlugs = specs.map { reportSlugger.unique(($0.file as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: "")) }
        nav = zip(specs, reportSlugs).map { NavLink(title: $0.title, href: "reports/\($1).html") }
        let storeNames = storePaths.map { ($0 as NSString).lastPathComponent }
        storeSummary = storePaths.count == 1 ? "store \(storeNames[0])" : "\(storePaths.count) stores (\(storeNames.joined(separator: ", ")))"
    }
}

/// One run page's line in `.vaescope-runs`: the key it was made from and its metrics' inputs hash.
struct RunState: Sendable, Equatable {
    var slug: String
    var pageKey: String
    var inputsHash: String
}

private extension String {
    /// From a report page (reports/x.html) to a run page (runs/y.html).
    var withRunsPrefix: String { "../runs/" + self }
}

/// The files of a site before they are written: page and table bytes by site-relative path, and figures.
struct SiteContent {
    var files: [String: Data] = [:]
    var figures: [(directory: String, figure: SiteFigure)] = []
    /// Pages taken from the previous site: "runs/slug" stands for runs/slug.html and everything under
    /// runs/slug/ (with their figure manifest lines).
    var reused: [String] = []

    mutating func addTable(_ t: SiteTable, directory: String) {
        guard !t.rows.isEmpty else { return }
        let base = directory.isEmpty ? t.id : "\(directory)/\(t.id)"
        files[base + ".csv"] = Data(t.csv().utf8)
        files[base + ".tex"] = Data(t.latex().utf8)
    }
}

/// Results of `Parallel.map`, written under a lock.
final class ParallelResults<T>: @unchecked Sendable {
    var results: [Result<T, Error>?]
    let lock = NSLock()
    var next = 0
    init(_ n: Int) { results = Array(repeating: nil, count: n) }
}

/// Order-preserving parallel map over a few threads; the first error (by index) is rethrown.
enum Parallel {
    static func map<T: Sendable>(_ items: [Int], threads: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        if threads <= 1 || items.count <= 1 { return try items.map(body) }
        let box = ParallelResults<T>(items.count)
        DispatchQueue.concurrentPerform(iterations: min(threads, items.count)) { _ in
            while true {
                box.lock.lock()
                let k = box.next
                box.next += 1
                box.lock.unlock()
                if k >= items.count { return }
                let r = Result { try body(items[k]) }
                box.lock.lock()
                box.results[k] = r
                box.lock.unlock()
            }
        }
        return try box.results.map { try ($0 ?? .failure(SiteError.output(path: "", message: "internal: missing result"))).get() }
    }
}
