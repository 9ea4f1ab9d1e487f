import Foundation

/// One axis of an x–y figure: numeric (with its scale), or categories at 0, 1, … n−1.
enum AxisSpec {
    case numeric(Axis)
    case categorical([String], label: String)

    var label: String {
        switch self { case .numeric(let a): return a.label; case .categorical(_, let l): return l }
    }
    var isLog: Bool { if case .numeric(let a) = self { return a.scale == .log10 }; return false }
}

/// The data part of one panel: its extents and a function drawing it once scales are known.
struct XYPanel {
    var title = ""
    var x = Extent()
    var y = Extent()
    var xPad = 0.03
    var yPad = 0.05
    var xZero = false
    var yZero = false
    /// Data commands in canvas coordinates (drawn clipped and anti-aliased).
    var draw: (Scale, Scale) -> [DrawCommand] = { _, _ in [] }
    /// Data positions in canvas coordinates, used to place the legend where it hides the least.
    var occupancy: (Scale, Scale) -> [Point] = { _, _ in [] }
    var isEmpty: Bool { x.isEmpty || y.isEmpty }
}

/// A figure made of one or more x–y panels in a grid, with a title, axis labels, a legend and notes.
/// Single charts are a 1×1 grid; small multiples share axes across the grid.
struct XYFigure {
    var title: String
    var x: AxisSpec
    var y: AxisSpec
    var panels: [XYPanel]
    var columns = 1
    var sharedX = true
    var sharedY = true
    var legend: [LegendEntry] = []
    var legendPosition: LegendPosition = .auto
    var notes: [String] = []
    var style: ChartStyle

    /// What surrounds the plots, fixed before any scale is known: the title at the top, the notes and the x
    /// label at the bottom, the y label's width, and whether the legend goes outside on the right.
    struct Frame {
        var top: Double
        var bottom: Double
        var xLabelTop: Double
        var right: Double
        var texts: [TextRun]
        var xLabelLines: [String]
        var yLabelLines: [String]
        var yLabelWidth: Double
        var legendBox: LegendBox
        var showLegend: Bool
        var legendOutside: Bool
    }

    /// The panels' grid after the fixed point of tick labels and cell sizes: y tick labels set the left margin,
    /// which sets the cell width, which sets the x ticks (and whether categories are turned), which set the
    /// bottom margin, which sets the cell height and the y ticks. Three passes settle it.
    struct Grid {
        var left: Double
        var right: Double
        var cellW: Double
        var cellH: Double
        var hGap: Double
        var vGap: Double
        var columns: Int
        var rows: Int
        var panelTitleHeight: Double
        var xTicks: [[Tick]]
        var yTicks: [[Tick]]
        var xRotated: Bool
        var xRanges: [(Double, Double)]
        var yRanges: [(Double, Double)]
    }

    static let tickLength = 4.0, tickPad = 3.0

    /// Lays the figure out on a `width × height` canvas (1× pixels): frame, grid, panels, axis labels, legend.
    func layout(width W: Double, height H: Double, kit: TextKit) -> [DrawCommand] {
        let frame = self.frame(width: W, height: H, kit: kit)
        let grid = self.grid(frame, width: W, height: H, kit: kit)
        var (out, texts, plotRects, occupancy) = drawPanels(grid, frame: frame, height: H, kit: kit)
        texts = frame.texts + texts + axisLabels(frame, plotRects: plotRects, grid: grid, width: W, kit: kit)

        // Legend.
        if frame.showLegend, let plot = plotRects.first {
            let m = margin, box = frame.legendBox
            let origin: Point
            if frame.legendOutside {
                origin = Point((W - m - box.width).rounded(), plotRects.map(\.minY).min() ?? frame.top)
            } else {
                let placed = legendOrigin(in: plot, box: box, points: occupancy, inset: m * 0.8)
                if placed.covered > 0 && legendPosition == .auto {
                    // Every corner would cover data: put the legend outside, right of the plot.
                    var outsideCopy = self
                    outsideCopy.legendPosition = .outsideRight
                    return outsideCopy.layout(width: W, height: H, kit: kit)
                }
                origin = placed.origin
            }
            out += box.commands(at: origin, kit: kit)
        }
        out += texts.map { .text($0) }
        return out
    }

    /// The outer margin: 0.8 of the font size.
    var margin: Double { (style.fontSize * 0.8).rounded() }

