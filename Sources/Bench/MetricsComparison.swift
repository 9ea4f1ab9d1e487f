import Foundation

/// The side-by-side table of `vaescope bench metrics --reference FILE…`: VAEScope's medians against the Python
/// references' (JSON lines of /work/shared/bench/metrics_ref.py and scripts/latent_ref.py, run on the same
/// pairs file in the same session). Ratios are reference ÷ VAEScope, in wall and in process-CPU seconds (the
/// CPU ratio is the steadier one on a shared machine).
public enum MetricsComparison {
    struct Reference { var metric: String; var seconds: Double; var cpu: Double; var fields: [String: Any] }

    /// Parses reference JSON lines (unparsable lines are skipped).
    static func parse(_ lines: [String]) -> [Reference] {
        lines.compactMap { line in
            guard let data = line.data(using: .utf8),
                  let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
                  let metric = o["metric"] as? String,
                  let s = (o["seconds"] as? NSNumber)?.doubleValue else { return nil }
            return Reference(metric: metric, seconds: s, cpu: (o["cpu_seconds"] as? NSNumber)?.doubleValue ?? .nan,
                             fields: o)
        }
    }

    /// The table, one row per VAEScope measurement that has a reference.
    public static func table(_ mine: [MetricsBenchmark.Measurement], referenceLines: [String],
                             latentDimension: Int, featureDimension: Int) -> String {
        let refs = parse(referenceLines)
        func dim(_ r: Reference) -> Int? {
            (r.fields["d"] as? Int) ?? (r.fields["D"] as? Int)
        }
        func pick(_ metric: String, tokenize: String? = nil, dimension: Int? = nil) -> Reference? {
            refs.first { r in
                r.metric == metric && (tokenize == nil || (r.fields["tokenize"] as? String) == tokenize)
                    && ((r.fields["blas_threads"] as? Int) ?? 1) == 1 && (dimension == nil || dim(r) == dimension)
            }
        }
        func sum(_ rs: [Reference?], _ label: String) -> (String, Double, Double)? {
            let found = rs.compactMap { $0 }
            guard found.count == rs.count, !found.isEmpty else { return nil }
            return (label, found.reduce(0) { $0 + $1.seconds }, found.reduce(0) { $0 + $1.cpu })
        }
        let bleu = sum([pick("sacrebleu_corpus_bleu2", tokenize: "none"), pick("sacrebleu_corpus_bleu4", tokenize: "none")],
                       "sacrebleu BLEU-2 + BLEU-4, tokenize=none")
        let rouge = sum([pick("rouge_score_rouge2_f1"), pick("rouge_score_rouge4_f1"), pick("rouge_score_rougeL_f1")],
                        "rouge-score ROUGE-2 + ROUGE-4 + ROUGE-L")
        let both = bleu.flatMap { b in rouge.map { r in ("sacrebleu + rouge-score (the five)", b.1 + r.1, b.2 + r.2) } }
        func one(_ r: Reference?, _ label: String) -> (String, Double, Double)? { r.map { (label, $0.seconds, $0.cpu) } }
        let d = latentDimension, dh = featureDimension
        let latentRef = refs.filter { ($0.fields["bench"] as? String) == "latent_ref" }
        func latent(_ metric: String) -> Reference? { latentRef.first { $0.metric == metric } }
        let cosineRefs = refs.filter { $0.metric.hasPrefix("mean_pairwise_cosine") && dim($0) == dh
            && ($0.fields["bench"] as? String) == "metrics_ref" && (($0.fields["blas_threads"] as? Int) ?? 1) == 1 }
        let rows: [(String, (String, Double, Double)?)] = [
            ("text_all_metrics_by_bucket", both),
            ("bleu2_bleu4_corpus_sacrebleu_none", bleu),
            ("rouge_score_r2_r4_rL_f1", rouge),
            ("active_units_\(mine.first { $0.name.hasPrefix("active_units") }?.name.split(separator: "_").last ?? "")",
             one(latent("active_units") ?? pick("active_units", dimension: d), "NumPy var(ddof=1) ≥ 0.01")),
            ("logdet_cov", one(latent("logdet_cov_cholesky") ?? pick("logdet_cov", dimension: d), "NumPy cov + Cholesky")),
            ("gaussian_kl_to_std_normal", one(pick("gaussian_kl_to_std_normal", dimension: d), "NumPy cov + Cholesky KL")),
            ("mi_full_split", one(latent("mi_full_split"), "NumPy GEMM + logsumexp (scripts/latent_ref.py)")),
            ("mean_pairwise_cosine", one(cosineRefs.first { $0.metric.hasSuffix("closed_form") }, "NumPy closed form")),
            ("mean_pairwise_cosine", one(cosineRefs.first { $0.metric.hasSuffix("matmul") }, "NumPy N×N Gram matrix")),
        ]
        var out = "| VAEScope measurement | wall s | CPU s | reference | wall s | CPU s | ratio wall | ratio CPU |\n"
        out += "|---|---|---|---|---|---|---|---|\n"
        for (prefix, ref) in rows {
            guard let ref, let m = mine.first(where: { $0.name.hasPrefix(prefix) }) else { continue }
            out += "| \(m.name) | \(fmt(m.seconds)) | \(fmt(m.cpuSeconds)) | \(ref.0) | \(fmt(ref.1)) | \(fmt(ref.2)) | "
                + "\(String(format: "%.1f×", ref.1 / m.seconds)) | \(String(format: "%.1f×", ref.2 / m.cpuSeconds)) |\n"
        }
        return out
    }
}
