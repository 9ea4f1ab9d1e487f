import ArgumentParser
import Bench
import Charts
import Foundation

/// `vaescope bench charts [--out DIR] [--repetitions R] [--reference FILE]`: PNG line and scatter charts,
/// the workload of ../shared/bench/charts_ref.py; with `--reference` (that script's JSON lines, measured on
/// the same machine in the same session) also the side-by-side table with matplotlib ÷ VAEScope ratios.
struct BenchChartsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charts",
        abstract: "Time 1200×800 PNG line charts (4 × 2,000 points) and scatter plots (10,000 points).",
        discussion: "Prints one JSON line per chart kind (per-chart medians over every chart of every repetition)."
    )

    @Option(help: "Folder for the PNGs (default: a temporary folder, deleted afterwards).")
    var out: String?
    @Option(help: "Number of line charts.")
    var nLine = 50
    @Option(help: "Number of scatter charts.")
    var nScatter = 50
    @Option(help: "Draw the whole set this many times; the medians pool every chart.")
    var repetitions = 1
    @Option(help: ArgumentHelp("JSON lines printed by charts_ref.py (matplotlib), measured on this machine in this session.",
                               discussion: "Prints a side-by-side table with ratios (matplotlib ÷ VAEScope)."))
    var reference: [String] = []

    func validate() throws {
        guard nLine >= 0, nScatter >= 0, nLine + nScatter > 0 else { throw ValidationError("--n-line and --n-scatter must be ≥ 0, not both 0") }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be ≥ 1") }
    }

    func run() throws {
        var lines: [String] = []
        for path in reference {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read --reference \(path) (expected the JSON lines of charts_ref.py)")
            }
            lines += text.split(separator: "\n").map(String.init)
        }
        let dir = out.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("vaescope-bench-charts-\(ProcessInfo.processInfo.processIdentifier)")
        defer { if out == nil { try? FileManager.default.removeItem(at: dir) } }
        let results = try ChartsBenchmark(lineCharts: nLine, scatterCharts: nScatter, outputDirectory: dir, repetitions: repetitions).run()
        for r in results {
            print(String(format: "{\"bench\": \"charts\", \"mode\": \"%@\", \"charts\": %d, \"median_s\": %.5f, \"cpu_median_s\": %.5f, \"mean_s\": %.5f, "
                         + "\"min_s\": %.5f, \"max_s\": %.5f, \"mean_png_bytes\": %d, \"width_px\": 1200, \"height_px\": 800}",
                         r.kind, r.seconds.count, r.median, r.cpuMedian, r.mean, r.min, r.max, r.meanBytes))
        }
        guard !reference.isEmpty else { return }
        print(ChartsComparison.table(results, referenceLines: lines))
    }
}
