import Foundation
import RunStore

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
        /// Read and write the store's metrics cache.
        public var useCache: Bool
        /// Draw figures at half size without anti-aliasing (fast; for tests).
        public var draft: Bool = false
        /// Runs loaded and figures drawn at once (the output does not depend on it).
        public var threads: Int = min(2, ProcessInfo.processInfo.activeProcessorCount)

        public init(stores: [String], specs: [String] = [], output: String, templates: String? = nil,
                    split: String = "test", useCache: Bool = true) {
            self.stores = stores
            self.specs = specs
            self.output = output
            self.templates = templates
            self.split = split
            self.useCache = useCache
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
        /// Wall-clock seconds of each stage: load (stores, metrics, PCA), render (pages), write (figures, files).
        public var seconds: [(stage: String, seconds: Double)] = []
        public var description: String {
            "\(runs) runs, \(reports) reports; metrics computed for \(metricsComputed) runs, cached for \(metricsCached); "
                + "figures drawn \(figuresDrawn), reused \(figuresReused); \(files) files in \(output); "
                + seconds.map { "\($0.stage) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ")
        }
    }

    /// Builds the site. `progress` receives one line per stage (for a terminal).
    @discardableResult
    public static func build(_ options: Options, progress: (String) -> Void = { _ in }) throws -> Summary {
        try SiteWriter.checkReplaceable(options.output)
        var clock = Date()
        var stages: [(stage: String, seconds: Double)] = []
        func lap(_ stage: String) {
            let now = Date()
            stages.append((stage, now.timeIntervalSince(clock)))
            clock = now
        }
        let templates = try TemplateSet(directory: options.templates)
        let specs = try options.specs.map { try ReportSpec.load(path: $0) }
        let stores = try StoreLoader.open(paths: options.stores)
        let located = try StoreLoader.runs(in: stores)
        var slugger = Slugger()
        let slugs = located.map { slugger.unique($0.run.name) }
        progress("loading \(located.count) runs")
        let runs = try Parallel.map(Array(located.indices), threads: options.threads) { i in
            try loadRun(located[i], split: options.split, useCache: options.useCache, slug: slugs[i])
        }
        let cached = runs.filter(\.metricsCached).count, computed = runs.count - cached
        for spec in specs { try spec.validate(against: runs) }
        lap("load")
        let content = try assemble(runs: runs, specs: specs, templates: templates, storePaths: options.stores)
        lap("render")
        progress("writing \(content.files.count) files and \(content.figures.count) figures")
        let written = try SiteWriter.write(content, to: options.output, draft: options.draft, threads: options.threads)
        lap("write")
        return Summary(runs: runs.count, reports: specs.count, metricsComputed: computed, metricsCached: cached,
                       figuresDrawn: written.drawn, figuresReused: written.reused, files: written.files, output: options.output,
                       seconds: stages)
    }

    /// Loads one run, its metrics (cache first) and the PCA of its features, then drops the large arrays.
    public static func loadRun(_ l: StoreLoader.Located, split: String, useCache: Bool, slug: String) throws -> LoadedRun {
        var data = try StoreLoader.load(l, split: split)
        let (metrics, wasCached) = try StoreLoader.metrics(of: data, l, useCache: useCache)
        var pca: PCAProjection?
        if let lat = data.latents, lat.featureSize > 0, lat.features.count == lat.count * lat.featureSize {
            pca = PCAProjection.compute(lat.features, count: lat.count, dimension: lat.featureSize)
        }
        data.latents = nil
        return LoadedRun(data: data, metrics: metrics, metricsCached: wasCached, slug: slug, pca: pca)
    }

    /// Every page, table file and figure of the site, from loaded runs only.
    static func assemble(runs: [LoadedRun], specs: [ReportSpec], templates: TemplateSet,
                         storePaths: [String]) throws -> SiteContent {
        var content = SiteContent()
        var reportSlugger = Slugger()
        let reportSlugs = specs.map { reportSlugger.unique(($0.file as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: "")) }
        let nav = zip(specs, reportSlugs).map { NavLink(title: $0.title, href: "reports/\($1).html") }
        let storeNames = storePaths.map { ($0 as NSString).lastPathComponent }
        let storeSummary = storePaths.count == 1 ? "store \(storeNames[0])" : "\(storePaths.count) stores (\(storeNames.joined(separator: ", ")))"
        func chrome(_ title: String, root: String) -> PageChrome {
            PageChrome(pageTitle: title, root: root, navReports: nav, toolVersion: VAEScopeVersion.current, storeSummary: storeSummary)
        }
        content.files["style.css"] = Data(templates.stylesheet.utf8)

        // Index.
        let runsTable = IndexBuilder.runsTable(runs) { "runs/\($0.slug).html" }
        content.addTable(runsTable, directory: "")
        content.files["metrics.csv"] = Data(IndexBuilder.allMetricsCSV(runs).utf8)
        let index = IndexPage(
            chrome: chrome("Runs", root: ""), runCount: runs.count, split: runs.first?.data.split ?? "test",
            runsTable: TableView(runsTable, downloads: nil, sortable: true),
            reports: zip(specs, reportSlugs).map { .init(title: $0.title, href: "reports/\($1).html", description: $0.description, hasDescription: !$0.description.isEmpty) },
            hasReports: !specs.isEmpty,
            downloads: [NavLink(title: "All runs (CSV)", href: "runs.csv"), NavLink(title: "All runs (LaTeX)", href: "runs.tex"),
                        NavLink(title: "Every metric of every run (CSV)", href: "metrics.csv")])
        content.files["index.html"] = Data(try templates.render("index", index).utf8)

        // Run pages.
        for r in runs {
            let page = RunPageBuilder.build(r, chrome: chrome(r.name, root: "../"))
            content.files["runs/\(r.slug).html"] = Data(try templates.render("run", page.page).utf8)
            for t in page.tables { content.addTable(t, directory: "runs/\(r.slug)") }
            for f in page.figures { content.figures.append((directory: "runs/\(r.slug)", figure: f)) }
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

private extension String {
    /// From a report page (reports/x.html) to a run page (runs/y.html).
    var withRunsPrefix: String { "../runs/" + self }
}

/// The files of a site before they are written: page and table bytes by site-relative path, and figures.
struct SiteContent {
    var files: [String: Data] = [:]
    var figures: [(directory: String, figure: SiteFigure)] = []

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
