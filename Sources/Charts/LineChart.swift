/// One line: y against x (default 0, 1, …), optionally a shaded band y ± band and EMA smoothing.
public struct LineSeries: Sendable, Hashable {
    public var name: String
    public var x: [Double]?
    public var y: [Double]
    /// Half-width of a shaded band around y (e.g. the std over seeds); NaN entries leave gaps.
    public var band: [Double]?
    /// The values the quantity can take (a cosine: −1 … 1, a KL: ≥ 0): the band is clipped to them, so that
    /// y ± sd never shows an impossible value.
    public var bandLimits: ClosedRange<Double>?
    /// Debiased EMA weight in [0, 1): the smoothed line is drawn and the raw one kept, faded.
    public var smoothing: Double?
    public var marker: Marker?
    public var dash: Dash?
    public var color: Color?
    public init(_ name: String, x: [Double]? = nil, y: [Double], band: [Double]? = nil, bandLimits: ClosedRange<Double>? = nil,
                smoothing: Double? = nil, marker: Marker? = nil, dash: Dash? = nil, color: Color? = nil) {
        self.name = name; self.x = x; self.y = y; self.band = band; self.bandLimits = bandLimits; self.smoothing = smoothing
        self.marker = marker; self.dash = dash; self.color = color
    }
}

/// Several series against a shared x axis; linear or log y. Series differ by colour and dash (and marker
/// when `markers` is on) so they stay distinct in grey scale.
public struct LineChart: Sendable, Hashable {
    public var title: String
    public var x: Axis
    public var y: Axis
    public var series: [LineSeries]
    public var markers: Bool
    public var legend: LegendPosition
    public var style: ChartStyle
    public init(title: String = "", x: Axis = .init(), y: Axis = .init(), series: [LineSeries], markers: Bool = false,
                legend: LegendPosition = .auto, style: ChartStyle = .init()) {
        self.title = title; self.x = x; self.y = y; self.series = series; self.markers = markers
        self.legend = legend; self.style = style
    }

    /// The legend label: the name, plus the smoothing weight when smoothed.
    static func legendLabel(_ s: LineSeries) -> String {
        guard let w = s.smoothing, w > 0 else { return s.name }
        return s.name + " (EMA w=" + Ticks.compact(min(max(w, 0), 0.9999)) + ")"
    }

