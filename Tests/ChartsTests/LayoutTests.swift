import XCTest
@testable import Charts

/// Layout checked on the recorded drawing: text inside the canvas, no overlapping labels, legend and
/// title fit, bad input handled.
final class LayoutTests: XCTestCase {
    func record(_ c: some ChartDescription, _ w: Int = 640, _ h: Int = 400) throws -> Drawing {
        let d = try c.drawing(size: RenderSize(width: w, height: h))
        var canvas = RecordingCanvas()
        try d.replay(on: &canvas)
        XCTAssertEqual(canvas.commands, d.commands)
        return d
    }

    /// Every text run lies inside the canvas and frame texts do not overlap each other.
    func assertTidy(_ d: Drawing, file: StaticString = #filePath, line: UInt = #line) {
        let canvas = Rect(x: 0, y: 0, width: Double(d.width), height: Double(d.height))
        let texts = d.texts
        for t in texts { XCTAssertTrue(canvas.contains(t.bounds), "'\(t.text)' (\(t.role)) outside canvas: \(t.bounds)", file: file, line: line) }
        let frame = texts.filter { $0.role != "label" }
        for i in frame.indices { for j in frame.indices where j > i {
            XCTAssertFalse(frame[i].bounds.insetBy(0.5).intersects(frame[j].bounds.insetBy(0.5)),
                           "'\(frame[i].text)' (\(frame[i].role)) overlaps '\(frame[j].text)' (\(frame[j].role))", file: file, line: line)
        } }
        // Legend boxes (the fillRect before the first legend swatch) stay inside the canvas.
        for c in d.commands { if case .plot(let r, _, _) = c { XCTAssertTrue(canvas.contains(r), "plot \(r) outside", file: file, line: line) } }
    }

    func line(_ n: Int = 200) -> LineChart {
        let s = (0..<3).map { k in LineSeries("series \(k)", y: (0..<n).map { sin(Double($0) / 20 + Double(k)) * 3 }) }
        return LineChart(title: "Title", x: Axis(label: "step"), y: Axis(label: "value"), series: s)
    }

    func testLineLayoutIsTidyAndHasTitleLabelsLegend() throws {
        let d = try record(line())
        assertTidy(d)
        let roles = Set(d.texts.map(\.role))
        XCTAssertTrue(roles.isSuperset(of: ["title", "xlabel", "ylabel", "xtick", "ytick", "legend"]), "\(roles)")
        XCTAssertEqual(d.texts.filter { $0.role == "legend" }.map(\.text), ["series 0", "series 1", "series 2"])
        XCTAssertEqual(d.texts.filter { $0.role == "ytick" }.map(\.text), ["\u{2212}3", "\u{2212}2", "\u{2212}1", "0", "1", "2", "3"])
    }

    func testLongTitleAndLegendNamesNeverClip() throws {
        var c = line()
        c.title = String(repeating: "a very long title about posterior collapse ", count: 6)
        c.series[0].name = String(repeating: "an extremely long series name ", count: 8)
        c.y.label = String(repeating: "long y label ", count: 12)
        for (w, h) in [(320, 240), (640, 400), (1200, 800)] {
            let d = try record(c, w, h)
            assertTidy(d)
            let titleLines = d.texts.filter { $0.role == "title" }.count
            XCTAssertTrue((2...3).contains(titleLines), "title wrapped at \(w): \(titleLines) lines")
            XCTAssertGreaterThan(d.plotRects[0].width, Double(w) * 0.3, "plot keeps room at \(w)")
        }
    }

    func testXTickLabelsNeverOverlapEvenWhenNarrow() throws {
        for w in [120, 200, 300, 500, 900] {
            let c = LineChart(x: Axis(label: "x"), series: [LineSeries("s", x: [1234567.5, 9876543.25], y: [0, 1])])
            let d = try record(c, w, 200)
            assertTidy(d)
            XCTAssertGreaterThanOrEqual(d.texts.filter { $0.role == "xtick" }.count, 1)
        }
    }

    func testSmallMultiplesShareAxesAndFit() throws {
        let panels: [Chart] = (0..<5).map { k in .line(LineChart(title: "panel \(k)", series: [LineSeries("a", y: [1, 2, Double(k)]), LineSeries("b", y: [2, 1, 0])])) }
        let d = try record(SmallMultiples(title: "grid", panels: panels, x: Axis(label: "x"), y: Axis(label: "y")), 900, 600)
        assertTidy(d)
        XCTAssertEqual(d.plotRects.filter { $0.width > 50 }.count, 5)
        XCTAssertEqual(d.texts.filter { $0.role == "legend" }.map(\.text), ["a", "b"], "one shared legend")
        // Shared y: tick labels only on the first column (3 columns → panels 0 and 3).
        let yTickXs = Set(d.texts.filter { $0.role == "ytick" }.map { Int($0.position.x) })
        XCTAssertEqual(yTickXs.count, 1)
        XCTAssertThrowsError(try SmallMultiples(panels: [.heatmap(Heatmap(values: [[1]]))]).drawing(size: .init()))
    }

