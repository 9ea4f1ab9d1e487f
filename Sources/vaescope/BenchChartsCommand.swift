import ArgumentParser
import Bench
import Charts
import Foundation

/// `vaescope bench charts [--out DIR]`: PNG line and scatter charts per second, the workload of
/// ../shared/bench/charts_ref.py (compare with its median_s).
struct BenchChartsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charts",
        abstract: "Time 1200×800 PNG line charts (4 × 2,000 points) and scatter plots (10,000 points)."
    )

    @Option(help: "Folder for the PNGs (default: a temporary folder, deleted afterwards).")
    var out: String?
    @Option(help: "Number of line charts.")
    var nLine = 50
    @Option(help: "Number of scatter charts.")
    var nScatter = 50

    func validate() throws {
        guard nLine >= 0, nScatter >= 0, nLine + nScatter > 0 else { throw ValidationError("--n-line and --n-scatter must be ≥ 0, not both 0") }
    }

    func run() throws {
        let dir = out.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("vaescope-bench-charts-\(ProcessInfo.processInfo.processIdentifier)")
        defer { if out == nil { try? FileManager.default.removeItem(at: dir) } }
        let results = try ChartsBenchmark(lineCharts: nLine, scatterCharts: nScatter, outputDirectory: dir).run()
        for r in results {
            print(String(format: "{\"bench\": \"charts\", \"mode\": \"%@\", \"charts\": %d, \"median_s\": %.5f, \"cpu_median_s\": %.5f, \"mean_s\": %.5f, "
                         + "\"min_s\": %.5f, \"max_s\": %.5f, \"mean_png_bytes\": %d, \"width_px\": 1200, \"height_px\": 800}",
                         r.kind, r.seconds.count, r.median, r.cpuMedian, r.mean, r.min, r.max, r.meanBytes))
        }
    }
}
