/// Bars along the category axis: vertical bars rise from the x axis, horizontal ones extend from the y axis.
public enum BarOrientation: Sendable, Hashable { case vertical, horizontal }

/// One bar per category (NaN/±∞ values draw no bar and are counted in the note).
public struct BarSeries: Sendable, Hashable {
    public var name: String
    public var values: [Double]
    public var color: Color?
    public init(_ name: String, values: [Double], color: Color? = nil) {
        self.name = name; self.values = values; self.color = color
    }
}

/// Grouped bars: each category holds one bar per series, side by side within 80% of the slot.
/// The value axis always includes 0 (bars start there); log value axes are refused (bars need a zero).
public struct BarChart: Sendable, Hashable {
    public var title: String
    public var categories: [String]
    public var series: [BarSeries]
    public var orientation: BarOrientation
    public var categoryLabel: String
    public var value: Axis
    public var legend: LegendPosition
    public var style: ChartStyle
    public init(title: String = "", categories: [String], series: [BarSeries], orientation: BarOrientation = .vertical,
                categoryLabel: String = "", value: Axis = .init(), legend: LegendPosition = .auto, style: ChartStyle = .init()) {
        self.title = title; self.categories = categories; self.series = series; self.orientation = orientation
        self.categoryLabel = categoryLabel; self.value = value; self.legend = legend; self.style = style
    }

    func figure() throws -> XYFigure {
        guard value.scale == .linear else {
            throw ChartsError.invalidArgument("bar chart '\(title)': a log value axis has no zero for bars to start from; use a line or scatter chart")
        }
        for s in series where s.values.count != categories.count {
            throw ChartsError.invalidArgument("bar series '\(s.name)' has \(s.values.count) values for \(categories.count) categories")
        }
        var skips = SkipCounts()
        var p = XYPanel()
        var e = Extent()
        for s in series { for v in s.values { if v.isFinite { e.add(v) } else { skips.nonFinite += 1 } } }
        let vertical = orientation == .vertical
        p.x = vertical ? Extent(covering: 0, Double(max(categories.count - 1, 0))) : e
        p.y = vertical ? e : Extent(covering: 0, Double(max(categories.count - 1, 0)))
        if categories.isEmpty { p.x = Extent(); p.y = Extent() }
        if vertical { p.yZero = true; p.yPad = 0.05 } else { p.xZero = true; p.xPad = 0.05 }
        let st = style, ser = series, nCat = categories.count
        let bars: (Scale, Scale) -> [(Rect, Color)] = { sx, sy in
            let k = Double(max(ser.count, 1)), slot = 0.8 / k
            var out: [(Rect, Color)] = []
            for (si, s) in ser.enumerated() {
                let color = s.color ?? st.color(si)
                for c in 0..<nCat where s.values[c].isFinite {
                    // Horizontal bars read top-down: category 0 and series 0 at the top.
                    let a = vertical ? Double(c) - 0.4 + slot * Double(si) : Double(nCat - 1 - c) + 0.4 - slot * Double(si + 1)
                    let b = a + slot
                    let v = s.values[c]
                    if vertical {
                        let x0 = sx.map(a), x1 = sx.map(b), y0 = sy.map(0), y1 = sy.map(v)
                        out.append((Rect(x: x0, y: min(y0, y1), width: x1 - x0, height: abs(y1 - y0)), color))
                    } else {
                        let y0 = sy.map(a), y1 = sy.map(b), x0 = sx.map(0), x1 = sx.map(v)
                        out.append((Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0)), color))
                    }
                }
            }
            return out
        }
        p.draw = { sx, sy in
            var out = bars(sx, sy).map { DrawCommand.fillRect($0.0, $0.1) }
            // The zero line, crisp.
            if vertical { let y = sy.map(0).rounded(); out.append(.line(Point(sx.p0, y), Point(sx.p1, y), Color(hex: 0x444444), width: 1)) }
            else { let x = sx.map(0).rounded(); out.append(.line(Point(x, sy.p0), Point(x, sy.p1), Color(hex: 0x444444), width: 1)) }
            return out
        }
        p.occupancy = { sx, sy in
            // Points every 6 px over each bar's area, so a legend never sits on a bar.
            bars(sx, sy).flatMap { r, _ -> [Point] in
                stride(from: r.minY, through: r.maxY, by: 6).flatMap { y in
                    stride(from: r.minX, through: r.maxX, by: 6).map { Point($0, y) } + [Point(r.maxX, y)]
                }
            }
        }
        let cat = AxisSpec.categorical(vertical ? categories : categories.reversed(), label: categoryLabel)
        var valueAxis = value
        if !vertical { valueAxis.label = value.label }
        var st2 = style
        st2.grid = true
        let entries = series.count > 1
            ? series.enumerated().map { LegendEntry(label: $1.name, color: $1.color ?? style.color($0), swatch: .patch(opacity: 1)) }
            : []
        var f = XYFigure(title: title, x: vertical ? cat : .numeric(valueAxis), y: vertical ? .numeric(valueAxis) : cat,
                         panels: [p], legend: entries, legendPosition: legend, notes: skips.notes, style: st2)
        f.sharedX = true
        return f
    }
}

extension Extent {
    init(covering a: Double, _ b: Double) { self.init(); add(a); add(b) }
}
