import Foundation

/// Writes a site into a temporary directory next to the output and renames it into place, so an
/// interrupted build leaves the previous site (or nothing), never half a site.
///
/// Figures are drawn only when their content hash is not in the previous site's manifest
/// (`.vaescope-site`, lines `hash path`); otherwise the previous PNG and SVG are copied. The manifest is
/// sorted, so two builds from the same stores give the same bytes.
enum SiteWriter {
    /// The files every drawn figure has: PNG (2×, for pages), SVG, PDF (vector, for LaTeX).
    static let figureExtensions = [".png", ".svg", ".pdf"]

    static let manifestName = ".vaescope-site"
    /// Per run page: `slug pageKey inputsHash` (see `SiteBuilder.build`), sorted by slug.
    static let runStateName = ".vaescope-runs"

    struct Result { var files: Int; var drawn: Int; var reused: Int }

    static func write(_ content: SiteContent, to output: String, draft: Bool = false, threads: Int = 1,
                      clock: PhaseClock? = nil) throws -> Result {
        let fm = FileManager.default
        let out = URL(fileURLWithPath: output).standardizedFileURL
        let parent = out.deletingLastPathComponent()
        let name = out.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        let temp = parent.appendingPathComponent(".\(name).tmp-\(pid)")
        let old = parent.appendingPathComponent(".\(name).old-\(pid)")
        func fail(_ path: URL, _ error: Error) -> SiteError { .output(path: path.path, message: error.localizedDescription) }

        let exists = try checkReplaceable(output)
        do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch { throw fail(parent, error) }
        try? fm.removeItem(at: temp)
        do { try fm.createDirectory(at: temp, withIntermediateDirectories: true) } catch { throw fail(temp, error) }

        do {
            let previous = exists ? readManifest(out.appendingPathComponent(manifestName)) : [:]
            var manifest: [String: String] = [:]
            var drawn = 0, reused = 0, files = 0
            func put(_ data: Data, _ relative: String) throws {
                let url = temp.appendingPathComponent(relative)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                do { try data.write(to: url) } catch { throw fail(url, error) }
                files += 1
            }
            try PhaseClock.time(clock, "write files") {
                for path in content.files.keys.sorted() {
                    if let data = content.files[path] { try put(data, path) }
                }
            }
            // Run pages whose run did not change: link the page and its directory, keep their figure lines.
            func link(_ relative: String) throws {
                let old = out.appendingPathComponent(relative), url = temp.appendingPathComponent(relative)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                do { try fm.linkItem(at: old, to: url) } catch {
                    guard let data = fm.contents(atPath: old.path) else { throw fail(old, error) }
                    do { try data.write(to: url) } catch { throw fail(url, error) }
                }
                files += 1
            }
            try PhaseClock.time(clock, "link reused pages") {
                for page in content.reused {
                    try link(page + ".html")
                    let dir = out.appendingPathComponent(page)
                    let names = ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
                    for name in names { try link(page + "/" + name) }
                    for (base, hash) in previous where base.hasPrefix(page + "/") {
                        manifest[base] = hash
                        reused += 1
                    }
                }
            }
            // Reuse what the previous site drew from the same data; draw the rest (in parallel).
            var toDraw: [(base: String, figure: SiteFigure)] = []
            for (directory, figure) in content.figures where figure.plot != nil {
                let base = directory.isEmpty ? figure.id : "\(directory)/\(figure.id)"
                let hash = figure.contentHash + (draft ? "-draft" : "")
                manifest[base] = hash
                let olds = SiteWriter.figureExtensions.map { (out.appendingPathComponent(base + $0), $0) }
                if previous[base] == hash, olds.allSatisfy({ fm.fileExists(atPath: $0.0.path) }) {
                    // Hard links: the old site is removed after the swap, the files live on (copy if linking fails).
                    for (old, ext) in olds {
                        let url = temp.appendingPathComponent(base + ext)
                        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                        do { try fm.linkItem(at: old, to: url) } catch {
                            guard let data = fm.contents(atPath: old.path) else { throw fail(old, error) }
                            try data.write(to: url)
                        }
                        files += 1
                    }
                    reused += 1
                } else {
                    toDraw.append((base, figure))
                }
            }
            let jobs = toDraw
            let drawings = try Parallel.map(Array(jobs.indices), threads: threads) { i in
                try PhaseClock.time(clock, "draw figures") {
                    try FigureRenderer.render(jobs[i].figure, draft: draft).map { ($0.png, Data($0.svg.utf8), $0.pdf) }
                }
            }
            try PhaseClock.time(clock, "write files") {
                for (job, drawing) in zip(jobs, drawings) {
                    guard let (png, svg, pdf) = drawing else { continue }
                    try put(png, job.base + ".png")
                    try put(svg, job.base + ".svg")
                    try put(pdf, job.base + ".pdf")
                    drawn += 1
                }
            }
            let lines = manifest.keys.sorted().map { "\(manifest[$0] ?? "") \($0)" }
            try put(Data((lines.joined(separator: "\n") + "\n").utf8), manifestName)

            try? fm.removeItem(at: old)
            if exists { do { try fm.moveItem(at: out, to: old) } catch { throw fail(out, error) } }
            do { try fm.moveItem(at: temp, to: out) } catch {
                if exists { try? fm.moveItem(at: old, to: out) }
                throw fail(out, error)
            }
            try? fm.removeItem(at: old)
            return Result(files: files, drawn: drawn, reused: reused)
        } catch {
            try? fm.removeItem(at: temp)
            throw error
        }
    }