    func testEveryKindIsTidy() throws {
        for (name, chart) in TestCharts.small {
            let d = try record(chart)
            assertTidy(d)
            XCTAssertFalse(d.commands.isEmpty, name)
        }
    }

    func testBadInputGivesNotesNotCrashes() throws {
        let nan = LineChart(series: [LineSeries("s", y: [1, .nan, 2, .infinity, -.infinity, 3])])
        XCTAssertTrue(try record(nan).texts.contains { $0.role == "note" && $0.text == "3 NaN/±∞ values skipped" })
        let log = LineChart(y: Axis(scale: .log10), series: [LineSeries("s", y: [1, 0, -2, 10])])
        XCTAssertTrue(try record(log).texts.contains { $0.text == "2 values ≤ 0 skipped on log axis" })
        let empty = LineChart(series: [])
        XCTAssertTrue(try record(empty).texts.contains { $0.text == "no data" })
        let allBad = ScatterChart(groups: [ScatterGroup("g", x: [.nan], y: [1])])
        XCTAssertTrue(try record(allBad).texts.contains { $0.text == "no data" })
        let flat = LineChart(series: [LineSeries("s", y: [2, 2, 2])])
        XCTAssertGreaterThanOrEqual(try record(flat).texts.filter { $0.role == "ytick" }.count, 2)
        let single = LineChart(series: [LineSeries("s", x: [3], y: [7])])
        let d = try record(single)
        XCTAssertTrue(d.commands.contains { if case .plot(_, _, let inner) = $0 { return inner.contains { if case .markers = $0 { return true }; return false } }; return false },
                      "a lone point is drawn as a dot")
        let unicode = LineChart(title: "Ünïcödé λ ≥ ∂ — 中文 🙂", x: Axis(label: "β·KL"), series: [LineSeries("σ²", y: [1, 2])])
        assertTidy(try record(unicode))
        XCTAssertEqual(try Heatmap(values: [[.nan, 1], [2, 3]]).drawing(size: .init()).texts.filter { $0.role == "note" }.count, 1)
    }

    func testClearErrors() {
        func message(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "" } catch { return (error as? LocalizedError)?.errorDescription ?? "" }
        }
        XCTAssertTrue(message { try LineChart(series: [LineSeries("s", x: [1, 2], y: [1])]).drawing(size: .init()) }.contains("series 's'"))
        XCTAssertTrue(message { try Heatmap(values: [[1, 2], [3]]).drawing(size: .init()) }.contains("row 1"))
        XCTAssertTrue(message { try BarChart(categories: ["a"], series: [BarSeries("s", values: [1])], value: Axis(scale: .log10)).drawing(size: .init()) }.contains("log"))
        XCTAssertTrue(message { try LineChart(series: []).drawing(size: RenderSize(width: 0, height: 10)) }.contains("size"))
        XCTAssertTrue(ChartsError.fontNotFound(searched: ["/x"]).errorDescription?.contains("fonts-dejavu-core") ?? false)
    }

    func testLegendAvoidsBars() throws {
        // Long bars at the top of a horizontal bar chart: the legend goes to the empty lower right.
        let c = BarChart(categories: (0..<8).map { "d\($0)" },
                         series: [BarSeries("a", values: (0..<8).map { 8 - Double($0) }), BarSeries("b", values: (0..<8).map { 4 - Double($0) / 2 })],
                         orientation: .horizontal)
        let d = try record(c)
        let plot = d.plotRects[0]
        XCTAssertTrue(d.texts.filter { $0.role == "legend" }.allSatisfy { $0.bounds.midY > plot.midY && $0.bounds.midX > plot.midX })
    }

    func testLegendAvoidsData() throws {
        // Data fills the upper right: the legend goes elsewhere.
        let s = [LineSeries("a", x: [0, 5, 10], y: [0, 9, 10]), LineSeries("b", x: [0, 5, 10], y: [0, 8, 10])]
        let d = try record(LineChart(series: s))
        let legend = d.texts.filter { $0.role == "legend" }
        let plot = d.plotRects[0]
        XCTAssertTrue(legend.allSatisfy { $0.bounds.midX < plot.midX || $0.bounds.midY > plot.midY }, "legend off the upper right")
    }

    /// Issue 15: a curve through the legend's usual corner (and every other corner) moves the legend off the
    /// data, outside the plot; before, only the curves' vertices counted and the legend sat on the lines.
    func testLegendMovesOffACurveThroughEveryCorner() throws {
        let s = [LineSeries("rising", x: [0, 10], y: [0, 10]), LineSeries("falling", x: [0, 10], y: [10, 0]),
                 LineSeries("top", x: [0, 10], y: [9.6, 9.6]), LineSeries("bottom", x: [0, 10], y: [0.4, 0.4])]
        let d = try record(LineChart(series: s))
        let plot = d.plotRects[0]
        let legend = d.texts.filter { $0.role == "legend" }
        XCTAssertEqual(legend.count, 4)
        XCTAssertTrue(legend.allSatisfy { !$0.bounds.intersects(plot) }, "legend text inside the plot: \(legend.map(\.bounds)) vs \(plot)")
        assertTidy(d)
        // With one corner free the legend stays inside, in that corner.
        let free = try record(LineChart(series: [LineSeries("rising", x: [0, 10], y: [0, 10]), LineSeries("low", x: [0, 10], y: [0.4, 0.4])]))
        let p2 = free.plotRects[0]
        XCTAssertTrue(free.texts.filter { $0.role == "legend" }.allSatisfy { p2.contains($0.bounds) && $0.bounds.midX < p2.midX && $0.bounds.midY < p2.midY },
                      "legend in the free upper-left corner")
    }

    /// A series of two validation points shows both points as markers (not a bare line read as a trend).
    func testFewPointsGetMarkers() throws {
        func markerCount(_ c: LineChart) throws -> Int {
            try record(c).commands.reduce(0) { n, cmd in
                guard case .plot(_, _, let inner) = cmd else { return n }
                return n + inner.reduce(0) { m, c in if case .markers(let pts, _, _, _, _) = c { return m + pts.count }; return m }
            }
        }
        XCTAssertEqual(try markerCount(LineChart(series: [LineSeries("valid", x: [100, 200], y: [3, 1])])), 2)
        XCTAssertEqual(try markerCount(LineChart(series: [LineSeries("train", y: (0..<200).map { Double($0) })])), 0)
    }
}