    func panel(skips: inout SkipCounts) throws -> XYPanel {
        let xLog = x.scale == .log10, yLog = y.scale == .log10
        var p = XYPanel()
        var prepared: [(pts: [[(Double, Double)]], smooth: [[(Double, Double)]]?, band: [[(Double, Double, Double)]])] = []
        for s in series {
            if let xs = s.x, xs.count != s.y.count {
                throw ChartsError.invalidArgument("series '\(s.name)' has \(xs.count) x values but \(s.y.count) y values")
            }
            if let b = s.band, b.count != s.y.count {
                throw ChartsError.invalidArgument("series '\(s.name)' has \(b.count) band values but \(s.y.count) y values")
            }
            let xs = s.x ?? s.y.indices.map(Double.init)
            let ys = s.y
            let sm = s.smoothing.flatMap { $0 > 0 ? SeriesMath.debiasedEMA(ys, weight: $0) : nil }
            // Split into runs of drawable points (a skipped value breaks the line, as in matplotlib).
            var runs: [[(Double, Double)]] = [[]], sruns: [[(Double, Double)]] = [[]], bruns: [[(Double, Double, Double)]] = [[]]
            for i in xs.indices {
                if skips.accept(xs[i], ys[i], xLog: xLog, yLog: yLog) {
                    runs[runs.count - 1].append((xs[i], ys[i]))
                    p.x.add(xs[i]); p.y.add(ys[i])
                    if let sm { sruns[sruns.count - 1].append((xs[i], sm[i])) }
                    if let b = s.band?[i], b.isFinite {
                        var lo = ys[i] - abs(b), hi = ys[i] + abs(b)
                        if let limits = s.bandLimits {
                            lo = min(max(lo, limits.lowerBound), limits.upperBound)
                            hi = min(max(hi, limits.lowerBound), limits.upperBound)
                        }
                        if yLog && lo <= 0 { lo = ys[i] / 10 }
                        bruns[bruns.count - 1].append((xs[i], lo, hi))
                        p.y.add(lo); p.y.add(hi)
                    } else if !(bruns.last?.isEmpty ?? true) { bruns.append([]) }
                } else {
                    if !(runs.last?.isEmpty ?? true) { runs.append([]) }
                    if !(sruns.last?.isEmpty ?? true) { sruns.append([]) }
                    if !(bruns.last?.isEmpty ?? true) { bruns.append([]) }
                }
            }
            prepared.append((runs.filter { !$0.isEmpty }, sm == nil ? nil : sruns.filter { !$0.isEmpty }, bruns.filter { !$0.isEmpty }))
        }
        let st = style, markersOn = markers, ser = series
        p.draw = { sx, sy in
            var out: [DrawCommand] = []
            let column = 1.0 / Double(max(st.supersampling, 1))
            func mapRun(_ r: [(Double, Double)]) -> [Point] {
                SeriesMath.decimate(r.map { Point(sx.map($0.0), sy.map($0.1)) }, columnWidth: column)
            }
            // Bands first (under every line), then each series' faded raw line, line, markers.
            for (i, prep) in prepared.enumerated() {
                let color = ser[i].color ?? st.color(i)
                for b in prep.band where b.count >= 2 {
                    let upper = b.map { Point(sx.map($0.0), sy.map($0.2)) }
                    let lower = b.reversed().map { Point(sx.map($0.0), sy.map($0.1)) }
                    out.append(.polygon(upper + lower, color.withAlpha(0.2)))
                }
            }
            for (i, prep) in prepared.enumerated() {
                let s = ser[i]
                let color = s.color ?? st.color(i)
                let dash = s.dash ?? st.dash(i)
                let lines = prep.smooth ?? prep.pts
                if prep.smooth != nil {
                    for r in prep.pts where r.count >= 2 {
                        out.append(.polyline(mapRun(r), color.mixed(with: .white, 0.68), width: st.lineWidth * 0.8, dash: .solid))
                    }
                }
                for r in lines {
                    if r.count >= 2 { out.append(.polyline(mapRun(r), color, width: st.lineWidth, dash: dash)) }
                }
                // A series of few points (e.g. two validation passes) shows every point, so that its line is
                // not read as a measured trend between them.
                let few = lines.reduce(0) { $0 + $1.count } <= LineChart.fewPoints
                let marker = s.marker ?? ((markersOn || few) ? st.marker(i) : nil)
                let lonely = lines.filter { $0.count == 1 }.flatMap { $0 }
                let all = lines.flatMap { $0 }
                if let marker {
                    let every = max(1, all.count / 30)
                    let pts = stride(from: 0, to: all.count, by: every).map { Point(sx.map(all[$0].0), sy.map(all[$0].1)) }
                    out.append(.markers(pts, marker, radius: st.lineWidth * 2.2, fill: color, stroke: nil))
                } else if !lonely.isEmpty {
                    // Isolated points would be invisible as lines: draw them as dots.
                    out.append(.markers(lonely.map { Point(sx.map($0.0), sy.map($0.1)) }, .circle, radius: st.lineWidth * 1.6,
                                        fill: color, stroke: nil))
                }
            }
            return out
        }
        p.occupancy = { sx, sy in
            // The drawn path, not just its vertices: a segment crossing a corner occupies it too. Points every
            // ~4 px along each segment (at most ~2,000 per run).
            prepared.flatMap { prep in
                prep.pts.flatMap { r -> [Point] in
                    let step = max(1, r.count / 400)
                    let vertices = stride(from: 0, to: r.count, by: step).map { Point(sx.map(r[$0].0), sy.map(r[$0].1)) }
                    guard vertices.count > 1 else { return vertices }
                    var out: [Point] = [vertices[0]]
                    for (a, b) in zip(vertices, vertices.dropFirst()) {
                        let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
                        let pieces = min(200, max(1, Int(length / 4)))
                        for k in 1...pieces {
                            let t = Double(k) / Double(pieces)
                            out.append(Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t))
                        }
                    }
                    return out
                }
            }
        }
        return p
    }

    /// Series with at most this many points are drawn with a marker on every point.
    static let fewPoints = 12

    var legendEntries: [LegendEntry] {
        guard series.count > 1 || series.contains(where: { ($0.smoothing ?? 0) > 0 }) else { return [] }
        return series.enumerated().map { i, s in
            LegendEntry(label: LineChart.legendLabel(s), color: s.color ?? style.color(i),
                        swatch: .line(dash: s.dash ?? style.dash(i), width: style.lineWidth,
                                      marker: s.marker ?? ((markers || s.y.filter(\.isFinite).count <= LineChart.fewPoints)
                                                           ? style.marker(i) : nil), band: s.band != nil))
        }
    }

    func figure() throws -> XYFigure {
        var skips = SkipCounts()
        let p = try panel(skips: &skips)
        return XYFigure(title: title, x: .numeric(x), y: .numeric(y), panels: [p], legend: legendEntries,
                        legendPosition: legend, notes: skips.notes, style: style)
    }
}
