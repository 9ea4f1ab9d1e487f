/// How a scatter group's points are joined by a thin line (e.g. a rate–distortion path over C).
public enum ScatterConnection: Sendable, Hashable {
    case none
    /// In the order the points are given.
    case inGivenOrder
    /// In the order of these point indices (out-of-range indices are ignored).
    case order([Int])
}

/// One coloured group of points, optionally labelled (text beside each point) and connected.
public struct ScatterGroup: Sendable, Hashable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var labels: [String]?
    public var connect: ScatterConnection
    public var marker: Marker
    public var color: Color?
    public init(_ name: String, x: [Double], y: [Double], labels: [String]? = nil, connect: ScatterConnection = .none,
                marker: Marker = .circle, color: Color? = nil) {
        self.name = name; self.x = x; self.y = y; self.labels = labels; self.connect = connect
        self.marker = marker; self.color = color
    }
}

/// Points coloured by group, with a legend when there are several groups.
public struct ScatterChart: Sendable, Hashable {
    public var title: String
    public var x: Axis
    public var y: Axis
    public var groups: [ScatterGroup]
    public var pointRadius: Double
    public var opacity: Double
    public var legend: LegendPosition
    public var style: ChartStyle
    public init(title: String = "", x: Axis = .init(), y: Axis = .init(), groups: [ScatterGroup], pointRadius: Double = 3,
                opacity: Double = 0.8, legend: LegendPosition = .auto, style: ChartStyle = .init()) {
        self.title = title; self.x = x; self.y = y; self.groups = groups; self.pointRadius = pointRadius
        self.opacity = opacity; self.legend = legend; self.style = style
    }

    func panel(skips: inout SkipCounts) throws -> XYPanel {
        let xLog = x.scale == .log10, yLog = y.scale == .log10
        var p = XYPanel()
        p.xPad = 0.05
        var kept: [[(Double, Double, Int)]] = []
        for g in groups {
            guard g.x.count == g.y.count else {
                throw ChartsError.invalidArgument("scatter group '\(g.name)' has \(g.x.count) x values but \(g.y.count) y values")
            }
            if let l = g.labels, l.count != g.x.count {
                throw ChartsError.invalidArgument("scatter group '\(g.name)' has \(l.count) labels for \(g.x.count) points")
            }
            var pts: [(Double, Double, Int)] = []
            pts.reserveCapacity(g.x.count)
            for i in g.x.indices where skips.accept(g.x[i], g.y[i], xLog: xLog, yLog: yLog) {
                pts.append((g.x[i], g.y[i], i)); p.x.add(g.x[i]); p.y.add(g.y[i])
            }
            kept.append(pts)
        }
        let st = style, gs = groups, radius = pointRadius, alpha = opacity
        p.draw = { sx, sy in
            var out: [DrawCommand] = []
            for (gi, g) in gs.enumerated() {
                let color = g.color ?? st.color(gi)
                let pts = kept[gi]
                var byIndex: [Int: Point] = [:]
                if g.connect != .none || g.labels != nil { for q in pts { byIndex[q.2] = Point(sx.map(q.0), sy.map(q.1)) } }
                let order: [Int]
                switch g.connect {
                case .none: order = []
                case .inGivenOrder: order = Array(g.x.indices)
                case .order(let o): order = o
                }
                let path = order.compactMap { byIndex[$0] }
                if path.count >= 2 { out.append(.polyline(path, color.withAlpha(0.7), width: st.lineWidth * 0.8, dash: .solid)) }
                out.append(.markers(pts.map { Point(sx.map($0.0), sy.map($0.1)) }, g.marker, radius: radius,
                                    fill: color.withAlpha(alpha), stroke: nil))
            }
            return out
        }
        p.occupancy = { sx, sy in
            kept.flatMap { pts in
                let step = max(1, pts.count / 2000)
                return stride(from: 0, to: pts.count, by: step).map { Point(sx.map(pts[$0].0), sy.map(pts[$0].1)) }
            }
        }
        return p
    }

