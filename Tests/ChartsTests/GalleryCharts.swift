import Foundation
import TestSupport
@testable import Charts

/// Realistic example charts, one or more per kind: rendered by the tests, and written to a folder as the
/// gallery when VAESCOPE_GALLERY_DIR is set (`VAESCOPE_GALLERY_DIR=docs/gallery swift test --filter Gallery`).
enum GalleryCharts {
    static let poolings = ["last", "mean", "max", "absMax"]

    /// KL per step for one pooling and seed: fast rise, then decay to a pooling-specific floor, plus noise.
    static func klCurve(pooling k: Int, seed: UInt64, steps: Int) -> [Double] {
        var rng = TestRNG(seed: seed &* 31 &+ UInt64(k))
        let floor = [0.4, 2.5, 6.0, 9.0][k % 4]
        return (0..<steps).map { t in
            let s = Double(t)
            return floor + 12 * exp(-s / 150) * (1 - exp(-s / 20)) + (1 - exp(-s / 400)) * 0.3 * Double(k) + rng.normal() * 0.35
        }
    }

    static func lineKL(steps: Int = 3000) -> LineChart {
        let x = (0..<steps).map { Double($0 * 10) }
        let series = poolings.enumerated().map { k, name -> LineSeries in
            let runs = (0..<3).map { klCurve(pooling: k, seed: UInt64($0), steps: steps) }
            var mean = [Double](repeating: 0, count: steps), std = mean
            for i in 0..<steps {
                let m: Double = (runs[0][i] + runs[1][i] + runs[2][i]) / 3
                var ss = 0.0
                for r in runs { ss += (r[i] - m) * (r[i] - m) }
                mean[i] = m; std[i] = (ss / 2).squareRoot()
            }
            return LineSeries(name, x: x, y: mean, band: std, smoothing: 0.95)
        }
        return LineChart(title: "KL(q(z|x) ‖ p(z)) during training, mean ± std over 3 seeds", x: Axis(label: "training step"),
                         y: Axis(label: "KL (nats)"), series: series)
    }

    static func lineLogPerplexity() -> LineChart {
        let epochs = (1...20).map(Double.init)
        let series = poolings.enumerated().map { k, name in
            LineSeries(name, x: epochs, y: epochs.map { 90 + 900 * exp(-$0 / (2 + Double(k))) + Double(k) * 8 })
        }
        return LineChart(title: "Validation perplexity", x: Axis(label: "epoch"), y: Axis(label: "perplexity", scale: .log10),
                         series: series, markers: true)
    }

    static func lineLong() -> LineChart {
        var rng = TestRNG(seed: 7)
        var v = 0.0
        let y = (0..<100_000).map { i -> Double in
            v = 0.999 * v + rng.normal() * 0.05
            return i == 61_234 ? 9 : (i == 20_000 ? -6 : v)
        }
        return LineChart(title: "Gradient norm, 10⁵ steps (min/max decimation keeps the two spikes)",
                         x: Axis(label: "step"), y: Axis(label: "‖g‖ (centred)"), series: [LineSeries("grad norm", y: y)])
    }

    static func scatterRateDistortion() -> ScatterChart {
        let cs = [0.0, 3, 5, 10, 15, 20, 30]
        let groups = poolings.enumerated().map { k, name -> ScatterGroup in
            let rate = cs.map { max($0 * (0.95 - 0.05 * Double(k)), 0.2 + 0.3 * Double(k)) }
            let dist = rate.map { 92 - 1.4 * $0 - 2 * Double(k) + 0.012 * $0 * $0 }
            return ScatterGroup(name, x: rate, y: dist, labels: k == 0 || k == 3 ? cs.map { "C=\(Int($0))" } : nil,
                                connect: .inGivenOrder, marker: Marker.allCases[k])
        }
        return ScatterChart(title: "Rate–distortion by KL target C", x: Axis(label: "rate: KL (nats)"),
                            y: Axis(label: "distortion: −log p(x|z) (nats)"), groups: groups, pointRadius: 4, opacity: 0.9)
    }

    static func scatterLatents(points: Int = 10_000) -> ScatterChart {
        var rng = TestRNG(seed: 3)
        var a = ScatterGroup("group A", x: [], y: []), b = ScatterGroup("group B", x: [], y: [])
        for _ in 0..<points {
            if rng.uniform() < 0.5 { a.x.append(rng.normal()); a.y.append(rng.normal()) } else {
                b.x.append(rng.normal() + 1); b.y.append(rng.normal())
            }
        }
        return ScatterChart(title: "scatter: 10,000 points", x: Axis(label: "z1"), y: Axis(label: "z2"), groups: [a, b],
                            pointRadius: 1.4, opacity: 0.5, legend: .upperRight)
    }