    /// Refuses an output directory that is, or contains, one of the build's inputs (a store, a spec, the
    /// templates): replacing the site would delete it. Paths are compared after resolving symbolic links.
    static func checkOutputHoldsNoInput(_ output: String, inputs: [(what: String, path: String)]) throws {
        func canonical(_ p: String) -> String {
            URL(fileURLWithPath: p).standardizedFileURL.resolvingSymlinksInPath().path
        }
        let out = canonical(output)
        for input in inputs {
            let p = canonical(input.path)
            if p == out || p.hasPrefix(out.hasSuffix("/") ? out : out + "/") {
                throw SiteError.output(path: out, message: "holds the \(input.what) \(input.path), which replacing the site "
                    + "would delete; write the site to another --out")
            }
        }
    }

    /// Clears what killed builds left beside `output`: when the site itself is missing but a previous build's
    /// `.NAME.old-PID` survives (a kill between the two renames), it is put back; `.NAME.tmp-PID` and
    /// `.NAME.old-PID` folders of processes that are gone are removed. Returns what it did, for the progress log.
    @discardableResult
    static func recoverLeftovers(_ output: String) -> [String] {
        let fm = FileManager.default
        let out = URL(fileURLWithPath: output).standardizedFileURL
        let parent = out.deletingLastPathComponent(), name = out.lastPathComponent
        guard let entries = try? fm.contentsOfDirectory(atPath: parent.path) else { return [] }
        var done: [String] = []
        func owner(_ entry: String, kind: String) -> Int32? {
            let prefix = ".\(name).\(kind)-"
            guard entry.hasPrefix(prefix) else { return nil }
            return Int32(entry.dropFirst(prefix.count))
        }
        func alive(_ pid: Int32) -> Bool { pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH }
        for entry in entries.sorted() {
            if let pid = owner(entry, kind: "old"), !alive(pid) {
                let url = parent.appendingPathComponent(entry)
                if !fm.fileExists(atPath: out.path), (try? fm.moveItem(at: url, to: out)) != nil {
                    done.append("restored \(out.lastPathComponent) from \(entry), left by a killed build")
                } else if (try? fm.removeItem(at: url)) != nil {
                    done.append("removed \(entry), left by a killed build")
                }
            }
        }
        for entry in entries.sorted() {
            if let pid = owner(entry, kind: "tmp"), !alive(pid),
               (try? fm.removeItem(at: parent.appendingPathComponent(entry))) != nil {
                done.append("removed \(entry), left by a killed build")
            }
        }
        return done
    }

    /// Whether `output` exists; throws when it exists but is a file or a non-empty directory that is not a
    /// site this tool wrote (it is never replaced).
    @discardableResult
    static func checkReplaceable(_ output: String) throws -> Bool {
        let out = URL(fileURLWithPath: output).standardizedFileURL
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out.path, isDirectory: &isDir) else { return false }
        guard isDir.boolValue else { throw SiteError.output(path: out.path, message: "exists and is not a directory") }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        if !entries.isEmpty && !entries.contains(manifestName) {
            throw SiteError.output(path: out.path, message: "exists and is not a VAEScope site; refusing to replace it (choose another --out or remove it)")
        }
        return true
    }

    static func encodeRunState(_ states: [RunState]) -> Data {
        let lines = states.sorted { $0.slug < $1.slug }.map { "\($0.slug) \($0.pageKey) \($0.inputsHash)\n" }
        return Data(lines.joined().utf8)
    }

    /// The previous build's run states by slug (empty when absent or unreadable).
    static func readRunState(_ site: URL) -> [String: RunState] {
        guard let data = FileManager.default.contents(atPath: site.appendingPathComponent(runStateName).path) else { return [:] }
        var out: [String: RunState] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3 else { continue }
            out[String(parts[0])] = RunState(slug: String(parts[0]), pageKey: String(parts[1]), inputsHash: String(parts[2]))
        }
        return out
    }

    static func readManifest(_ url: URL) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [:] }
        var out: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            out[String(line[line.index(after: space)...])] = String(line[..<space])
        }
        return out
    }
}
