import Foundation
import RunStore
import XCTest
@testable import Site

/// Issue 15: cells that say what they are, CSV that spreadsheets read as numbers, LaTeX that compiles, and no
/// path of the building machine in a published site.
final class PublishTests: XCTestCase {
    func testNoAbsolutePathOfTheBuildDirectoryInThePublishedSite() throws {
        let f = try Fixture()
        defer { f.remove() }
        let (site, _) = try f.build()
        let needle = f.directory.path
        for file in Fixture.files(site) {
            let data = try Data(contentsOf: site.appendingPathComponent(file))
            guard let text = String(data: data, encoding: .utf8) else { continue }   // PNGs
            XCTAssertFalse(text.contains(needle), "\(file) holds the build directory's path \(needle)")
        }
        // With --private-paths the store's path is shown (for a site one keeps).
        var options = SiteBuilder.Options(stores: [f.store], specs: [], output: f.directory.appendingPathComponent("private").path)
        options.draft = true
        options.includePaths = true
        _ = try SiteBuilder.build(options)
        let pages = Fixture.files(f.directory.appendingPathComponent("private")).filter { $0.hasSuffix(".html") }
        XCTAssertTrue(try pages.contains { try String(contentsOf: f.directory.appendingPathComponent("private/\($0)"), encoding: .utf8).contains(needle) })
    }

