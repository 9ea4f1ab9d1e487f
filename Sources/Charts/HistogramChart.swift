import Foundation

/// How histogram heights are scaled: raw counts, or a density integrating to 1.
public enum HistogramNormalization: Sendable, Hashable { case count, density }

/// One sample to bin (non-finite values are skipped and counted in the note).
public struct HistogramSeries: Sendable, Hashable {
    public var name: String
    public var sample: [Double]
    public var color: Color?
    public init(_ name: String, sample: [Double], color: Color? = nil) { self.name = name; self.sample = sample; self.color = color }
}

/// Overlaid histograms on shared bin edges, filled with transparency and outlined opaque.
public struct HistogramChart: Sendable, Hashable {
    public var title: String
    public var x: Axis
    public var y: Axis
    public var series: [HistogramSeries]
    public var bins: Int?
    public var normalization: HistogramNormalization
    public var opacity: Double
    public var legend: LegendPosition
    public var style: ChartStyle
    public init(title: String = "", x: Axis = .init(), y: Axis = .init(label: "count"), series: [HistogramSeries], bins: Int? = nil,
                normalization: HistogramNormalization = .count, opacity: Double = 0.45, legend: LegendPosition = .auto,
                style: ChartStyle = .init()) {
        self.title = title; self.x = x; self.y = y; self.series = series; self.bins = bins
        self.normalization = normalization; self.opacity = opacity; self.legend = legend; self.style = style
    }

    /// Shared bin edges over the pooled finite sample. Bin count: `bins` (1…1000) or Freedman–Diaconis
    /// (h = 2·IQR·n^(−1/3)), falling back to Sturges (⌈log₂ n⌉ + 1) when the IQR is 0; clamped to 1…200.
    /// All-equal values give one bin of width 1 centred on the value; an empty sample gives no edges.
    static func edges(_ pooled: [Double], bins: Int?) -> [Double] {
        guard let lo = pooled.min(), let hi = pooled.max() else { return [] }
        if hi - lo <= abs(lo) * 1e-12 || hi == lo { return [lo - 0.5, lo + 0.5] }
        var k: Int
        if let b = bins { k = min(max(b, 1), 1000) } else {
            let s = pooled.sorted()
            let q = { (p: Double) -> Double in s[min(s.count - 1, Int(p * Double(s.count - 1)))] }
            let iqr = q(0.75) - q(0.25)
            let n = Double(s.count)
            if iqr > 0 { k = Int(((hi - lo) / (2 * iqr * pow(n, -1.0 / 3))).rounded(.up)) } else {
                k = Int(Foundation.log2(n).rounded(.up)) + 1
            }
            k = min(max(k, 1), 200)
        }
        return (0...k).map { lo + (hi - lo) * Double($0) / Double(k) }
    }

    /// Heights per bin (counts or density) for one sample on `edges`; the last bin is closed.
    static func heights(_ sample: [Double], edges: [Double], density: Bool) -> [Double] {
        let k = edges.count - 1
        guard k >= 1 else { return [] }
        var c = [Double](repeating: 0, count: k)
        let lo = edges[0], w = (edges[k] - lo) / Double(k)
        var n = 0.0
        for v in sample where v.isFinite && v >= lo && v <= edges[k] {
            c[min(k - 1, max(0, Int((v - lo) / w)))] += 1; n += 1
        }
        if density && n > 0 { for i in c.indices { c[i] /= n * w } }
        return c
    }

    func figure() throws -> XYFigure {
        guard x.scale == .linear else { throw ChartsError.invalidArgument("histogram '\(title)': log x axes are not supported; bin log10 of the sample instead") }
        var skips = SkipCounts()
        var pooled: [Double] = []
        for s in series { for v in s.sample { if v.isFinite { pooled.append(v) } else { skips.nonFinite += 1 } } }
        let edges = HistogramChart.edges(pooled, bins: bins)
        let hs = series.map { HistogramChart.heights($0.sample, edges: edges, density: normalization == .density) }
        var p = XYPanel()
        if let f = edges.first, let l = edges.last { p.x.add(f); p.x.add(l) }
        var yLog = y.scale == .log10
        for h in hs { for v in h { if !yLog || v > 0 { p.y.add(v) } } }
        if !yLog { p.y.add(0) }
        p.yZero = !yLog; p.xPad = 0.02
        if pooled.isEmpty { p = XYPanel(); yLog = false }
        let st = style, ser = series, alpha = opacity
        p.draw = { sx, sy in
            guard edges.count >= 2 else { return [] }
            var out: [DrawCommand] = []
            let base = yLog ? sy.lo : 0
            for (si, h) in hs.enumerated() {
                let color = ser[si].color ?? st.color(si)
                var outline: [Point] = [Point(sx.map(edges[0]), sy.map(base))]
                for (i, v) in h.enumerated() {
                    let top = yLog && v <= 0 ? base : v
                    let x0 = sx.map(edges[i]), x1 = sx.map(edges[i + 1]), y0 = sy.map(base), y1 = sy.map(top)
                    if top > base { out.append(.fillRect(Rect(x: x0, y: y1, width: x1 - x0, height: y0 - y1), color.withAlpha(alpha))) }
                    outline.append(Point(x0, y1)); outline.append(Point(x1, y1))
                }
                outline.append(Point(sx.map(edges[edges.count - 1]), sy.map(base)))
                out.append(.polyline(outline, color, width: st.lineWidth * 0.8, dash: .solid))
            }
            return out
        }
        p.occupancy = { sx, sy in
            guard edges.count >= 2 else { return [] }
            return hs.flatMap { h in h.enumerated().flatMap { i, v -> [Point] in
                let top = yLog && v <= 0 ? sy.lo : v
                let x0 = sx.map(edges[i]), x1 = sx.map(edges[i + 1])
                let y0 = sy.map(yLog ? sy.lo : 0), y1 = sy.map(yLog && top <= 0 ? sy.lo : top)
                return stride(from: min(y0, y1), through: max(y0, y1), by: 6).flatMap { y in
                    stride(from: x0, through: x1, by: 6).map { Point($0, y) } + [Point(x1, y)]
                }
            } }
        }
        let entries = series.count > 1
            ? series.enumerated().map { LegendEntry(label: $1.name, color: $1.color ?? style.color($0), swatch: .patch(opacity: opacity + 0.1)) }
            : []
        var yAxis = y
        if normalization == .density && yAxis.label == "count" { yAxis.label = "density" }
        return XYFigure(title: title, x: .numeric(x), y: .numeric(yAxis), panels: [p], legend: entries,
                        legendPosition: legend, notes: skips.notes, style: style)
    }
}