    /// Step 1: the title, notes, x label and y label around the plots, and the legend's place (inside or out).
    func frame(width W: Double, height H: Double, kit: TextKit) -> Frame {
        let st = style, m = margin
        // Title (wrapped, never clipped).
        var top = m
        var texts: [TextRun] = []
        for line in kit.wrap(title, size: st.titleSize, maxWidth: W - 2 * m, maxLines: 3) {
            let e = kit.extent(line, st.titleSize)
            texts.append(kit.run(line, x: W / 2, baseline: top + e.ascent, size: st.titleSize, align: .middle, role: "title"))
            top += e.height
        }
        if !title.isEmpty { top += m * 0.6 }

        // Notes and the x label at the bottom.
        var bottom = H - m
        let noteSize = st.tickSize * 0.95
        for line in notes.flatMap({ kit.wrap($0, size: noteSize, maxWidth: W - 2 * m) }).reversed() {
            let e = kit.extent(line, noteSize)
            texts.append(kit.run(line, x: m, baseline: bottom - e.descent, size: noteSize, align: .start,
                                 color: Color(hex: 0x666666), role: "note"))
            bottom -= e.height
        }
        if !notes.isEmpty { bottom -= m * 0.4 }
        let xLabelLines = kit.wrap(x.label, size: st.fontSize, maxWidth: W - 2 * m, maxLines: 2)
        let labelH = kit.lineHeight(st.fontSize)
        bottom -= Double(xLabelLines.count) * labelH + (xLabelLines.isEmpty ? 0 : Self.tickPad + 2)

        // Legend outside on the right when asked, for grids, or when it would crowd the plot.
        let showLegend = legendPosition != .hidden && !legend.isEmpty
        let legendBox = LegendBox(entries: legend, kit: kit, size: st.legendSize, maxWidth: W * (W < 500 ? 0.3 : 0.45))
        let outside = showLegend && (legendPosition == .outsideRight || panels.count > 1
            || (legendPosition == .auto && (legendBox.width > 0.4 * W || legendBox.height > 0.55 * (bottom - top))))
        let yLabelLines = kit.wrap(y.label, size: st.fontSize, maxWidth: bottom - top, maxLines: 2)
        let yLabelW = Double(yLabelLines.count) * labelH + (yLabelLines.isEmpty ? 0 : Self.tickPad + 2)
        return Frame(top: top, bottom: bottom, xLabelTop: bottom, right: W - m - (outside ? legendBox.width + m : 0),
                     texts: texts, xLabelLines: xLabelLines, yLabelLines: yLabelLines, yLabelWidth: yLabelW,
                     legendBox: legendBox, showLegend: showLegend, legendOutside: outside)
    }

    /// The data range of panel `i` on one axis: shared across panels or its own; categories at 0 … n−1.
    func range(_ axis: AxisSpec, _ i: Int, _ ex: [Extent], shared: Bool, pad: Double, zero: Bool) -> (Double, Double) {
        if case .categorical(let c, _) = axis { return (-0.5, Double(max(c.count, 1)) - 0.5) }
        guard case .numeric(let a) = axis else { return (0, 1) }
        var e = Extent()
        if shared { ex.forEach { e.add($0) } } else if i < ex.count { e = ex[i] }
        return e.resolved(scale: a.scale, fixed: a.range, pad: pad, zero: zero)
    }

    /// Step 2: the grid of panels (see `Grid`).
    func grid(_ frame: Frame, width W: Double, height H: Double, kit: TextKit) -> Grid {
        let st = style, m = margin
        let tickLen = Self.tickLength, tickPad = Self.tickPad
        let tickH = kit.lineHeight(st.tickSize)
        let n = max(1, panels.count)
        let cols = max(1, min(columns, n)), rows = (n + cols - 1) / cols
        let panelTitleH = panels.contains { !$0.title.isEmpty } ? kit.lineHeight(st.fontSize) + 4 : 0
        let xr = panels.map { $0.x }, yr = panels.map { $0.y }
        let p0 = panels.first ?? XYPanel()
        let xRanges = (0..<n).map { range(x, $0, xr, shared: sharedX, pad: p0.xPad, zero: p0.xZero) }
        let yRanges = (0..<n).map { range(y, $0, yr, shared: sharedY, pad: p0.yPad, zero: p0.yZero) }

        var right = frame.right
        var xTickBlock = tickLen + tickPad + tickH
        var yTickW = kit.width("0.0", st.tickSize)
        var yTicks: [[Tick]] = [], xTicks: [[Tick]] = []
        var xRotated = false
        var cellW = 0.0, cellH = 0.0, left = 0.0, hGap = 0.0, vGap = 0.0
        for _ in 0..<3 {
            left = m + frame.yLabelWidth + yTickW + tickPad + tickLen
            hGap = sharedY ? m * 1.5 : yTickW + tickPad + tickLen + m
            vGap = sharedX ? m : xTickBlock + m
            let plotBottom = frame.xLabelTop - xTickBlock
            cellW = ((right - left - Double(cols - 1) * hGap) / Double(cols)).rounded(.down)
            cellH = ((plotBottom - frame.top - Double(rows) * panelTitleH - Double(rows - 1) * vGap) / Double(rows)).rounded(.down)
            cellW = max(cellW, 10); cellH = max(cellH, 10)
            yTicks = yRanges.map { ticksFor(y, $0, length: cellH, horizontal: false, kit: kit) }
            xTicks = xRanges.map { ticksFor(x, $0, length: cellW, horizontal: true, kit: kit) }
            yTickW = (yTicks.flatMap { $0 }.map { kit.width($0.label, st.tickSize) }.max() ?? 0)
            // Categories too wide to sit side by side are turned to read bottom-to-top.
            if case .categorical(let cats, _) = x {
                let slot = cellW / Double(max(cats.count, 1))
                let widest = cats.map { kit.width($0, st.tickSize) }.max() ?? 0
                xRotated = widest > slot * 0.92
                xTickBlock = tickLen + tickPad + (xRotated ? min(widest, H * 0.3) : tickH)
            }
            // The last x tick label may stick out to the right of the last column by half its width.
            let lastHalf = (xTicks.last?.last.map { kit.width($0.label, st.tickSize) / 2 } ?? 0)
            right = min(right, W - m - (frame.legendOutside ? frame.legendBox.width + m : 0))
            if !frame.legendOutside { right = min(W - m, W - max(m, lastHalf + 2)) }
        }
        return Grid(left: left, right: right, cellW: cellW, cellH: cellH, hGap: hGap, vGap: vGap, columns: cols, rows: rows,
                    panelTitleHeight: panelTitleH, xTicks: xTicks, yTicks: yTicks, xRotated: xRotated,
                    xRanges: xRanges, yRanges: yRanges)
    }

