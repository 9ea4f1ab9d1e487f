import Foundation

/// What the comparison page (`compare.html`) reads of one run: `runs/SLUG/data.js`, a script that hands the
/// run's configuration, key metrics and downsampled curves to the page (a script file, not JSON fetched, so
/// the page works from file://). Also each run's curves as CSV (`runs/SLUG/curves.csv`: split, key, step, value).
enum CompareData {
    /// Curves drawn on the comparison page, each at most `maxPoints` points.
    static let curves: [(keys: [String], split: String, name: String)] = [
        (ScalarKeys.kl, "valid", "KL (valid)"), (ScalarKeys.reconstruction, "valid", "reconstruction (valid)"),
        (ScalarKeys.activeUnits, "valid", "active units (valid)"), (ScalarKeys.mi, "valid", "MI (valid)"),
        (ScalarKeys.cosine, "valid", "mean pairwise cosine (valid)"), (ScalarKeys.loss, "train", "loss (train)"),
        (ScalarKeys.kl, "train", "KL (train)"),
    ]
    static let maxPoints = 300

    /// The `data.js` text of a run: `VAESCOPE_RUN({...})`, the JSON made safe inside a script.
    static func script(_ r: LoadedRun) -> String {
        var config: [String: String] = [:]
        for k in RunPageBuilder.displayKeys(r.data.config) { config[k] = r.appliedConfigValue(k).description }
        let split = r.metrics.split
        var metrics: [[String]] = IndexBuilder.keyMetrics.map { m in
            let value = r.metrics.value(m.key)
            let label = value.map { "\(m.header) (\(split)) — \($0.variant.label)" } ?? "\(m.header) (\(split))"
            return [label, IndexBuilder.cell(m, r).text]
        }
        metrics.append(["KL (valid, last)", IndexBuilder.lastValidation(ScalarKeys.kl, r).text])
        metrics.append(["AU (valid, last)", IndexBuilder.lastValidation(ScalarKeys.activeUnits, r).text])
        var curveObjects: [[String: Any]] = []
        for c in curves {
            guard let s = r.series(c.keys, split: c.split), !s.values.isEmpty else { continue }
            let every = max(1, s.values.count / maxPoints)
            let idx = Array(stride(from: 0, to: s.values.count, by: every)) + (s.values.count % every == 1 || every == 1 ? [] : [s.values.count - 1])
            curveObjects.append(["name": c.name, "x": idx.map { Double(s.steps[$0]) },
                                 "y": idx.map { s.values[$0].isFinite ? s.values[$0] : 0 }])
        }
        let object: [String: Any] = ["slug": r.slug, "name": r.name, "status": r.data.status, "config": config,
                                     "metrics": metrics, "curves": curveObjects]
        let json = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return "VAESCOPE_RUN(" + Escape.scriptSafeJSON(String(decoding: json, as: UTF8.self)) + ");\n"
    }

    /// Every scalar series of the run: `split,key,step,value` (full precision; NaN empty).
    static func curvesCSV(_ r: LoadedRun) -> String {
        var lines = ["split,key,step,value"]
        for s in r.data.scalars {
            for (step, v) in zip(s.steps, s.values) {
                lines.append("\(Escape.csv(s.split)),\(Escape.csv(s.key)),\(step),\(NumberFormat.full(v))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Escape {
    /// JSON text made safe inside an HTML `<script>`: `<`, `>`, `&`, U+2028 and U+2029 become `\uXXXX` (they
    /// can only occur inside JSON strings, where the escapes mean the same characters).
    static func scriptSafeJSON(_ json: String) -> String {
        var out = ""
        for c in json.unicodeScalars {
            switch c {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

public struct ComparePage: Sendable {
    public var chrome: PageChrome
    /// Slugs chosen by `report --compare`, comma-separated ("" = none: the page asks to choose on the index).
    public var defaultSelection: String
    public var runCount: Int
}
