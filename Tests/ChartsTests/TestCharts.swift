import TestSupport
@testable import Charts

/// Small charts of every kind, quick to draw in debug builds.
enum TestCharts {
    static var small: [(String, Chart)] {
        var rng = TestRNG(seed: 2)
        let walk = (0..<300).map { _ in rng.normal() }
        let line = LineChart(title: "line", x: Axis(label: "step"), y: Axis(label: "KL"),
                             series: [LineSeries("a", y: walk, band: walk.map { _ in 0.3 }, smoothing: 0.9),
                                      LineSeries("b", y: walk.map { $0 + 2 }, marker: .square)])
        let scatter = ScatterChart(title: "scatter", x: Axis(label: "rate"), y: Axis(label: "distortion"),
                                   groups: [ScatterGroup("g1", x: [1, 2, 3], y: [3, 2, 1], labels: ["C=1", "C=2", "C=3"], connect: .inGivenOrder),
                                            ScatterGroup("g2", x: (0..<500).map { _ in rng.normal() }, y: (0..<500).map { _ in rng.normal() })])
        let bar = BarChart(title: "bars", categories: ["last", "mean", "max"], series: [BarSeries("C=5", values: [3, 5, 8]), BarSeries("C=15", values: [4, -1, 9])],
                           categoryLabel: "pooling", value: Axis(label: "active units"))
        let hbar = BarChart(title: "hbars", categories: (0..<40).map { "dimension \($0)" }, series: [BarSeries("KL", values: (0..<40).map(Double.init))],
                            orientation: .horizontal, value: Axis(label: "KL"))
        let heat = Heatmap(title: "heat", values: (0..<5).map { r in (0..<7).map { Double(r * $0) } }, rowLabels: (0..<5).map { "run \($0)" },
                           columnLabels: (0..<7).map { "a long column label \($0)" }, colorBarLabel: "KL", annotate: true)
        let hist = HistogramChart(title: "hist", x: Axis(label: "cosine"), series: [HistogramSeries("a", sample: walk), HistogramSeries("b", sample: walk.map { $0 + 1 })])
        let multi = SmallMultiples(title: "multiples", panels: [.line(line), .scatter(scatter), .histogram(hist)], x: Axis(label: "x"), y: Axis(label: "y"))
        return [("line", .line(line)), ("scatter", .scatter(scatter)), ("bar", .bar(bar)), ("hbar", .bar(hbar)), ("heatmap", .heatmap(heat)),
                ("histogram", .histogram(hist)), ("smallMultiples", .smallMultiples(multi))]
    }
}
