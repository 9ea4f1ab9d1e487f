import Foundation
import RunStore
@testable import Site

/// A store of tiny synthetic runs written through RunStore, including a run whose name and sentences are
/// hostile markup, and a site built from it.
struct Fixture {
    /// The run store refuses '/' in names, so the hostile run name has none; `<script>…</script>` is in its
    /// sentences and samples, and in a run name given to the page builders directly (SiteBuildTests).
    static let hostile = "<img src=x onerror=alert(1)> & \"q\""
    let directory: URL
    let store: String
    let specs: [String]

    init(runs extra: [SyntheticRun] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vaescope-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = directory.appendingPathComponent("runs.sqlite").path
        let s = try RunStore(path: store)
        var runs: [SyntheticRun] = []
        var a = SyntheticRun(name: "ptb-last-elbo", seed: 1)
        a.activeDimensions = 0
        runs.append(a)
        var b = SyntheticRun(name: "ptb-max-elbo", seed: 2)
        b.pooling = "max"
        b.activeDimensions = 3
        b.probe = true
        runs.append(b)
        var c = SyntheticRun(name: Self.hostile, seed: 3)
        c.pooling = "mean"
        c.objective = "klTarget"
        c.klTarget = 3
        c.hostileText = "<b>bold</b> & \"quotes\" <script>alert(1)</script>"
        runs.append(c)
        var d = SyntheticRun(name: "kl-target-c15", seed: 4)
        d.objective = "klTarget"
        d.klTarget = 15
        d.activeDimensions = 4
        runs.append(d)
        for r in runs + extra { try SyntheticRuns.write(r, to: s) }
        // A run that saved nothing but its config (missing data must not crash a page).
        try s.createRun(Run(name: "empty run", status: .failed, createdAt: Date(timeIntervalSince1970: 1_790_000_000),
                            config: "{\"pooling\": \"last\"}"))
        try s.close()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        specs = ["prokhorov2019.yaml", "long2019.yaml"].map { root.appendingPathComponent("Reports/\($0)").path }
    }

    func build(to name: String = "site", useCache: Bool = true) throws -> (URL, SiteBuilder.Summary) {
        let out = directory.appendingPathComponent(name)
        var options = SiteBuilder.Options(stores: [store], specs: specs, output: out.path, useCache: useCache)
        options.draft = true
        let summary = try SiteBuilder.build(options)
        return (out, summary)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// One fixture and its site, built once and shared by the tests that only read it.
    nonisolated(unsafe) static var sharedSite: (fixture: Fixture, site: URL)?
    static func shared() throws -> (fixture: Fixture, site: URL) {
        if let s = sharedSite { return s }
        let f = try Fixture()
        let (site, _) = try f.build()
        sharedSite = (f, site)
        return (f, site)
    }

    /// Every file under `root`, relative paths, sorted.
    static func files(_ root: URL) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(p).path, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
        }
        return out.sorted()
    }
}
