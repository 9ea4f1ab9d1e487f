import Charts
import Foundation

/// Turns a `SiteFigure` into a Charts value and draws it as PNG and SVG.
public enum FigureRenderer {
    /// Part of every figure's content hash: bump when drawing changes so rebuilds redraw.
    public static let version = "site-figures-1"

    /// PNG bytes and SVG text of a figure; nil when the figure has no plot.
    public static func render(_ figure: SiteFigure) throws -> (png: Data, svg: String)? {
        guard let plot = figure.plot else { return nil }
        let size = RenderSize(width: figure.width, height: figure.height, scale: 1)
        let chart = self.chart(plot, title: figure.title)
        do {
            return (try chart.png(size: size), try chart.svg(size: size))
        } catch {
            throw SiteError.output(path: figure.id, message: "drawing figure '\(figure.title)': \(error.localizedDescription)")
        }
    }

    static func chart(_ plot: SiteFigure.Plot, title: String) -> any ChartDescription {
        switch plot {
        case .line(let p):
            return lineChart(p, title: title)
        case .scatter(let p):
            let series = p.groups.map { LineSeries($0.name, x: $0.x, y: $0.y, marker: .circle) }
            return LineChart(title: title, x: Axis(label: p.xLabel), y: Axis(label: p.yLabel), series: series, markers: true)
        case .bar(let p):
            let series = p.series.map { LineSeries($0.name, y: $0.values, marker: .square) }
            return LineChart(title: title, x: Axis(label: p.categoryLabel), y: Axis(label: p.valueLabel), series: series, markers: true)
        case .histogram(let p):
            let series = p.series.map { s -> LineSeries in
                let (centres, counts) = histogram(s.sample, bins: 40)
                return LineSeries(s.name, x: centres, y: counts)
            }
            return LineChart(title: title, x: Axis(label: p.xLabel), y: Axis(label: "count"), series: series)
        case .panels(let panels, _):
            guard let first = panels.first else { return LineChart(title: title, series: []) }
            return chart(first, title: title)
        }
    }

    static func lineChart(_ p: SiteFigure.LinePlot, title: String) -> LineChart {
        let series = p.series.map { LineSeries($0.name, x: $0.x, y: $0.y, dash: $0.dashed ? .dashed : nil) }
        return LineChart(title: title, x: Axis(label: p.xLabel), y: Axis(label: p.yLabel, scale: p.logY ? .log10 : .linear),
                         series: series, markers: p.markers)
    }

    /// Equal-width bins over the finite values; centres and counts.
    static func histogram(_ sample: [Double], bins: Int) -> ([Double], [Double]) {
        let v = sample.filter(\.isFinite)
        guard let lo = v.min(), let hi = v.max(), bins > 0 else { return ([], []) }
        let width = hi > lo ? (hi - lo) / Double(bins) : 1
        var counts = [Double](repeating: 0, count: bins)
        for x in v { counts[min(bins - 1, Int((x - lo) / width))] += 1 }
        return ((0..<bins).map { lo + (Double($0) + 0.5) * width }, counts)
    }
}
