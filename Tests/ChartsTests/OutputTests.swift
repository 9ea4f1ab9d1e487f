import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Charts

/// One PNG per kind decoded back with libgd; SVG output parsed as XML.
final class OutputTests: XCTestCase {
    func testEveryKindRendersANonBlankPNGOfTheRightSize() throws {
        for (name, chart) in TestCharts.small {
            for scale in [1.0, 2.0] where scale == 1 || name == "line" {
                let png = try chart.png(size: RenderSize(width: 320, height: 220, scale: scale))
                XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], name)
                let img = try GDImage(png: png)
                XCTAssertEqual(img.width, Int(320 * scale), name)
                XCTAssertEqual(img.height, Int(220 * scale), name)
                var nonWhite = 0
                var colours = Set<Int32>()
                for y in 0..<img.height { let r = img.row(y); for x in 0..<img.width { colours.insert(r[x]); if r[x] & 0xFFFFFF != 0xFFFFFF { nonWhite += 1 } } }
                XCTAssertGreaterThan(Double(nonWhite) / Double(img.width * img.height), 0.02, "\(name) is nearly blank")
                XCTAssertGreaterThan(colours.count, 20, "\(name): anti-aliased output has many shades")
            }
        }
    }

    func testDataLinesAreAntiAliasedAndFrameIsCrisp() throws {
        let c = LineChart(series: [LineSeries("diag", x: [0, 1], y: [0, 1])], style: { var s = ChartStyle(); s.grid = false; return s }())
        let d = try c.drawing(size: RenderSize(width: 200, height: 200))
        let img = try GDImage(png: try c.png(size: RenderSize(width: 200, height: 200)))
        let plot = d.plotRects[0]
        // Along the diagonal, intermediate shades exist (anti-aliasing)…
        var shades = Set<UInt8>()
        for y in Int(plot.minY) + 10..<Int(plot.maxY) - 10 { for x in Int(plot.minX)..<Int(plot.maxX) { shades.insert(img.pixel(x, y).g) } }
        XCTAssertGreaterThan(shades.count, 3, "white, line colour and intermediate shades")
        // …while the bottom spine is one solid row.
        let row = Int(plot.maxY.rounded())
        let spine = (Int(plot.minX) + 5..<Int(plot.maxX) - 5).map { img.pixel($0, row).r }
        XCTAssertEqual(Set(spine).count, 1, "spine row is a single colour")
    }

    func testSVGIsWellFormedXMLForEveryKind() throws {
        for (name, chart) in TestCharts.small + [("unicode", Chart.line(LineChart(title: "a < b & \"c\" ∂ 🙂", series: [LineSeries("x\u{1}y", y: [1, 2])])))] {
            let svg = try chart.svg(size: RenderSize(width: 400, height: 300))
            let parser = XMLParser(data: Data(svg.utf8))
            let delegate = ElementCounter()
            parser.delegate = delegate
            XCTAssertTrue(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "")")
            XCTAssertEqual(delegate.root, "svg", name)
            XCTAssertGreaterThan(delegate.counts["text", default: 0], 3, name)
            XCTAssertGreaterThan(delegate.counts["rect", default: 0], 1, name)
        }
    }

    func testWritesFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("charts-test-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = TestCharts.small[0].1
        try c.writePNG(to: dir.appendingPathComponent("a.png"))
        try c.writeSVG(to: dir.appendingPathComponent("a.svg"))
        XCTAssertGreaterThan(try Data(contentsOf: dir.appendingPathComponent("a.png")).count, 1000)
        XCTAssertThrowsError(try c.writePNG(to: URL(fileURLWithPath: "/nonexistent-dir/x.png"))) { e in
            XCTAssertTrue((e as? ChartsError).map { if case .write = $0 { return true }; return false } ?? false)
        }
    }
}

final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    var root: String?
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if root == nil { root = name }
        counts[name, default: 0] += 1
    }
}

/// The vector PDFs LaTeX includes: one page of the layout's size, the same bytes for the same drawing.
final class PDFOutputTests: XCTestCase {
    func testEveryKindWritesAOnePagePDFOfTheLayoutSize() throws {
        for (name, chart) in TestCharts.small + [("unicode", Chart.line(LineChart(title: "a < b & \"c\" ∂ 🙂", series: [LineSeries("x\u{1}y", y: [1, 2])])))] {
            let pdf = try chart.pdf(size: RenderSize(width: 400, height: 300, scale: 2))
            let text = String(decoding: pdf, as: UTF8.self)
            XCTAssertTrue(text.hasPrefix("%PDF-"), name)
            XCTAssertTrue(text.contains("/MediaBox [ 0 0 400 300 ]"), "\(name): one point per layout pixel, scale ignored")
            XCTAssertEqual(text.components(separatedBy: "/Type /Page\n").count - 1 + text.components(separatedBy: "/Type /Page ").count - 1, 1, name)
            XCTAssertTrue(text.contains("/FontFile"), "\(name): the font is embedded")
            XCTAssertFalse(text.contains("/CreationDate"), "\(name): no timestamp")
            XCTAssertEqual(pdf, try chart.pdf(size: RenderSize(width: 400, height: 300)), "\(name): same drawing, same bytes")
            XCTAssertGreaterThan(pdf.count, 2_000, name)
        }
    }
}