    static func barActiveUnits() -> BarChart {
        let cs = ["C = 0", "C = 5", "C = 15", "C = 30"]
        let series = cs.enumerated().map { j, c in
            BarSeries(c, values: (0..<4).map { k in Double(min(32, 2 + j * 6 + k * 3 + (k == 0 ? 0 : 1))) })
        }
        return BarChart(title: "Active units (Cov_x E[z|x] > 0.01) of 32", categories: poolings, series: series,
                        categoryLabel: "encoder pooling", value: Axis(label: "active units"))
    }

    static func barPerDimKL() -> BarChart {
        var rng = TestRNG(seed: 11)
        let dims = (0..<16).map { "z\($0)" }
        let s = ["max, C=15", "last, C=15"].enumerated().map { j, n in
            BarSeries(n, values: (0..<16).map { d in max(0, (j == 0 ? 1.2 : 0.4) * exp(-Double(d) / 5) + rng.uniform() * 0.1) })
        }
        return BarChart(title: "Per-dimension KL", categories: dims, series: s, orientation: .horizontal,
                        categoryLabel: "latent dimension", value: Axis(label: "KL (nats)"))
    }

    static func heatmapKL() -> Heatmap {
        var rng = TestRNG(seed: 5)
        let runs = poolings.flatMap { p in ["C=5", "C=15"].map { "\(p) \($0)" } }
        let values = runs.indices.map { r in (0..<32).map { d in max(0, (0.2 + Double(r) * 0.15) * exp(-Double(d) / (3 + Double(r))) + rng.uniform() * 0.05) } }
        return Heatmap(title: "Per-dimension KL across runs", values: values, rowLabels: runs, columnLabels: (0..<32).map { "\($0)" },
                       xLabel: "latent dimension", yLabel: "run", colorBarLabel: "KL (nats)")
    }

    static func heatmapCosine() -> Heatmap {
        let n = poolings.count
        let v: [[Double]] = (0..<n).map { i in (0..<n).map { j -> Double in i == j ? 1.0 : 0.9 - 0.22 * Double(abs(i - j)) } }
        return Heatmap(title: "Mean cosine similarity of posterior means", values: v, rowLabels: poolings, columnLabels: poolings,
                       colorBarLabel: "cosine", range: 0...1, annotate: true)
    }

    static func histogramCosine() -> HistogramChart {
        var rng = TestRNG(seed: 9)
        let centres = [0.92, 0.55, 0.2]
        let s = zip(["last", "mean", "max"], centres).map { name, c in
            HistogramSeries(name, sample: (0..<5000).map { _ in min(1, max(-1, c + rng.normal() * 0.12)) })
        }
        return HistogramChart(title: "Pairwise cosine of posterior means (5,000 pairs each)", x: Axis(label: "cosine similarity"),
                              series: s)
    }

    static func smallMultiples() -> SmallMultiples {
        let panels = poolings.enumerated().map { k, name -> Chart in
            let s = (0..<3).map { seed in LineSeries("seed \(seed)", y: klCurve(pooling: k, seed: UInt64(seed), steps: 800), smoothing: 0.9) }
            return .line(LineChart(title: "pooling = \(name)", series: s))
        }
        return SmallMultiples(title: "KL over training, one panel per pooling", panels: panels, columns: 2,
                              x: Axis(label: "training step"), y: Axis(label: "KL (nats)"))
    }

    static func badInput() -> LineChart {
        LineChart(title: "Bad input: NaN, ±∞, a lone point, ≤ 0 on a log axis — ünïcödé λ ≥ ∂",
                  x: Axis(label: "step"), y: Axis(label: "loss", scale: .log10),
                  series: [LineSeries("with gaps", y: [3, 2, .nan, 1.5, 1.2, .infinity, 0.9, 0.8, -1, 0.7]),
                           LineSeries("lone point", x: [4], y: [5]),
                           LineSeries("empty", y: [])])
    }

    /// Every gallery chart with its file stem.
    static var all: [(String, Chart)] {
        [("line_kl_poolings", .line(lineKL())), ("line_log_perplexity", .line(lineLogPerplexity())),
         ("line_100k_points", .line(lineLong())), ("scatter_rate_distortion", .scatter(scatterRateDistortion())),
         ("scatter_10k_points", .scatter(scatterLatents())), ("bar_active_units", .bar(barActiveUnits())),
         ("bar_per_dim_kl_horizontal", .bar(barPerDimKL())), ("heatmap_kl_per_dim", .heatmap(heatmapKL())),
         ("heatmap_cosine", .heatmap(heatmapCosine())), ("histogram_cosine", .histogram(histogramCosine())),
         ("small_multiples_kl", .smallMultiples(smallMultiples())), ("bad_input", .line(badInput()))]
    }
}
