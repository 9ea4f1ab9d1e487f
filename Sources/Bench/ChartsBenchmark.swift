import Charts
import Foundation
import Tensor

/// `vaescope bench charts`: the workload of ../shared/bench/charts_ref.py (matplotlib Agg, 1200×800 px):
/// line charts of 4 random walks × 2,000 points with title, axis labels, grid and legend, and scatter plots
/// of 10,000 standard-normal points in two groups (the second shifted by +1 in x) at opacity 0.5, each
/// written as a PNG file. The time per chart runs from building the chart value to the file written; the
/// first chart of the run is excluded (cold caches, font loading), as in the reference. With `repetitions`
/// > 1 the same charts are drawn again and every chart's time counts toward the medians.
public struct ChartsBenchmark {
    public var lineCharts: Int
    public var scatterCharts: Int
    public var outputDirectory: URL
    public var size: RenderSize
    /// The whole set is drawn this many times (the same charts each time); the medians pool every chart.
    public var repetitions: Int

    public init(lineCharts: Int = 50, scatterCharts: Int = 50, outputDirectory: URL,
                size: RenderSize = RenderSize(width: 1200, height: 800), repetitions: Int = 1) {
        self.lineCharts = lineCharts; self.scatterCharts = scatterCharts
        self.outputDirectory = outputDirectory; self.size = size; self.repetitions = max(1, repetitions)
    }

    /// Timings of one kind of chart, in seconds.
    public struct Result: Sendable {
        public var kind: String
        public var seconds: [Double]
        /// Process CPU seconds per chart (comparable with the reference's cpu_median_s on a busy machine).
        public var cpuSeconds: [Double]
        public var meanBytes: Int
        public var median: Double { Result.median(seconds) }
        public var cpuMedian: Double { Result.median(cpuSeconds) }
        static func median(_ xs: [Double]) -> Double {
            let s = xs.sorted()
            guard !s.isEmpty else { return .nan }
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        public var mean: Double { seconds.isEmpty ? .nan : seconds.reduce(0, +) / Double(seconds.count) }
        public var min: Double { seconds.min() ?? .nan }
        public var max: Double { seconds.max() ?? .nan }
    }

    public func run() throws -> [Result] {
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 1)
        // Cold first chart: not counted.
        try ChartsBenchmark.lineChart(&rng).writePNG(to: outputDirectory.appendingPathComponent("cold_first.png"), size: size)
        var results: [Result] = []
        for (kind, n) in [("line", lineCharts), ("scatter", scatterCharts)] where n > 0 {
            var times: [Double] = [], cpu: [Double] = [], bytes = 0
            for _ in 0..<repetitions {
                var rng = SplitMix64(seed: kind == "line" ? 1 : 2)
                for i in 0..<n {
                    let url = outputDirectory.appendingPathComponent(String(format: "%@_%03d.png", kind, i))
                    let t0 = DispatchTime.now().uptimeNanoseconds, c0 = clock()
                    let chart: Chart = kind == "line" ? .line(ChartsBenchmark.lineChart(&rng)) : .scatter(ChartsBenchmark.scatterChart(&rng))
                    let png = try chart.png(size: size)
                    try png.write(to: url)
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                    cpu.append(Double(clock() - c0) / Double(CLOCKS_PER_SEC))
                    bytes += png.count
                }
            }
            results.append(Result(kind: kind, seconds: times, cpuSeconds: cpu, meanBytes: bytes / max(times.count, 1)))
        }
        return results
    }

    static func lineChart(_ rng: inout SplitMix64) -> LineChart {
        let series = (0..<4).map { i -> LineSeries in
            var v = 0.0
            return LineSeries("series \(i + 1)", y: (0..<2000).map { _ in v += rng.nextGaussian(); return v })
        }
        return LineChart(title: "line chart: 4 x 2000 points", x: Axis(label: "step"), y: Axis(label: "value"),
                         series: series, legend: .upperLeft)
    }

    static func scatterChart(_ rng: inout SplitMix64) -> ScatterChart {
        var a = ScatterGroup("group A", x: [], y: []), b = ScatterGroup("group B", x: [], y: [])
        a.x.reserveCapacity(5100); a.y.reserveCapacity(5100); b.x.reserveCapacity(5100); b.y.reserveCapacity(5100)
        for _ in 0..<10_000 {
            let x = rng.nextGaussian(), y = rng.nextGaussian()
            if rng.nextUniform() < 0.5 { a.x.append(x); a.y.append(y) } else { b.x.append(x + 1); b.y.append(y) }
        }
        // matplotlib's s=4 (pt²) at 150 dpi is a disc of diameter 2 pt ≈ 4.2 px.
        return ScatterChart(title: "scatter: 10,000 points", x: Axis(label: "z1"), y: Axis(label: "z2"), groups: [a, b],
                            pointRadius: 2.1, opacity: 0.5, legend: .upperRight)
    }
}