    /// Every generated .tex compiles with pdflatex (booktabs; Unicode and math escaped), in a document that also
    /// includes every figure's vector PDF with \includegraphics. Skips where pdflatex is missing (the test
    /// command installs it: scripts/setup.sh --tests).
    func testEveryGeneratedTexCompilesWithPdflatex() throws {
        guard let pdflatex = ["/usr/bin/pdflatex", "/usr/local/bin/pdflatex"].first(where: FileManager.default.isExecutableFile) else {
            throw XCTSkip("pdflatex not installed (scripts/setup.sh --tests installs texlive-latex-base and -recommended)")
        }
        let (_, site) = try Fixture.shared()
        let tex = Fixture.files(site).filter { $0.hasSuffix(".tex") }
        XCTAssertGreaterThan(tex.count, 5)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("vaescope-tex-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        // One document including every table, each on its own page (landscape fits the widest).
        var body = ""
        for (i, file) in tex.enumerated() {
            let name = "t\(i).tex"
            try FileManager.default.copyItem(at: site.appendingPathComponent(file), to: work.appendingPathComponent(name))
            body += "\\clearpage\\noindent\\resizebox{\\linewidth}{!}{\\input{\(name)}}\n"
        }
        let figures = Fixture.files(site).filter { $0.hasSuffix(".pdf") }
        XCTAssertGreaterThan(figures.count, 5, "every drawn figure has a PDF")
        for (i, file) in figures.enumerated() {
            let name = "f\(i).pdf"
            try FileManager.default.copyItem(at: site.appendingPathComponent(file), to: work.appendingPathComponent(name))
            body += "\\clearpage\\noindent\\includegraphics[width=\\linewidth]{\(name)}\n"
        }
        let document = """
            \\documentclass{article}
            \\usepackage[utf8]{inputenc}
            \\usepackage[T1]{fontenc}
            \\usepackage[landscape,margin=1cm]{geometry}
            \\usepackage{booktabs,graphicx}
            \\begin{document}
            \(body)\\end{document}
            """
        try document.write(to: work.appendingPathComponent("all.tex"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: pdflatex)
        p.arguments = ["-interaction=nonstopmode", "-halt-on-error", "all.tex"]
        p.currentDirectoryURL = work
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "pdflatex failed:\n" + log.split(separator: "\n").filter { $0.hasPrefix("!") || $0.hasPrefix("l.") }.joined(separator: "\n"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.appendingPathComponent("all.pdf").path))
    }

    func testLatexEscapesMathAndMinusAndFixesDecimals() {
        var t = SiteTable(id: "t", title: "Σ_d test", columns: ["name_x", "value"], rows: [
            [.text("a_b Σ ‖μ‖² ≈ 1 — Кропоткин"), SiteTable.Cell(text: "-0.5", number: -0.5)],
            [.text("c"), SiteTable.Cell(text: "1.25", number: 1.25)],
            [.text("d"), .text("—")],
        ])
        let tex = t.latex()
        XCTAssertTrue(tex.contains("name\\_x"), tex)
        XCTAssertTrue(tex.contains("$\\Sigma$"), tex)
        XCTAssertTrue(tex.contains("$-$0.500"), tex)
        XCTAssertTrue(tex.contains("1.250"), tex)
        XCTAssertTrue(tex.contains("---"), tex)
        XCTAssertFalse(tex.contains("Кропоткин"), "scripts pdflatex cannot set are replaced")
        t.latexColumns = ["$x_1$", "v"]
        XCTAssertTrue(t.latex().contains("$x_1$ & v"))
    }

    func testCSVNumericColumnsHoldNumbersOnly() {
        let t = SiteTable(id: "t", title: "t", columns: ["run", "KL"], rows: [
            [.text("a"), SiteTable.Cell(text: "0.123", number: 0.123456789)],
            [.text("b"), .text("—")],
            [.text("=c"), SiteTable.Cell(text: "3", number: 3)],
        ])
        XCTAssertEqual(t.csv(), "run,KL\na,0.123456789\nb,\n'=c,3\n")
    }

    /// C of an ELBO run is a default it never used: the index shows "—" for it, never "15".
    func testSettingsARunDoesNotUseAreShownAsDash() throws {
        let (f, site) = try Fixture.shared()
        _ = f
        let csv = try String(contentsOf: site.appendingPathComponent("runs.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map(String.init)
        let header = CSVTests.parseLine(lines[0])
        guard let c = header.firstIndex(of: "klTarget") ?? header.firstIndex(of: "objective.klTarget") else {
            return XCTFail("no klTarget column in \(header)")
        }
        let elbo = try XCTUnwrap(lines.first { $0.hasPrefix("ptb-last-elbo,") })
        let cells = CSVTests.parseLine(elbo)
        XCTAssertTrue(cells[c] == "" || cells[c] == "—", "ELBO run shows C = \(cells[c])")
        let target = try XCTUnwrap(lines.first { $0.hasPrefix("kl-target-c15,") })
        XCTAssertEqual(CSVTests.parseLine(target)[c], "15")
        // No "(best …)" mixes validation values into evaluated cells any more.
        XCTAssertFalse(csv.contains("(best"))
    }

    /// Long et al. Table 2's cost columns: updates (aggressive inner steps included) and training hours.
    func testCostTableHasUpdatesAndHours() throws {
        let (_, site) = try Fixture.shared()
        let csv = try String(contentsOf: site.appendingPathComponent("reports/long2019/table2.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map { CSVTests.parseLine(String($0)) }
        XCTAssertEqual(Array(lines[0].suffix(2)), ["updates", "hours"])
        XCTAssertTrue(lines.dropFirst().contains { Double($0[$0.count - 2]) ?? 0 > 0 }, csv)
    }

    /// Every id on a page is unique (exhibits are `exhibit-ID` with an anchor link; their figures and tables `ID`),
    /// and figure titles are not said twice under an exhibit heading.
    func testIdsAreUniqueAndExhibitsHaveAnchors() throws {
        let (_, site) = try Fixture.shared()
        for page in Fixture.files(site).filter({ $0.hasSuffix(".html") }) {
            let html = try String(contentsOf: site.appendingPathComponent(page), encoding: .utf8)
            let ids = html.matches(of: #/ id="([^"]+)"/#).map { String($0.output.1) }
            XCTAssertEqual(ids.count, Set(ids).count, "\(page): duplicate ids \(Dictionary(grouping: ids) { $0 }.filter { $0.value.count > 1 }.keys.sorted())")
            if page.hasPrefix("reports/") {
                for section in html.matches(of: #/<section class="exhibit" id="(exhibit-[^"]+)">/#) {
                    XCTAssertTrue(html.contains("href=\"#\(section.output.1)\""), "\(page): no anchor link to \(section.output.1)")
                }
            }
        }
    }

    /// Issue 17 / 14: runs that differ only in their seed are one report-table row, mean ± sd (n), in HTML, CSV
    /// (numbers only: a mean column, then its sd and n) and LaTeX.
    func testSeedSiblingsAreAggregatedInReportTables() throws {
        let f = try Fixture(runs: [SyntheticRun(name: "twin-a", seed: 11), SyntheticRun(name: "twin-b", seed: 12)])
        defer { f.remove() }
        let (site, _) = try f.build()
        let csv = try String(contentsOf: site.appendingPathComponent("reports/long2019/table1.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n").map { CSVTests.parseLine(String($0)) }
        let header = lines[0]
        let nll = try XCTUnwrap(header.firstIndex(of: "NLL"))
        XCTAssertEqual(header[nll + 1], "NLL sd")
        XCTAssertEqual(header[nll + 2], "NLL n")
        let row = try XCTUnwrap(lines.first { $0[0].contains("twin-a") })
        XCTAssertTrue(row[0].contains("ptb-last-elbo") && row[0].contains("twin-b"), row[0])
        XCTAssertEqual(row[nll + 2], "3")
        XCTAssertNotNil(Double(row[nll]))
        XCTAssertNotNil(Double(row[nll + 1]))
        let html = try String(contentsOf: site.appendingPathComponent("reports/long2019.html"), encoding: .utf8)
        XCTAssertTrue(html.contains(" ± ") && html.contains("(3)"), "mean ± sd (n) in the page")
        XCTAssertTrue(html.contains("mean ± sample standard deviation"))
        let tex = try String(contentsOf: site.appendingPathComponent("reports/long2019/table1.tex"), encoding: .utf8)
        XCTAssertTrue(tex.contains("$\\pm$"), tex)
        // The index too: one row per seed group, mean ± sd (n), the runs listed and the first linked.
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("Runs that differ only in their seed"), "seed groups on the index")
        let groups = try String(contentsOf: site.appendingPathComponent("seed-groups.csv"), encoding: .utf8)
            .split(separator: "\n").map { CSVTests.parseLine(String($0)) }
        let au = try XCTUnwrap(groups[0].firstIndex { $0.hasPrefix("AU (") })
        XCTAssertEqual(groups[0][au + 2], groups[0][au] + " n")
        let twins = try XCTUnwrap(groups.first { $0[0].contains("twin-a") })
        XCTAssertEqual(twins[1].split(separator: ",").count, 3, "three seeds: \(twins[1])")
        XCTAssertEqual(twins[au + 2], "3")
        XCTAssertFalse(index.contains("<details class=\"runs\">"), "a small site shows every run unfolded")
    }
}