    /// Step 3: each panel's plot (grid lines and data, clipped), frame, ticks, tick labels and title; with the
    /// plot rectangles and, for a single panel, where its data lie (for the legend).
    func drawPanels(_ g: Grid, frame: Frame, height H: Double, kit: TextKit)
        -> (commands: [DrawCommand], texts: [TextRun], plotRects: [Rect], occupancy: [Point]) {
        let st = style
        let tickLen = Self.tickLength, tickPad = Self.tickPad
        let n = max(1, panels.count), cols = g.columns
        var out: [DrawCommand] = [], texts: [TextRun] = []
        var legendOccupancy: [Point] = []
        var plotRects: [Rect] = []
        for i in 0..<n {
            let r = i / cols, c = i % cols
            let px = (g.left + Double(c) * (g.cellW + g.hGap)).rounded()
            let py = (frame.top + g.panelTitleHeight * Double(r + 1) + Double(r) * (g.cellH + g.vGap)).rounded()
            let rect = Rect(x: px, y: py, width: g.cellW, height: g.cellH)
            plotRects.append(rect)
            var sx = Scale(lo: g.xRanges[i].0, hi: g.xRanges[i].1, log: x.isLog, p0: rect.minX, p1: rect.maxX)
            var sy = Scale(lo: g.yRanges[i].0, hi: g.yRanges[i].1, log: y.isLog, p0: rect.maxY, p1: rect.minY)
            if sx.hi <= sx.lo { sx.hi = sx.lo + 1 }
            if sy.hi <= sy.lo { sy.hi = sy.lo + 1 }
            let panel = i < panels.count ? panels[i] : XYPanel()
            var inner: [DrawCommand] = []
            if st.grid {
                for t in g.yTicks[i] where t.isMajor {
                    let yy = sy.map(t.value).rounded()
                    inner.append(.line(Point(rect.minX, yy), Point(rect.maxX, yy), Color.gridGrey, width: 1))
                }
                if case .numeric = x {
                    for t in g.xTicks[i] where t.isMajor {
                        let xx = sx.map(t.value).rounded()
                        inner.append(.line(Point(xx, rect.minY), Point(xx, rect.maxY), Color.gridGrey, width: 1))
                    }
                }
            }
            inner += panel.draw(sx, sy)
            out.append(.plot(rect, background: st.background, inner))
            out.append(.strokeRect(rect, Color(hex: 0x444444), width: 1))
            if n == 1 { legendOccupancy = panel.occupancy(sx, sy) }
            if panel.isEmpty {
                let s = kit.run("no data", x: rect.midX, baseline: kit.centredBaseline(rect.midY, st.fontSize), size: st.fontSize,
                                align: .middle, color: Color(hex: 0x888888), role: "note")
                texts.append(s)
            }
            // Ticks and their labels (shared axes label only the outer panels).
            let labelX = !sharedX || r == g.rows - 1 || i + cols >= n
            let labelY = !sharedY || c == 0
            for t in g.yTicks[i] {
                let yy = sy.map(t.value).rounded()
                let len = t.isMajor ? tickLen : tickLen * 0.6
                out.append(.line(Point(rect.minX - len, yy), Point(rect.minX, yy), Color(hex: 0x444444), width: 1))
                if labelY && t.isMajor && !t.label.isEmpty {
                    texts.append(kit.run(t.label, x: rect.minX - tickLen - tickPad, baseline: kit.centredBaseline(yy, st.tickSize),
                                         size: st.tickSize, align: .end, role: "ytick"))
                }
            }
            for t in g.xTicks[i] {
                let xx = sx.map(t.value).rounded()
                let len = t.isMajor ? tickLen : tickLen * 0.6
                out.append(.line(Point(xx, rect.maxY), Point(xx, rect.maxY + len), Color(hex: 0x444444), width: 1))
                if labelX && t.isMajor && !t.label.isEmpty {
                    if g.xRotated {
                        let lab = kit.shorten(t.label, size: st.tickSize, maxWidth: H * 0.3)
                        texts.append(kit.rotatedRun(lab, baselineX: xx + 0.729 * st.tickSize / 2, y: rect.maxY + tickLen + tickPad,
                                                    size: st.tickSize, align: .end, role: "xtick"))
                    } else {
                        let e = kit.extent(t.label, st.tickSize)
                        texts.append(kit.run(t.label, x: xx, baseline: rect.maxY + tickLen + tickPad + e.ascent, size: st.tickSize,
                                             align: .middle, role: "xtick"))
                    }
                }
            }
            if !panel.title.isEmpty {
                let lab = kit.shorten(panel.title, size: st.fontSize, maxWidth: g.cellW)
                texts.append(kit.run(lab, x: rect.midX, baseline: rect.minY - 5 - kit.extent(lab, st.fontSize).descent,
                                     size: st.fontSize, align: .middle, role: "panel"))
            }
        }
        return (out, texts, plotRects, legendOccupancy)
    }