/// `XYFigure.layout`'s steps, each on its own: the frame around the plots, and the grid's fixed point.
final class XYFigureStepTests: XCTestCase {
    let kit = TextKit(measurer: TextMeasurer(fontPath: (try? ChartFont.path()) ?? ""))

    func testFrameWrapsTheTitleAndStacksNotesAndTheXLabelAtTheBottom() throws {
        var f = try LineChart(title: "short", x: Axis(label: "step"), y: Axis(label: "KL"),
                              series: [LineSeries("a", y: [1, 2, 3])]).figure()
        let plain = f.frame(width: 400, height: 300, kit: kit)
        f.title = String(repeating: "a long title that wraps ", count: 6)
        f.notes = ["first note", "second note"]
        let busy = f.frame(width: 400, height: 300, kit: kit)
        XCTAssertGreaterThan(busy.top, plain.top, "a wrapped title takes more lines")
        XCTAssertLessThanOrEqual(busy.texts.filter { $0.role == "title" }.count, 3, "at most three title lines")
        XCTAssertLessThan(busy.xLabelTop, plain.xLabelTop, "notes push the x label up")
        XCTAssertEqual(busy.texts.filter { $0.role == "note" }.count, 2)
        XCTAssertFalse(plain.legendOutside, "one short legend entry stays inside")
    }

    func testGridLeavesRoomForTheWidestYTickLabelAndFillsTheWidth() throws {
        let f = try LineChart(x: Axis(label: "step"), y: Axis(label: "value"),
                              series: [LineSeries("a", x: [0, 1, 2], y: [0, 123_456_789, 3])]).figure()
        let frame = f.frame(width: 500, height: 320, kit: kit)
        let g = f.grid(frame, width: 500, height: 320, kit: kit)
        let widest = g.yTicks[0].filter(\.isMajor).map { kit.width($0.label, f.style.tickSize) }.max() ?? 0
        XCTAssertGreaterThanOrEqual(g.left, f.margin + frame.yLabelWidth + widest + XYFigure.tickPad + XYFigure.tickLength - 0.5)
        XCTAssertEqual(g.left + g.cellW, g.right, accuracy: 1, "one column fills the width up to the right margin")
        XCTAssertFalse(g.xRotated)
    }

    func testGridTurnsCategoriesTooWideToSitSideBySide() throws {
        let names = (0..<12).map { "a rather long category name \($0)" }
        let f = try BarChart(categories: names, series: [BarSeries("v", values: names.map { _ in 1 })]).figure()
        let frame = f.frame(width: 400, height: 300, kit: kit)
        XCTAssertTrue(f.grid(frame, width: 400, height: 300, kit: kit).xRotated)
        XCTAssertFalse(f.grid(frame, width: 20_000, height: 300, kit: kit).xRotated, "room enough: side by side")
    }
}

/// A band of mean ± sd never shows values the quantity cannot take (a cosine above 1, a negative KL).
final class BandLimitTests: XCTestCase {
    func testBandIsClippedToTheQuantitysRange() throws {
        let y = [0.9, 0.95, 0.7], sd = [0.3, 0.2, 0.5]
        var skips = SkipCounts()
        let free = try LineChart(title: "t", x: Axis(label: "x"), y: Axis(label: "y"),
                                 series: [LineSeries("a", y: y, band: sd)]).panel(skips: &skips)
        XCTAssertEqual(free.y.hi, 1.2, accuracy: 1e-12)
        let clipped = try LineChart(title: "t", x: Axis(label: "x"), y: Axis(label: "y"),
                                    series: [LineSeries("a", y: y, band: sd, bandLimits: -1...1)]).panel(skips: &skips)
        XCTAssertEqual(clipped.y.hi, 1, accuracy: 1e-12)
        XCTAssertEqual(clipped.y.lo, 0.2, accuracy: 1e-12, "the lower edge is untouched where it is possible")
    }
}
