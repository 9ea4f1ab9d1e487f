/// A figure of the site, described as data (what to draw), independent of how Charts draws it. Its content
/// hash decides whether a rebuild can reuse the previous site's PNG and SVG.
public struct SiteFigure: Sendable, Equatable {
    /// File-name stem (a slug, unique within its page).
    public var id: String
    public var title: String
    public var caption: String
    /// Said under the figure: missing data, skipped values, sampling.
    public var notes: [String]
    /// nil when there is nothing to draw (the notes say why).
    public var plot: Plot?
    public var width: Int
    public var height: Int

    public init(id: String, title: String, caption: String = "", notes: [String] = [], plot: Plot?,
                width: Int = 560, height: Int = 360) {
        self.id = id
        self.title = title
        self.caption = caption
        self.notes = notes
        self.plot = plot
        self.width = width
        self.height = height
    }

    public indirect enum Plot: Sendable, Equatable {
        case line(LinePlot)
        case scatter(ScatterPlot)
        case bar(BarPlot)
        case histogram(HistogramPlot)
        /// Small multiples sharing axes, one panel per entry (each panel's own title shown above it).
        /// Small multiples; `shared`: every panel on the same x and y scales (for panels compared by eye).
        case panels([Plot], columns: Int, shared: Bool = false)
    }

    public struct Line: Sendable, Equatable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        public var dashed: Bool
        /// Half-width of a shaded band (e.g. the standard deviation over runs), or empty.
        public var band: [Double]
        /// The quantity's possible values; the band is clipped to them.
        public var bandLimits: ClosedRange<Double>?
        public init(name: String, x: [Double], y: [Double], dashed: Bool = false, band: [Double] = [],
                    bandLimits: ClosedRange<Double>? = nil) {
            self.name = name; self.x = x; self.y = y; self.dashed = dashed; self.band = band; self.bandLimits = bandLimits
        }
    }

    public struct LinePlot: Sendable, Equatable {
        public var title: String
        public var xLabel: String
        public var yLabel: String
        public var logY: Bool
        public var markers: Bool
        public var series: [Line]
        public init(title: String = "", xLabel: String, yLabel: String, logY: Bool = false, markers: Bool = false,
                    series: [Line]) {
            self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.logY = logY
            self.markers = markers; self.series = series
        }
    }

    public struct ScatterGroup: Sendable, Equatable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// Text beside each point (e.g. the C of a run), or empty.
        public var labels: [String]
        /// Connect the points in the given order.
        public var connect: Bool
        public init(name: String, x: [Double], y: [Double], labels: [String] = [], connect: Bool = false) {
            self.name = name; self.x = x; self.y = y; self.labels = labels; self.connect = connect
        }
    }

    public struct ScatterPlot: Sendable, Equatable {
        public var title: String
        public var xLabel: String
        public var yLabel: String
        public var groups: [ScatterGroup]
        public var pointRadius: Double
        public init(title: String = "", xLabel: String, yLabel: String, groups: [ScatterGroup], pointRadius: Double = 3) {
            self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.groups = groups; self.pointRadius = pointRadius
        }
    }

    public struct BarPlot: Sendable, Equatable {
        public var title: String
        public var categories: [String]
        public var categoryLabel: String
        public var valueLabel: String
        public var series: [(name: String, values: [Double])]
        public init(title: String = "", categories: [String], categoryLabel: String, valueLabel: String,
                    series: [(name: String, values: [Double])]) {
            self.title = title; self.categories = categories; self.categoryLabel = categoryLabel
            self.valueLabel = valueLabel; self.series = series
        }
        public static func == (a: BarPlot, b: BarPlot) -> Bool {
            a.title == b.title && a.categories == b.categories && a.categoryLabel == b.categoryLabel
                && a.valueLabel == b.valueLabel && a.series.map(\.name) == b.series.map(\.name)
                && a.series.map(\.values) == b.series.map(\.values)
        }
    }

    public struct HistogramPlot: Sendable, Equatable {
        public var title: String
        public var xLabel: String
        public var series: [(name: String, sample: [Double])]
        public init(title: String = "", xLabel: String, series: [(name: String, sample: [Double])]) {
            self.title = title; self.xLabel = xLabel; self.series = series
        }
        public static func == (a: HistogramPlot, b: HistogramPlot) -> Bool {
            a.title == b.title && a.xLabel == b.xLabel && a.series.map(\.name) == b.series.map(\.name)
                && a.series.map(\.sample) == b.series.map(\.sample)
        }
    }

    /// Hash of everything drawn (title, size, data, renderer version): equal hashes draw equal files.
    public var contentHash: String {
        var h = ContentHasher()
        h.combine(FigureRenderer.version)
        h.combine(title); h.combine(width); h.combine(height)
        if let plot { Self.hash(plot, into: &h) } else { h.combine("none") }
        return h.hex
    }

    static func hash(_ plot: Plot, into h: inout ContentHasher) {
        switch plot {
        case .line(let p):
            h.combine("line"); h.combine(p.title); h.combine(p.xLabel); h.combine(p.yLabel)
            h.combine(p.logY ? 1 : 0); h.combine(p.markers ? 1 : 0)
            for s in p.series { h.combine(s.name); h.combine(s.x); h.combine(s.y); h.combine(s.dashed ? 1 : 0); h.combine(s.band) }
        case .scatter(let p):
            h.combine("scatter"); h.combine(p.title); h.combine(p.xLabel); h.combine(p.yLabel)
            h.combine([p.pointRadius])
            for g in p.groups {
                h.combine(g.name); h.combine(g.x); h.combine(g.y); h.combine(g.connect ? 1 : 0)
                h.combine(g.labels.count); for l in g.labels { h.combine(l) }
            }
        case .bar(let p):
            h.combine("bar"); h.combine(p.title); h.combine(p.categoryLabel); h.combine(p.valueLabel)
            h.combine(p.categories.count); for c in p.categories { h.combine(c) }
            for s in p.series { h.combine(s.name); h.combine(s.values) }
        case .histogram(let p):
            h.combine("histogram"); h.combine(p.title); h.combine(p.xLabel)
            for s in p.series { h.combine(s.name); h.combine(s.sample) }
        case .panels(let panels, let columns, let shared):
            h.combine("panels"); h.combine(columns); h.combine(panels.count); h.combine(shared ? "shared" : "own")
            for p in panels { hash(p, into: &h) }
        }
    }
}