    /// Step 4: the x label under the grid and the y label left of it, each centred on the grid of plots.
    func axisLabels(_ frame: Frame, plotRects: [Rect], grid g: Grid, width W: Double, kit: TextKit) -> [TextRun] {
        let st = style, m = margin
        var texts: [TextRun] = []
        let gridLeft = plotRects.map(\.minX).min() ?? g.left, gridRight = plotRects.map(\.maxX).max() ?? g.right
        let gridTop = plotRects.map(\.minY).min() ?? frame.top, gridBottom = plotRects.map(\.maxY).max() ?? frame.bottom
        var yy = frame.xLabelTop + Self.tickPad + 2
        for line in frame.xLabelLines {
            let e = kit.extent(line, st.fontSize)
            let cx = min(max((gridLeft + gridRight) / 2, m + e.width / 2), W - m - e.width / 2)
            texts.append(kit.run(line, x: cx, baseline: yy + e.ascent, size: st.fontSize, align: .middle, role: "xlabel"))
            yy += e.height
        }
        var xx = m
        for line in frame.yLabelLines {
            let e = kit.extent(line, st.fontSize)
            let cy = min(max((gridTop + gridBottom) / 2, frame.top + e.width / 2), frame.bottom - e.width / 2)
            texts.append(kit.rotatedRun(line, baselineX: xx + e.ascent, y: cy, size: st.fontSize, align: .middle, role: "ylabel"))
            xx += e.height
        }
        return texts
    }

    /// The legend's corner: the requested one, or (auto) the one covering the fewest data points,
    /// preferring upper right, upper left, lower left, lower right on ties; with the number of points covered.
    func legendOrigin(in r: Rect, box: LegendBox, points: [Point], inset: Double) -> (origin: Point, covered: Int) {
        let corners: [(LegendPosition, Point)] = [
            (.upperRight, Point(r.maxX - inset - box.width, r.minY + inset)),
            (.upperLeft, Point(r.minX + inset, r.minY + inset)),
            (.lowerLeft, Point(r.minX + inset, r.maxY - inset - box.height)),
            (.lowerRight, Point(r.maxX - inset - box.width, r.maxY - inset - box.height)),
        ]
        if let fixed = corners.first(where: { $0.0 == legendPosition }) { return (round(fixed.1), 0) }
        var best = corners[0].1, bestCount = Int.max
        for (_, o) in corners {
            let b = Rect(x: o.x - 4, y: o.y - 4, width: box.width + 8, height: box.height + 8)
            var count = 0
            for p in points where p.x >= b.minX && p.x <= b.maxX && p.y >= b.minY && p.y <= b.maxY { count += 1 }
            if count < bestCount { bestCount = count; best = o }
        }
        return (round(best), bestCount)
    }

    private func round(_ p: Point) -> Point { Point(p.x.rounded(), p.y.rounded()) }
}
