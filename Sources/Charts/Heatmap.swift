import Foundation

/// A matrix drawn as coloured cells (viridis) with a colour bar. Row 0 is at the top, as in a printed
/// matrix. NaN/±∞ cells are drawn grey and counted in the note. All-equal values get a range of ±0.5
/// around the value so the colour bar still has ticks; ragged rows are an error.
public struct Heatmap: Sendable, Hashable {
    public var title: String
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var xLabel: String
    public var yLabel: String
    public var colorBarLabel: String
    public var range: ClosedRange<Double>?
    /// Print each value in its cell (when cells are large enough for the text).
    public var annotate: Bool
    public var style: ChartStyle
    public init(title: String = "", values: [[Double]], rowLabels: [String] = [], columnLabels: [String] = [],
                xLabel: String = "", yLabel: String = "", colorBarLabel: String = "", range: ClosedRange<Double>? = nil,
                annotate: Bool = false, style: ChartStyle = .init()) {
        self.title = title; self.values = values; self.rowLabels = rowLabels; self.columnLabels = columnLabels
        self.xLabel = xLabel; self.yLabel = yLabel; self.colorBarLabel = colorBarLabel; self.range = range
        self.annotate = annotate; self.style = style
    }

    func layout(width W: Double, height H: Double, kit: TextKit) throws -> [DrawCommand] {
        let rows = values.count, cols = values.first?.count ?? 0
        if let bad = values.firstIndex(where: { $0.count != cols }) {
            throw ChartsError.invalidArgument("heatmap '\(title)': row \(bad) has \(values[bad].count) values, row 0 has \(cols)")
        }
        if !rowLabels.isEmpty && rowLabels.count != rows {
            throw ChartsError.invalidArgument("heatmap '\(title)': \(rowLabels.count) row labels for \(rows) rows")
        }
        if !columnLabels.isEmpty && columnLabels.count != cols {
            throw ChartsError.invalidArgument("heatmap '\(title)': \(columnLabels.count) column labels for \(cols) columns")
        }
        var skips = SkipCounts()
        var e = Extent()
        for r in values { for v in r { if v.isFinite { e.add(v) } else { skips.nonFinite += 1 } } }
        let (lo, hi) = e.resolved(scale: .linear, fixed: range, pad: 0)
        let st = style
        let m = (st.fontSize * 0.8).rounded(), tickLen = 4.0, pad = 3.0
        let ts = st.tickSize
        var texts: [TextRun] = []
        var out: [DrawCommand] = []

        var top = m
        for line in kit.wrap(title, size: st.titleSize, maxWidth: W - 2 * m, maxLines: 3) {
            let ex = kit.extent(line, st.titleSize)
            texts.append(kit.run(line, x: W / 2, baseline: top + ex.ascent, size: st.titleSize, align: .middle, role: "title"))
            top += ex.height
        }
        if !title.isEmpty { top += m * 0.6 }
        var bottom = H - m
        for line in skips.notes.reversed() {
            let ex = kit.extent(line, ts)
            texts.append(kit.run(line, x: m, baseline: bottom - ex.descent, size: ts, align: .start, color: Color(hex: 0x666666), role: "note"))
            bottom -= ex.height
        }
        let labelH = kit.lineHeight(st.fontSize)
        let xLabelLines = kit.wrap(xLabel, size: st.fontSize, maxWidth: W - 2 * m, maxLines: 2)
        bottom -= Double(xLabelLines.count) * labelH + (xLabelLines.isEmpty ? 0 : pad + 2)
        let xLabelTop = bottom

        // Colour bar on the right: bar, ticks, tick labels, rotated label.
        let cbTicks = Ticks.linear(lo: lo, hi: hi, maxCount: min(9, max(2, Int((H - 2 * m) / (ts * 5)))))
        let cbLabelW = cbTicks.map { kit.width($0.label, ts) }.max() ?? 0
        let cbW = 14.0
        let cbTitleW = colorBarLabel.isEmpty ? 0 : labelH + pad
        var right = W - m - cbTitleW - cbLabelW - pad - tickLen - cbW - m * 1.5

        // Row labels on the left (subsampled when rows are thinner than text), column labels below (rotated when wide).
        let yLabelLines = kit.wrap(yLabel, size: st.fontSize, maxWidth: bottom - top, maxLines: 2)
        let yLabelW = Double(yLabelLines.count) * labelH + (yLabelLines.isEmpty ? 0 : pad + 2)
        let rowLabs = rowLabels.map { kit.shorten($0, size: ts, maxWidth: W * 0.25) }
        let rowW = rowLabs.map { kit.width($0, ts) }.max() ?? 0
        let left = m + yLabelW + rowW + (rowLabs.isEmpty ? 0 : pad + tickLen)
        let colLabs = columnLabels.map { kit.shorten($0, size: ts, maxWidth: H * 0.25) }
        let gridW = max(10, right - left)
        let colSlot = gridW / Double(max(cols, 1))
        let widestCol = colLabs.map { kit.width($0, ts) }.max() ?? 0
        let rotate = widestCol > colSlot * 0.92
        let colBlock = colLabs.isEmpty ? 0 : tickLen + pad + (rotate ? widestCol : kit.lineHeight(ts))
        let gridH = max(10, xLabelTop - colBlock - top)
        right = left + gridW
        let cw = gridW / Double(max(cols, 1)), ch = gridH / Double(max(rows, 1))
        let grid = Rect(x: left.rounded(), y: top.rounded(), width: gridW.rounded(), height: gridH.rounded())

        // Cells at whole pixels so neighbours meet without seams.
        let span = hi - lo
        for r in 0..<rows {
            let y0 = (grid.minY + Double(r) * ch).rounded(), y1 = (grid.minY + Double(r + 1) * ch).rounded()
            for c in 0..<cols {
                let x0 = (grid.minX + Double(c) * cw).rounded(), x1 = (grid.minX + Double(c + 1) * cw).rounded()
                let v = values[r][c]
                let color = v.isFinite ? Color.viridis((v - lo) / span) : Color(hex: 0xBBBBBB)
                out.append(.fillRect(Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0), color))
                if annotate {
                    let s = v.isFinite ? Ticks.compact(v) : "–"
                    let ex = kit.extent(s, ts)
                    if ex.width + 4 <= x1 - x0 && ex.height <= y1 - y0 {
                        texts.append(kit.run(s, x: (x0 + x1) / 2, baseline: kit.centredBaseline((y0 + y1) / 2, ts), size: ts,
                                             align: .middle, color: color.luminance > 0.5 ? .ink : .white, role: "label"))
                    }
                }
            }
        }
        if rows == 0 || cols == 0 {
            out.append(.strokeRect(grid, Color(hex: 0x444444), width: 1))
            texts.append(kit.run("no data", x: grid.midX, baseline: kit.centredBaseline(grid.midY, st.fontSize), size: st.fontSize,
                                 align: .middle, color: Color(hex: 0x888888), role: "note"))
        }
        // Row labels (every k-th when rows are thin).
        let rowEvery = max(1, Int((kit.lineHeight(ts) * 1.05 / max(ch, 0.01)).rounded(.up)))
        for (r, lab) in rowLabs.enumerated() where r % rowEvery == 0 {
            let y = grid.minY + (Double(r) + 0.5) * ch
            out.append(.line(Point(grid.minX - tickLen, y.rounded()), Point(grid.minX, y.rounded()), Color(hex: 0x444444), width: 1))
            texts.append(kit.run(lab, x: grid.minX - tickLen - pad, baseline: kit.centredBaseline(y, ts), size: ts, align: .end, role: "ytick"))
        }
        let need = rotate ? kit.lineHeight(ts) * 1.05 : widestCol + ts * 0.5
        let colEvery = max(1, Int((need / max(cw, 0.01)).rounded(.up)))
        for (c, lab) in colLabs.enumerated() where c % colEvery == 0 {
            let x = grid.minX + (Double(c) + 0.5) * cw
            out.append(.line(Point(x.rounded(), grid.maxY), Point(x.rounded(), grid.maxY + tickLen), Color(hex: 0x444444), width: 1))
            if rotate {
                texts.append(kit.rotatedRun(lab, baselineX: x + 0.729 * ts / 2, y: grid.maxY + tickLen + pad, size: ts, align: .end, role: "xtick"))
            } else {
                texts.append(kit.run(lab, x: x, baseline: grid.maxY + tickLen + pad + kit.extent(lab, ts).ascent, size: ts,
                                     align: .middle, role: "xtick"))
            }
        }
        // Colour bar: 1-pixel strips of the palette.
        let cb = Rect(x: (grid.maxX + m * 1.5).rounded(), y: grid.minY, width: cbW, height: grid.height)
        let strips = max(1, Int(cb.height))
        for i in 0..<strips {
            let t = 1 - (Double(i) + 0.5) / Double(strips)
            out.append(.fillRect(Rect(x: cb.minX, y: cb.minY + Double(i), width: cb.width, height: 1), Color.viridis(t)))
        }
        out.append(.strokeRect(cb, Color(hex: 0x444444), width: 1))
        for t in cbTicks {
            let y = (cb.maxY - (t.value - lo) / span * cb.height).rounded()
            out.append(.line(Point(cb.maxX, y), Point(cb.maxX + tickLen, y), Color(hex: 0x444444), width: 1))
            texts.append(kit.run(t.label, x: cb.maxX + tickLen + pad, baseline: kit.centredBaseline(y, ts), size: ts, align: .start, role: "colorbar"))
        }
        if !colorBarLabel.isEmpty {
            let lab = kit.shorten(colorBarLabel, size: st.fontSize, maxWidth: cb.height)
            let ex = kit.extent(lab, st.fontSize)
            texts.append(kit.rotatedRun(lab, baselineX: W - m - ex.descent, y: cb.midY, size: st.fontSize, align: .middle, role: "colorbar"))
        }
        // Axis labels.
        var yy = xLabelTop + pad + 2
        for line in xLabelLines {
            let ex = kit.extent(line, st.fontSize)
            let cx = min(max(grid.midX, m + ex.width / 2), W - m - ex.width / 2)
            texts.append(kit.run(line, x: cx, baseline: yy + ex.ascent, size: st.fontSize, align: .middle, role: "xlabel"))
            yy += ex.height
        }
        var xx = m
        for line in yLabelLines {
            let ex = kit.extent(line, st.fontSize)
            let cy = min(max(grid.midY, top + ex.width / 2), bottom - ex.width / 2)
            texts.append(kit.rotatedRun(line, baselineX: xx + ex.ascent, y: cy, size: st.fontSize, align: .middle, role: "ylabel"))
            xx += ex.height
        }
        return out + texts.map { .text($0) }
    }
}
