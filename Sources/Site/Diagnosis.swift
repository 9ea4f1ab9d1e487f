import Metrics

/// The collapse diagnosis of a run in words and numbers.
///
/// Verdict from the per-dimension states (see `Metrics.DimensionState`): **collapsed** when no dimension
/// carries signal; **partly collapsed** when some do but fewer than half; **healthy** when at least half do.
/// Without saved latents the verdict is "unknown".
enum Diagnosis {
    static func stateWords(_ s: DimensionState) -> String {
        switch s {
        case .signal: return "carries signal"
        case .collapsedToPrior: return "collapsed to the prior"
        case .tooWeak: return "too weak"
        case .tooNoisy: return "too noisy"
        }
    }

    static func describe(_ run: LoadedRun) -> (verdict: String, cssClass: String, lines: [String]) {
        let dims = run.metrics.dimensions
        guard !dims.isEmpty else {
            return ("unknown", "unknown", ["No latents were saved for the \(run.data.split) split, so the dimensions cannot be diagnosed (run `vaescope eval`)."])
        }
        let count: (DimensionState) -> Int = { s in dims.filter { $0.state == s }.count }
        let signal = count(.signal), d = dims.count
        let verdict: String, css: String
        if signal == 0 { verdict = "collapsed"; css = "collapsed" } else if 2 * signal < d { verdict = "partly collapsed"; css = "partly" } else { verdict = "healthy"; css = "healthy" }
        var lines: [String] = []
        var numbers: [String] = []
        if let r = run.metrics.value("rate")?.value { numbers.append("rate \(NumberFormat.auto(r)) nats") }
        if let au = run.metrics.value("activeUnits")?.value { numbers.append("AU \(Int(au)) of \(d)") }
        if let mi = run.metrics.value("mutualInformation")?.value { numbers.append("MI \(NumberFormat.auto(mi)) nats") }
        if !numbers.isEmpty { lines.append(numbers.joined(separator: ", ").capitalizedFirst + ".") }
        lines.append("\(signal) of \(d) dimensions carry signal; \(count(.collapsedToPrior)) collapsed to the prior, \(count(.tooWeak)) too weak (constant away from the prior), \(count(.tooNoisy)) too noisy (Var_x μ_d below E σ_d²).")
        let noisy = dims.filter { $0.state == .tooNoisy }.map { "z\($0.dimension)" }
        if !noisy.isEmpty { lines.append("Too noisy: " + noisy.joined(separator: ", ") + ".") }
        let carrying = dims.filter { $0.state == .signal }.map { "z\($0.dimension)" }
        if !carrying.isEmpty { lines.append("Carrying signal: " + carrying.joined(separator: ", ") + ".") }
        return (verdict, css, lines)
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
