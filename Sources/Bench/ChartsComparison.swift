import Foundation

/// The side-by-side table of `vaescope bench charts --reference FILE`: VAEScope's per-chart medians against
/// matplotlib's (the JSON lines of /work/shared/bench/charts_ref.py, modes "line" and "scatter", run on the
/// same machine in the same session). Ratios are matplotlib ÷ VAEScope, in wall and in process-CPU seconds
/// (the CPU ratio is the steadier one on a shared machine). The bar of issue 6 is ≥ 10× per chart.
public enum ChartsComparison {
    struct Reference: Equatable { var mode: String; var median: Double; var cpuMedian: Double; var charts: Int }

    /// Parses charts_ref.py output (other lines, e.g. its "import" and "cold_first_line_chart" records or
    /// progress text, are skipped). With several lines for a mode (several runs pasted together), the median
    /// of their medians is used.
    static func parse(_ lines: [String]) -> [String: Reference] {
        var byMode: [String: [Reference]] = [:]
        for line in lines {
            guard let data = line.data(using: .utf8),
                  let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                  (o["bench"] as? String) == "charts_ref", let mode = o["mode"] as? String,
                  let m = (o["median_s"] as? NSNumber)?.doubleValue else { continue }
            byMode[mode, default: []].append(Reference(mode: mode, median: m,
                                                       cpuMedian: (o["cpu_median_s"] as? NSNumber)?.doubleValue ?? .nan,
                                                       charts: (o["charts"] as? Int) ?? 0))
        }
        return byMode.mapValues { rs in
            Reference(mode: rs[0].mode, median: ChartsBenchmark.Result.median(rs.map(\.median)),
                      cpuMedian: ChartsBenchmark.Result.median(rs.map(\.cpuMedian)), charts: rs.reduce(0) { $0 + $1.charts })
        }
    }

    /// A Markdown table, one row per chart kind measured here that has a reference.
    public static func table(_ mine: [ChartsBenchmark.Result], referenceLines: [String]) -> String {
        let refs = parse(referenceLines)
        var out = "| chart | VAEScope wall s | VAEScope CPU s | matplotlib wall s | matplotlib CPU s | ratio wall | ratio CPU |\n"
        out += "|---|---|---|---|---|---|---|\n"
        for r in mine {
            guard let ref = refs[r.kind] else { continue }
            out += "| \(r.kind) (\(r.seconds.count) vs \(ref.charts) charts) | \(String(format: "%.4f", r.median)) | "
                + "\(String(format: "%.4f", r.cpuMedian)) | \(String(format: "%.4f", ref.median)) | \(String(format: "%.4f", ref.cpuMedian)) | "
                + "\(String(format: "%.1f×", ref.median / r.median)) | \(String(format: "%.1f×", ref.cpuMedian / r.cpuMedian)) |\n"
        }
        return out
    }
}
