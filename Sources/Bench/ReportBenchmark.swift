import Foundation
import RunStore
import Site

/// `vaescope bench report`: the report site for many synthetic runs — the first build, and a rebuild after
/// one more run is added (which must recompute only that run's metrics and redraw only what changed).
public enum ReportBenchmark {
    public struct Options: Sendable {
        public var runs = 50
        /// Sentences (latents, reconstructions) per run.
        public var sentences = 10_000
        public var latentSize = 32
        public var featureSize = 32
        /// Scalar points per run (five training keys share them).
        public var scalarPoints = 20_000
        /// Synthetic runs carry the full-split MI as `vaescope eval` stores it (`eval.mi.mixture`), so the site
        /// reads it; otherwise (the default, the worst case: imported runs) the site computes it, O(N²d) per run.
        public var storedMI = false
        /// Keep the store and the site here (a fresh temporary directory otherwise, removed at the end).
        public var directory: String?
        public init() {}
    }

    public struct Result: Sendable, CustomStringConvertible {
        public var writeSeconds: Double
        public var firstBuild: Double
        public var rebuild: Double
        public var firstCPU: Double
        public var rebuildCPU: Double
        public var first: SiteBuilder.Summary
        public var second: SiteBuilder.Summary
        public var storedMI = false
        public var runs = 0
        /// The largest HTML page of the site (site-relative path, bytes) and the site's total size.
        public var largestPage: (path: String, bytes: Int) = ("", 0)
        public var siteBytes = 0
        /// The bars: 60 s for the first build up to 100 runs, 120 s above (issue 17: 1,000 runs); 10 s to rebuild.
        var firstBar: Int { runs > 100 ? 120 : 60 }
        public var description: String {
            """
            report site, synthetic runs (store written in \(String(format: "%.1f", writeSeconds)) s, not counted); \
            full-split MI \(storedMI ? "stored by the evaluation (eval.mi.mixture), read" : "not stored, computed by the site")
              first build  \(String(format: "%6.2f", firstBuild)) s wall, \(String(format: "%6.2f", firstCPU)) s CPU   (bar < \(firstBar) s)
                \(first)
              rebuild +1   \(String(format: "%6.2f", rebuild)) s wall, \(String(format: "%6.2f", rebuildCPU)) s CPU   (bar < 10 s)
                \(second)
              largest page \(largestPage.path) \(String(format: "%.2f", Double(largestPage.bytes) / 1e6)) MB; whole site \(String(format: "%.1f", Double(siteBytes) / 1e6)) MB
            """
        }
    }

    static func spec(_ i: Int, _ o: Options) -> SyntheticRun {
        let poolings = ["last", "mean", "max", "absMax"]
        var r = SyntheticRun(name: String(format: "bench-%03d-%@", i, poolings[i % 4]), seed: UInt64(1000 + i))
        r.pooling = poolings[i % 4]
        if i % 5 == 4 { r.objective = "klTarget"; r.klTarget = Double([3, 15, 50][i % 3]) }
        r.activeDimensions = i % 4 == 0 ? 0 : min(o.latentSize, 4 + i % 16)
        r.sentences = o.sentences
        r.latentSize = o.latentSize
        r.samples = 1
        r.featureSize = o.featureSize
        r.steps = max(1, o.scalarPoints / 5)
        r.epochs = 10
        r.priorSamples = 100
        r.interpolationPairs = 3
        r.reconstructionSamples = false
        r.storedFullSplitMI = o.storedMI
        return r
    }

    public static func run(_ o: Options, log: (String) -> Void = { _ in }) throws -> Result {
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: o.directory ?? fm.temporaryDirectory.appendingPathComponent("vaescope-bench-report-\(getpid())").path)
        try? fm.removeItem(at: dir)
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if o.directory == nil { try? fm.removeItem(at: dir) } }
        let storePath = dir.appendingPathComponent("bench.sqlite").path
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let specs = ["prokhorov2019.yaml", "long2019.yaml"].map { root.appendingPathComponent("Reports/\($0)").path }
            .filter { fm.fileExists(atPath: $0) }

        var t = Date()
        let store = try RunStore(path: storePath)
        for i in 0..<o.runs {
            log("writing synthetic run \(i + 1)/\(o.runs)")
            try SyntheticRuns.write(spec(i, o), to: store)
        }
        let writeSeconds = Date().timeIntervalSince(t)
        let options = SiteBuilder.Options(stores: [storePath], specs: specs, output: dir.appendingPathComponent("site").path)
        log("first build")
        t = Date()
        var cpu = cpuSeconds()
        let first = try SiteBuilder.build(options)
        let firstBuild = Date().timeIntervalSince(t)
        let firstCPU = cpuSeconds() - cpu
        try SyntheticRuns.write(spec(o.runs, o), to: store)
        try store.close()
        log("rebuild after adding one run")
        t = Date()
        cpu = cpuSeconds()
        let second = try SiteBuilder.build(options)
        let rebuild = Date().timeIntervalSince(t)
        var result = Result(writeSeconds: writeSeconds, firstBuild: firstBuild, rebuild: rebuild, firstCPU: firstCPU,
                            rebuildCPU: cpuSeconds() - cpu, first: first, second: second, storedMI: o.storedMI)
        result.runs = o.runs
        let site = dir.appendingPathComponent("site")
        for case let path as String in fm.enumerator(atPath: site.path) ?? FileManager.DirectoryEnumerator() {
            let size = (try? fm.attributesOfItem(atPath: site.appendingPathComponent(path).path)[.size] as? Int) ?? 0
            result.siteBytes += size
            if path.hasSuffix(".html"), size > result.largestPage.bytes { result.largestPage = (path, size) }
        }
        return result
    }

    /// User + system CPU seconds of this process (all threads): on a shared machine the wall clock
    /// includes time other processes held the cores.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
