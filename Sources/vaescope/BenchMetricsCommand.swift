import ArgumentParser
import Bench

/// `vaescope bench metrics [--pairs FILE]`: times BLEU-2/4 and ROUGE-2/4/L by bucket on 10,000 pairs and the
/// latent metrics on 10,000 × 64 latents with 512-dimensional features; prints one JSON line per measurement.
struct BenchMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Time the text and latent metrics; --reference adds Python reference timings (sacrebleu, rouge-score, NumPy) measured on the same pairs."
    )

    @Option(help: "TSV of reference<TAB>hypothesis pairs (gen_pairs.py format); default: 10,000 generated pairs.")
    var pairs: String?
    @Option(help: "Pairs to generate when --pairs is not given.") var count = 10_000
    @Option(help: "N latents.") var latentN = 10_000
    @Option(help: "d, latent dimension.") var latentD = 64
    @Option(help: "D, feature dimension of h.") var featureD = 512
    @Option(help: "Minimum repeats per measurement (median reported).") var repeats = 5
    @Option(help: "Seed of the generated inputs.") var seed: UInt64 = 1234
    @Option(help: ArgumentHelp("JSON lines of metrics_ref.py / scripts/latent_ref.py run on the same pairs; repeatable.",
                               discussion: "Prints a side-by-side table with ratios (reference ÷ VAEScope)."))
    var reference: [String] = []

    func validate() throws {
        guard count > 0, latentN > 1, latentD > 0, featureD > 0, repeats > 0 else {
            throw ValidationError("--count, --latent-n (> 1), --latent-d, --feature-d and --repeats must be positive")
        }
    }

    func run() throws {
        var o = MetricsBenchmark.Options()
        o.pairsPath = pairs
        o.pairs = count
        o.latentCount = latentN
        o.latentDimension = latentD
        o.featureDimension = featureD
        o.repeats = repeats
        o.seed = seed
        let measured = try MetricsBenchmark(options: o).run { print($0) }
        guard !reference.isEmpty else { return }
        var lines: [String] = []
        for path in reference {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read --reference \(path)")
            }
            lines += text.split(separator: "\n").map(String.init)
        }
        print(MetricsComparison.table(measured, referenceLines: lines, latentDimension: latentD, featureDimension: featureD))
    }
}