    /// Text labels beside points, placed greedily in the order given: the first of right, left, above and
    /// below the point that lies inside the plot (2 px margin) and clear of every label placed so far
    /// (1 px gap). A label with no such place is left out, and the number left out is written small in the
    /// plot's lower-right corner ("3 labels hidden (overlap)"), never silently dropped.
    func labelRuns(plot: Rect, sx: Scale, sy: Scale, kit: TextKit, skips: SkipCounts) -> [TextRun] {
        var out: [TextRun] = []
        var hidden = 0
        let size = style.tickSize, ink = Color(hex: 0x333333)
        let inner = Rect(x: plot.minX + 2, y: plot.minY + 2, width: plot.width - 4, height: plot.height - 4)
        func shifted(_ r: TextRun, dy: Double) -> TextRun {
            kit.run(r.text, x: r.position.x, baseline: r.position.y + dy, size: size, align: r.align, color: ink, role: "label")
        }
        for g in groups {
            guard let labels = g.labels else { continue }
            for i in g.x.indices where i < labels.count && !labels[i].isEmpty {
                let xv = g.x[i], yv = g.y[i]
                var dummy = SkipCounts()
                guard dummy.accept(xv, yv, xLog: x.scale == .log10, yLog: y.scale == .log10) else { continue }
                let px = sx.map(xv), py = sy.map(yv)
                let gap = pointRadius + 3, baseline = kit.centredBaseline(py, size) - size * 0.35
                let right = kit.run(labels[i], x: px + gap, baseline: baseline, size: size, align: .start, color: ink, role: "label")
                let left = kit.run(labels[i], x: px - gap, baseline: baseline, size: size, align: .end, color: ink, role: "label")
                let mid = kit.run(labels[i], x: px, baseline: baseline, size: size, align: .middle, color: ink, role: "label")
                let above = shifted(mid, dy: (py - gap + 1) - mid.bounds.maxY)
                let below = shifted(mid, dy: (py + gap - 1) - mid.bounds.minY)
                // Beside the point, a label may slide vertically to stay inside the plot.
                func clamped(_ r: TextRun) -> TextRun {
                    if r.bounds.minY < inner.minY { return shifted(r, dy: inner.minY - r.bounds.minY) }
                    if r.bounds.maxY > inner.maxY { return shifted(r, dy: inner.maxY - r.bounds.maxY) }
                    return r
                }
                let placed = [clamped(right), clamped(left), above, below].first { r in
                    inner.contains(r.bounds) && !out.contains { $0.bounds.insetBy(-1).intersects(r.bounds) }
                }
                if let placed { out.append(placed) } else { hidden += 1 }
            }
        }
        if hidden > 0 {
            let note = "\(hidden) label\(hidden == 1 ? "" : "s") hidden (overlap)"
            out.append(kit.run(note, x: inner.maxX - 2, baseline: inner.maxY - 3, size: size * 0.9, align: .end,
                               color: Color(hex: 0x777777), role: "note"))
        }
        return out
    }

    var legendEntries: [LegendEntry] {
        guard groups.count > 1 else { return [] }
        return groups.enumerated().map { i, g in
            LegendEntry(label: g.name, color: g.color ?? style.color(i), swatch: .marker(g.marker, radius: pointRadius, opacity: 1))
        }
    }

    func figure() throws -> XYFigure {
        var skips = SkipCounts()
        var p = try panel(skips: &skips)
        let sk = skips
        if groups.contains(where: { $0.labels != nil }) {
            // Labels are crisp text drawn on top of the plot: appended to the data commands.
            let base = p.draw
            let me = self
            p.draw = { sx, sy in
                let rect = Rect(x: min(sx.p0, sx.p1), y: min(sy.p0, sy.p1), width: abs(sx.p1 - sx.p0), height: abs(sy.p1 - sy.p0))
                guard let kit = try? Layout.sharedMeasurer() else { return base(sx, sy) }
                return base(sx, sy) + me.labelRuns(plot: rect, sx: sx, sy: sy, kit: TextKit(measurer: kit), skips: sk).map { .text($0) }
            }
        }
        return XYFigure(title: title, x: .numeric(x), y: .numeric(y), panels: [p], legend: legendEntries,
                        legendPosition: legend, notes: skips.notes, style: style)
    }
}
