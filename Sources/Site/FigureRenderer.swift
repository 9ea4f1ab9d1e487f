import Charts
import Foundation

/// Turns a `SiteFigure` into a Charts value and draws it as PNG, SVG and PDF. Series take their colour from
/// their name (`CategoryColours`), the same on every page.
public enum FigureRenderer {
    /// Part of every figure's content hash: bump when drawing changes so rebuilds redraw.
    public static let version = "site-figures-3"

    /// Draw the figure's title into its images too (for images used on their own); the site shows titles in the
    /// page (heading and caption) instead, so an image repeats no text the page already says.
    nonisolated(unsafe) public static var titlesInImages = false

    /// PNG bytes, SVG text and PDF bytes of a figure; nil when the figure has no plot. The PNG is drawn at twice
    /// the figure's size (the page shows it at its size: sharp on high-density screens and in print); `draft`
    /// draws it at half size without supersampling (fast; for tests). The PDF is the vector figure for LaTeX
    /// (`\includegraphics`; docs/site.md says why PDF through cairo).
    public static func render(_ figure: SiteFigure, draft: Bool = false) throws -> (png: Data, svg: String, pdf: Data)? {
        guard let plot = figure.plot else { return nil }
        let size = RenderSize(width: figure.width, height: figure.height, scale: draft ? 0.5 : 1)
        let pngSize = RenderSize(width: figure.width, height: figure.height, scale: draft ? 0.5 : 2)
        var style = ChartStyle()
        if draft { style.supersampling = 1 }
        let chart = self.chart(plot, title: titlesInImages ? figure.title : "", style: style)
        do {
            return (try chart.png(size: pngSize), try chart.svg(size: size), try chart.pdf(size: size))
        } catch {
            throw SiteError.output(path: figure.id, message: "drawing figure '\(figure.title)': \(error.localizedDescription)")
        }
    }

    static func chart(_ plot: SiteFigure.Plot, title: String, style: ChartStyle) -> Chart {
        switch plot {
        case .line(let p):
            return .line(lineChart(p, title: title, style: style))
        case .scatter(let p):
            let colours = CategoryColours.colours(p.groups.map(\.name))
            let groups = zip(p.groups, colours).map { g, colour in
                ScatterGroup(g.name, x: g.x, y: g.y, labels: g.labels.isEmpty ? nil : g.labels,
                             connect: g.connect ? .inGivenOrder : .none, color: colour)
            }
            return .scatter(ScatterChart(title: p.title.isEmpty ? title : p.title, x: Axis(label: p.xLabel), y: Axis(label: p.yLabel),
                                         groups: groups, pointRadius: p.pointRadius, opacity: p.pointRadius < 2 ? 0.5 : 0.8, style: style))
        case .bar(let p):
            return .bar(BarChart(title: p.title.isEmpty ? title : p.title, categories: p.categories,
                                 series: zip(p.series, CategoryColours.colours(p.series.map(\.name))).map { BarSeries($0.name, values: $0.values, color: $1) },
                                 categoryLabel: p.categoryLabel, value: Axis(label: p.valueLabel), style: style))
        case .histogram(let p):
            return .histogram(HistogramChart(title: p.title.isEmpty ? title : p.title, x: Axis(label: p.xLabel),
                                             series: zip(p.series, CategoryColours.colours(p.series.map(\.name))).map {
                                                 HistogramSeries($0.name, sample: $0.sample, color: $1)
                                             }, style: style))
        case .panels(let panels, let columns, let shared):
            var xLabel = ""
            if case .line(let l)? = panels.first { xLabel = l.xLabel }
            if case .scatter(let sc)? = panels.first { xLabel = sc.xLabel }
            return .smallMultiples(SmallMultiples(title: title, panels: panels.map { chart($0, title: "", style: style) },
                                                  columns: columns, sharedX: shared, sharedY: shared, x: Axis(label: xLabel), style: style))
        }
    }

    static func lineChart(_ p: SiteFigure.LinePlot, title: String, style: ChartStyle) -> LineChart {
        let series = zip(p.series, CategoryColours.colours(p.series.map(\.name))).map { s, colour in
            LineSeries(s.name, x: s.x, y: s.y, band: s.band.isEmpty ? nil : s.band, bandLimits: s.bandLimits,
                       dash: s.dashed ? .dashed : nil, color: colour)
        }
        return LineChart(title: p.title.isEmpty ? title : p.title, x: Axis(label: p.xLabel),
                         y: Axis(label: p.yLabel, scale: p.logY ? .log10 : .linear), series: series, markers: p.markers, style: style)
    }
}
