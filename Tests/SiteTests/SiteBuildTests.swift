import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RunStore
import XCTest
@testable import Site

final class SiteBuildTests: XCTestCase {
    func html(_ site: URL) -> [String] { Fixture.files(site).filter { $0.hasSuffix(".html") } }

    func testEveryLinkResolvesAndEveryPageParses() throws {
        let (_, site) = try Fixture.shared()
        let pages = html(site)
        XCTAssertTrue(pages.contains("index.html"))
        XCTAssertEqual(pages.filter { $0.hasPrefix("runs/") }.count, 5)
        XCTAssertEqual(pages.filter { $0.hasPrefix("reports/") }.count, 2)
        var checked = 0
        for page in pages {
            let url = site.appendingPathComponent(page)
            let data = try Data(contentsOf: url)
            let doc: XMLDocument
            do { doc = try XMLDocument(data: data, options: []) } catch {
                XCTFail("\(page) does not parse as XHTML: \(error)"); continue
            }
            for attr in ["href", "src"] {
                for node in try doc.nodes(forXPath: "//@\(attr)") {
                    guard let link = node.stringValue else { continue }
                    XCTAssertFalse(link.hasPrefix("http:") || link.hasPrefix("https:") || link.hasPrefix("//"), "\(page): external link \(link)")
                    let path = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
                    if path.isEmpty { continue }
                    let target = url.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                    XCTAssertTrue(FileManager.default.fileExists(atPath: target.path), "\(page): broken link \(link)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testHostileTextIsEscapedEverywhere() throws {
        let (_, site) = try Fixture.shared()
        var sawEscaped = false
        for page in html(site) {
            let text = try String(contentsOf: site.appendingPathComponent(page), encoding: .utf8)
            XCTAssertFalse(text.contains("alert(1)</script>"), "\(page) holds raw hostile markup")
            XCTAssertFalse(text.contains("<b>bold</b>"), "\(page) holds raw hostile markup")
            XCTAssertFalse(text.contains("<img src=x"), "\(page) holds the raw hostile run name")
            if text.contains("&lt;script&gt;alert(1)&lt;/script&gt;") { sawEscaped = true }
            let scripts = text.components(separatedBy: "<script").count - 1
            XCTAssertEqual(scripts, page == "index.html" || page == "compare.html" ? 1 : 0, page)
        }
        XCTAssertTrue(sawEscaped)
        // File names come from slugs, never from raw names.
        for file in Fixture.files(site) {
            XCTAssertTrue(file.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-./_".contains($0)) }, file)
        }
        // SVG stays well-formed XML with hostile labels in legends.
        for svg in Fixture.files(site).filter({ $0.hasSuffix(".svg") }) {
            XCTAssertNoThrow(try XMLDocument(data: Data(contentsOf: site.appendingPathComponent(svg)), options: []), svg)
        }
    }

    func testHostileRunNameFromAnotherWriterIsEscaped() throws {
        // A store written by another tool may hold any name: build pages from a run named <script>…</script>.
        let name = "<script>alert(1)</script>"
        let run = LoadedRun(data: RunData(id: "x", name: name, status: "completed", config: ["pooling": .text(name)]),
                            metrics: RunMetricSet(split: "test", values: [], dimensions: [], inputsHash: ""),
                            metricsCached: false, slug: Slug.make(name), pca: nil)
        let content = try SiteBuilder.assemble(runs: [run, run], specs: [], templates: TemplateSet(), storePaths: ["a.sqlite"])
        for (path, data) in content.files where path.hasSuffix(".html") {
            let text = String(decoding: data, as: UTF8.self)
            XCTAssertFalse(text.contains(name), path)
            XCTAssertNoThrow(try XMLDocument(data: data, options: []), path)
        }
        XCTAssertTrue(String(decoding: content.files["runs/script-alert-1-script.html"] ?? Data(), as: UTF8.self)
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    func testCSVAndLaTeXHoldTheNumbersOfTheHTML() throws {
        let (_, site) = try Fixture.shared()
        var compared = 0, tablesChecked = 0
        for page in html(site) where page.hasPrefix("runs/") || page.hasPrefix("reports/") {
            let doc = try XMLDocument(data: Data(contentsOf: site.appendingPathComponent(page)), options: [])
            for table in try doc.nodes(forXPath: "//figure[@class='table']") {
                guard let element = table as? XMLElement, let id = element.attribute(forName: "id")?.stringValue,
                      let csvLink = try element.nodes(forXPath: ".//a[text()='CSV']/@href").first?.stringValue else { continue }
                let base = site.appendingPathComponent(page).deletingLastPathComponent()
                let csv = try String(contentsOf: base.appendingPathComponent(csvLink), encoding: .utf8)
                let tex = try String(contentsOf: base.appendingPathComponent(csvLink.replacingOccurrences(of: ".csv", with: ".tex")), encoding: .utf8)
                let htmlRows = try element.nodes(forXPath: ".//tbody/tr").map { tr in
                    try tr.nodes(forXPath: "./td").map { ($0.stringValue ?? "", ($0 as? XMLElement)?.attribute(forName: "class")?.stringValue == "num") }
                }
                let csvRows = csv.split(separator: "\n").dropFirst().map { CSVTests.parseLine(String($0)) }
                let texRows = tex.split(separator: "\n").filter { $0.hasSuffix("\\\\") }.dropFirst()
                    .map { $0.dropLast(2).components(separatedBy: " & ").map { $0.trimmingCharacters(in: .whitespaces) } }
                XCTAssertEqual(htmlRows.count, csvRows.count, "\(page) \(id): row counts (CSV)")
                XCTAssertEqual(htmlRows.count, texRows.count, "\(page) \(id): row counts (LaTeX)")
                for (r, row) in htmlRows.enumerated() where r < csvRows.count && r < texRows.count {
                    XCTAssertEqual(row.count, csvRows[r].count, "\(page) \(id) row \(r)")
                    for (c, cell) in row.enumerated() where c < csvRows[r].count && c < texRows[r].count {
                        guard cell.1 else { continue }
                        // CSV holds the full-precision number, LaTeX a fixed number of decimals per column, the HTML
                        // its own rounding: all three agree within the coarser rounding.
                        let tex = texRows[r][c].replacingOccurrences(of: "\\textbf{", with: "").replacingOccurrences(of: "}", with: "")
                            .replacingOccurrences(of: "$-$", with: "-")
                        if cell.0 == "—" {
                            XCTAssertEqual(csvRows[r][c], "", "\(page) \(id) row \(r) column \(c): missing in CSV")
                            XCTAssertEqual(tex, "---", "\(page) \(id) row \(r) column \(c): missing in LaTeX")
                            continue
                        }
                        func halfUnit(_ t: String) -> Double {
                            guard let dot = t.firstIndex(of: ".") else { return 0.5 }
                            return 0.5 * pow(10, -Double(t.distance(from: dot, to: t.endIndex) - 1))
                        }
                        guard let h = Double(cell.0), let v = Double(csvRows[r][c]), let l = Double(tex) else {
                            XCTFail("\(page) \(id) row \(r) column \(c): not numbers: '\(cell.0)' '\(csvRows[r][c])' '\(tex)'")
                            continue
                        }
                        XCTAssertEqual(h, v, accuracy: halfUnit(cell.0) * 1.0001, "\(page) \(id) row \(r) column \(c): HTML vs CSV")
                        XCTAssertEqual(l, v, accuracy: halfUnit(tex) * 1.0001, "\(page) \(id) row \(r) column \(c): LaTeX vs CSV")
                        compared += 1
                    }
                }
                tablesChecked += 1
            }
        }
        XCTAssertGreaterThan(tablesChecked, 20)
        XCTAssertGreaterThan(compared, 200)
    }

    func testSecondBuildIsByteIdenticalAndReusesCacheAndFigures() throws {
        let f = try Fixture()
        defer { f.remove() }
        let (first, s1) = try f.build(to: "a")
        XCTAssertEqual(s1.metricsComputed, 5)
        let (second, s2) = try f.build(to: "b")
        XCTAssertEqual(s2.metricsCached, 5, "metrics come from the store's cache")
        let files = Fixture.files(first)
        XCTAssertEqual(files, Fixture.files(second))
        for file in files {
            XCTAssertEqual(try Data(contentsOf: first.appendingPathComponent(file)),
                           try Data(contentsOf: second.appendingPathComponent(file)), "\(file) differs between builds")
        }
        // Rebuilding into the same directory redraws nothing.
        let (_, s3) = try f.build(to: "a")
        XCTAssertEqual(s3.figuresDrawn, 0)
        XCTAssertEqual(s3.figuresReused, s1.figuresDrawn)
    }

    func testRebuildAfterOneMoreRunComputesOnlyThatRun() throws {
        let f = try Fixture()
        defer { f.remove() }
        let (_, s1) = try f.build()
        XCTAssertEqual(s1.runPagesRendered, 5)
        let store = try RunStore(path: f.store)
        var extra = SyntheticRun(name: "ptb-absmax-elbo", seed: 9)
        extra.pooling = "absMax"
        try SyntheticRuns.write(extra, to: store)
        try store.close()
        let (site, s2) = try f.build()
        XCTAssertEqual(s2.metricsComputed, 1)
        XCTAssertEqual(s2.metricsCached, 5)
        XCTAssertEqual(s2.runPagesRendered, 1, "only the new run's page is rendered")
        XCTAssertEqual(s2.runPagesReused, 5)
        XCTAssertGreaterThan(s2.figuresReused, 0)
        XCTAssertLessThan(s2.figuresDrawn, s1.figuresDrawn)
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.appendingPathComponent("runs/ptb-absmax-elbo.html").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.directory.appendingPathComponent(".site.tmp-\(ProcessInfo.processInfo.processIdentifier)").path))
        // The incremental site is the site a build from scratch writes, byte for byte.
        let (fresh, s3) = try f.build(to: "fresh")
        XCTAssertEqual(s3.runPagesRendered, 6)
        XCTAssertEqual(s3.metricsComputed, 0)
        assertSameFiles(site, fresh)
    }

    func testRebuildNoticesAChangedRun() throws {
        let f = try Fixture()
        defer { f.remove() }
        _ = try f.build()
        let store = try RunStore(path: f.store)
        let run = try store.run(named: "kl-target-c15")
        // `vaescope eval` again: this run's eval.* scalars (its last rows) are replaced by as many with other
        // values. SQLite reuses their rowids, so the store's stamp cannot tell; the scalars' content does.
        let eval = try store.scalars(of: run.id).filter { $0.key.hasPrefix("eval.") }
        XCTAssertFalse(eval.isEmpty)
        let before = try store.changeStamp(of: run.id, split: "test")
        XCTAssertEqual(try store.deleteScalars(of: run.id, split: "test", keyPrefix: "eval."), eval.count)
        try store.appendScalars(eval.map { p in
            var q = p
            q.value += 1
            return q
        }, to: run.id)
        XCTAssertEqual(try store.changeStamp(of: run.id, split: "test"), before, "rowids reused")
        try store.setStatus(.interrupted, of: try store.run(named: "ptb-max-elbo").id)
        try store.close()
        let (site, s2) = try f.build()
        XCTAssertEqual(s2.runPagesRendered, 2)
        XCTAssertEqual(s2.runPagesReused, 3)
        XCTAssertEqual(s2.metricsComputed, 1, "the eval.* scalars are inputs of the metrics")
        let page = try String(contentsOf: site.appendingPathComponent("runs/ptb-max-elbo.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("interrupted"))
        let (fresh, _) = try f.build(to: "fresh")
        assertSameFiles(site, fresh)
    }

    func assertSameFiles(_ a: URL, _ b: URL, file: StaticString = #filePath, line: UInt = #line) {
        let files = Fixture.files(a)
        XCTAssertEqual(files, Fixture.files(b), file: file, line: line)
        for name in files {
            XCTAssertEqual(try Data(contentsOf: a.appendingPathComponent(name)), try Data(contentsOf: b.appendingPathComponent(name)),
                           "\(name) differs", file: file, line: line)
        }
    }

    func testPagesSayWhatIsMissing() throws {
        let (_, site) = try Fixture.shared()
        let empty = try String(contentsOf: site.appendingPathComponent("runs/empty-run.html"), encoding: .utf8)
        XCTAssertTrue(empty.contains("No latents were saved"))
        XCTAssertTrue(empty.contains("No reconstructions were saved"))
        XCTAssertTrue(empty.contains("Collapse diagnosis: unknown"))
        let collapsed = try String(contentsOf: site.appendingPathComponent("runs/ptb-last-elbo.html"), encoding: .utf8)
        XCTAssertTrue(collapsed.contains("Collapse diagnosis: collapsed"))
        let healthy = try String(contentsOf: site.appendingPathComponent("runs/kl-target-c15.html"), encoding: .utf8)
        XCTAssertTrue(healthy.contains("Collapse diagnosis: healthy"))
        let prokhorov = try String(contentsOf: site.appendingPathComponent("reports/prokhorov2019.html"), encoding: .utf8)
        XCTAssertTrue(prokhorov.contains("No syntactic probe results"), "the probe table says it has no data")
        XCTAssertTrue(prokhorov.contains("forward cross-entropy not computed"))
        let long = try String(contentsOf: site.appendingPathComponent("reports/long2019.html"), encoding: .utf8)
        XCTAssertTrue(long.contains("pooling=max"))
        XCTAssertTrue(long.contains("fig2-pca"))
    }

    func testOutputThatIsNotASiteIsNotReplaced() throws {
        let f = try Fixture()
        defer { f.remove() }
        let out = f.directory.appendingPathComponent("precious")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: out.appendingPathComponent("thesis.tex"))
        XCTAssertThrowsError(try SiteBuilder.build(.init(stores: [f.store], output: out.path))) { error in
            XCTAssertTrue(error.localizedDescription.contains("not a VAEScope site"), error.localizedDescription)
        }
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("thesis.tex"), encoding: .utf8), "keep")
    }
}
