/// A grid of x–y charts (line, scatter or histogram panels) sharing axes: each panel's title is shown above
/// it, tick labels only on the outer panels when shared, one legend for all (series matched by name).
public struct SmallMultiples: Sendable, Hashable {
    public var title: String
    public var panels: [Chart]
    /// Number of columns (nil: ⌈√n⌉).
    public var columns: Int?
    public var sharedX: Bool
    public var sharedY: Bool
    /// Labels and scales of the shared axes (each panel's own axes give the scale when these are linear).
    public var x: Axis
    public var y: Axis
    public var legend: LegendPosition
    public var style: ChartStyle
    public init(title: String = "", panels: [Chart], columns: Int? = nil, sharedX: Bool = true, sharedY: Bool = true,
                x: Axis = .init(), y: Axis = .init(), legend: LegendPosition = .auto, style: ChartStyle = .init()) {
        self.title = title; self.panels = panels; self.columns = columns; self.sharedX = sharedX; self.sharedY = sharedY
        self.x = x; self.y = y; self.legend = legend; self.style = style
    }

    func figure() throws -> XYFigure {
        var figs: [XYFigure] = []
        for (i, c) in panels.enumerated() {
            switch c {
            case .line(var l): l.x.scale = x.scale; l.y.scale = y.scale; l.style = style; figs.append(try l.figure())
            case .scatter(var s): s.x.scale = x.scale; s.y.scale = y.scale; s.style = style; figs.append(try s.figure())
            case .histogram(var h): h.y.scale = y.scale; h.style = style; figs.append(try h.figure())
            default:
                throw ChartsError.invalidArgument("small multiples '\(title)': panel \(i) is a \(c.kindName); only line, scatter and histogram panels can share axes")
            }
        }
        var ps: [XYPanel] = []
        var entries: [LegendEntry] = []
        var notes: [String] = []
        for (i, f) in figs.enumerated() {
            var p = f.panels.first ?? XYPanel()
            p.title = f.title
            ps.append(p)
            for e in f.legend where !entries.contains(where: { $0.label == e.label }) { entries.append(e) }
            notes += f.notes.map { "panel \(i + 1): \($0)" }
        }
        let n = max(ps.count, 1)
        var cols = columns ?? Int(Double(n).squareRoot().rounded(.up))
        cols = min(max(cols, 1), n)
        var xAxis = x, yAxis = y
        if let first = panels.first {
            if case .histogram = first, yAxis.label.isEmpty { yAxis.label = "count" }
            _ = first
        }
        xAxis.range = x.range; yAxis.range = y.range
        return XYFigure(title: title, x: .numeric(xAxis), y: .numeric(yAxis), panels: ps, columns: cols, sharedX: sharedX,
                        sharedY: sharedY, legend: entries, legendPosition: legend, notes: notes, style: style)
    }
}

/// Any chart, for heterogeneous lists (a report's figures) and small-multiple panels.
public enum Chart: Sendable, Hashable {
    case line(LineChart)
    case scatter(ScatterChart)
    case bar(BarChart)
    case heatmap(Heatmap)
    case histogram(HistogramChart)
    case smallMultiples(SmallMultiples)

    public var kindName: String {
        switch self {
        case .line: return "line chart"
        case .scatter: return "scatter chart"
        case .bar: return "bar chart"
        case .heatmap: return "heatmap"
        case .histogram: return "histogram"
        case .smallMultiples: return "small multiples"
        }
    }
}

extension Chart: ChartDescription {
    public func drawing(size: RenderSize = .init()) throws -> Drawing {
        switch self {
        case .line(let c): return try c.drawing(size: size)
        case .scatter(let c): return try c.drawing(size: size)
        case .bar(let c): return try c.drawing(size: size)
        case .heatmap(let c): return try c.drawing(size: size)
        case .histogram(let c): return try c.drawing(size: size)
        case .smallMultiples(let c): return try c.drawing(size: size)
        }
    }
}

extension ScatterChart: ChartDescription {
    public func drawing(size: RenderSize = .init()) throws -> Drawing {
        let f = try figure()
        return try Layout.drawing(size: size, style: style) { w, h, kit in f.layout(width: w, height: h, kit: kit) }
    }
}
extension BarChart: ChartDescription {
    public func drawing(size: RenderSize = .init()) throws -> Drawing {
        let f = try figure()
        return try Layout.drawing(size: size, style: style) { w, h, kit in f.layout(width: w, height: h, kit: kit) }
    }
}
extension HistogramChart: ChartDescription {
    public func drawing(size: RenderSize = .init()) throws -> Drawing {
        let f = try figure()
        return try Layout.drawing(size: size, style: style) { w, h, kit in f.layout(width: w, height: h, kit: kit) }
    }
}
extension SmallMultiples: ChartDescription {
    public func drawing(size: RenderSize = .init()) throws -> Drawing {
        let f = try figure()
        return try Layout.drawing(size: size, style: style) { w, h, kit in f.layout(width: w, height: h, kit: kit) }
    }
}
extension Heatmap: ChartDescription {
    public func drawing(size: RenderSize = .init()) throws -> Drawing {
        try Layout.drawing(size: size, style: style) { w, h, kit in try layout(width: w, height: h, kit: kit) }
    }
}
