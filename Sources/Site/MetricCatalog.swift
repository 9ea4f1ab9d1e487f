import Metrics

/// One labelled metric value of a run as the site shows it: the Metrics module's name and variant, plus
/// the decoding scheme for generation metrics.
public struct SiteMetric: Sendable, Equatable {
    /// Short name as in the papers: "Rate", "AU", "BLEU-4", "Self-BLEU-4", "IW-NLL".
    public var name: String
    public var variant: Variant
    /// "all" or a source-length bucket ("≤10", "11–20", "21–30", ">30").
    public var bucket: String
    /// Decoding scheme ("greedy", "top-k k=5") for generation metrics; "" otherwise.
    public var scheme: String
    /// nil when undefined (the note says why).
    public var value: Double?
    public var note: String?

    public init(name: String, variant: Variant, bucket: String = "all", scheme: String = "", value: Double?,
                note: String? = nil) {
        self.name = name
        self.variant = variant
        self.bucket = bucket
        self.scheme = scheme
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
        self.note = note
    }
}

/// The metric names a report spec may use, each mapped to the Metrics module's name and a default variant.
///
/// `bleu2` means "BLEU-2" exactly as Prokhorov et al. 2019's code computes it (tensorflow/nmt `compute_bleu`),
/// `rouge2` their `rouge.py` ROUGE-2, unless a spec column gives `variant:` (a substring of the variant id, e.g.
/// `sacrebleu`, `unsmoothed`, `.set`).
public enum MetricCatalog {
    public struct Entry: Sendable {
        public var key: String
        public var name: String
        /// Substring of the default variant's id ("" = the first value with that name).
        public var defaultVariant: String
        /// Column label in tables.
        public var label: String
        /// Whether the metric exists per decoding scheme (generation metrics).
        public var perScheme: Bool
    }

    public static let entries: [Entry] = [
        Entry(key: "rate", name: "Rate", defaultVariant: "", label: "R", perScheme: false),
        Entry(key: "kl", name: "Rate", defaultVariant: "", label: "KL", perScheme: false),
        Entry(key: "distortion", name: "Distortion", defaultVariant: "", label: "D", perScheme: false),
        Entry(key: "iwNLL", name: "IW-NLL", defaultVariant: "", label: "NLL", perScheme: false),
        Entry(key: "perplexity", name: "IW perplexity", defaultVariant: "", label: "PPL", perScheme: false),
        Entry(key: "elbo", name: "ELBO", defaultVariant: "", label: "ELBO", perScheme: false),
        Entry(key: "activeUnits", name: "AU", defaultVariant: "", label: "AU", perScheme: false),
        Entry(key: "logDetCov", name: "LogDetCov", defaultVariant: "", label: "LogDetCov", perScheme: false),
        Entry(key: "meanNormSquared", name: "‖μ‖²", defaultVariant: "", label: "‖μ‖²", perScheme: false),
        Entry(key: "aggregateKL", name: "KL(q(z)‖p(z))", defaultVariant: "gaussian", label: "KL(q(z)‖p(z))", perScheme: false),
        Entry(key: "mutualInformation", name: "MI", defaultVariant: "mi.full-split", label: "MI", perScheme: false),
        Entry(key: "meanCosine", name: "Mean cosine", defaultVariant: "", label: "cos", perScheme: false),
        Entry(key: "bleu2", name: "BLEU-2", defaultVariant: "prokhorov-nmt", label: "BLEU-2", perScheme: false),
        Entry(key: "bleu4", name: "BLEU-4", defaultVariant: "prokhorov-nmt", label: "BLEU-4", perScheme: false),
        Entry(key: "rouge2", name: "ROUGE-2 F1", defaultVariant: ".prokhorov", label: "ROUGE-2", perScheme: false),
        Entry(key: "rouge4", name: "ROUGE-4 F1", defaultVariant: ".prokhorov", label: "ROUGE-4", perScheme: false),
        Entry(key: "rougeL", name: "ROUGE-L F1", defaultVariant: "whitespace", label: "ROUGE-L", perScheme: false),
        Entry(key: "updates", name: "Updates", defaultVariant: "", label: "updates", perScheme: false),
        Entry(key: "trainingHours", name: "Training time", defaultVariant: "", label: "hours", perScheme: false),
        Entry(key: "selfBLEU", name: "Self-BLEU-4", defaultVariant: "", label: "self-BLEU", perScheme: true),
        Entry(key: "vocabularySize", name: "Vocabulary", defaultVariant: "", label: "|V|", perScheme: true),
        Entry(key: "unkPercent", name: "%<unk>", defaultVariant: "", label: "%unk", perScheme: true),
        Entry(key: "meanLength", name: "Mean length", defaultVariant: "", label: "len", perScheme: true),
        Entry(key: "fce", name: "FCE", defaultVariant: "", label: "FCE", perScheme: true),
        Entry(key: "dimsSignal", name: "Dims signal", defaultVariant: "", label: "dims signal", perScheme: false),
        Entry(key: "dimsTooNoisy", name: "Dims tooNoisy", defaultVariant: "", label: "dims too noisy", perScheme: false),
    ]

    public static func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }
    public static var keys: [String] { entries.map(\.key) }

    /// The variant of a cached id: a fixed one, or one whose id carries its parameter (the IW-NLL's K, the
    /// MI's subsample), whose label is rebuilt from it.
    static func variant(id: String) -> Variant {
        if let v = variants[id] { return v }
        if id.hasPrefix(StoredResults.iwNLL.id + ".k"), let k = Int(id.dropFirst(StoredResults.iwNLL.id.count + 2)) {
            return StoredResults.iwNLL(samples: k)
        }
        let sub = Variant.mutualInformationMixture.id + ".subsample-"
        if id.hasPrefix(sub) {
            let parts = id.dropFirst(sub.count).split(separator: "-")
            if parts.count == 3, let m = Int(parts[0]), parts[1] == "of", let n = Int(parts[2]) {
                return .mutualInformationMixtureSubsample(m, of: n)
            }
        }
        return Variant(id: id, label: id, source: "")
    }

    /// Every variant the Site may read back from the metrics cache, by id (labels are not stored there).
    static let variants: [String: Variant] = {
        var all: [Variant] = [.rate, .distortion, .logDetCovariance, .meanSquaredNorm, .aggregateKLGaussian,
                              .aggregateKLRateMinusMI, .mutualInformationMixture, .meanPairwiseCosine,
                              .rougeLWhitespace, .rougeLScore, .vocabularySize, .unknownPercent, .meanLength,
                              .activeUnits(threshold: 0.01), .selfBLEU(4)]
        for n in [2, 4] {
            all += [.bleuCorpusProkhorov(n), .rougeNProkhorov(n), .bleuCorpusUnsmoothed(n), .bleuCorpusSacreBLEU(n), .bleuSentenceMeanNLTK1(n), .rougeNSet(n),
                    .rougeNScore(n)]
        }
        all += DimensionState.allCases.map { Variant.dimensionState($0) }
        all += StoredResults.variants
        var byID: [String: Variant] = [:]
        for v in all { byID[v.id] = v }
        return byID
    }()
}

/// Values the evaluation stored as `eval.*` scalars (IW-NLL, distortion, …), with their labels.
enum StoredResults {
    static let iwNLL = Variant(id: "stored.iw-nll", label: "IW-NLL, per-sentence mean, importance-weighted (K samples)",
                               source: "Burda et al. 2016; He et al. 2019 (vaescope eval)")
    /// The IW-NLL with the K the evaluation used (its `eval.iwSamples`); K = 0 is the exact NLL of a model
    /// without z.
    static func iwNLL(samples k: Int) -> Variant {
        Variant(id: "\(iwNLL.id).k\(k)",
                label: k == 0 ? "NLL, per-sentence mean, exact (language model: no z)"
                              : "IW-NLL, per-sentence mean, importance-weighted, K = \(k)",
                source: iwNLL.source)
    }
    static let perplexity = Variant(id: "stored.iw-ppl", label: "Perplexity exp(Σ IW-NLL / Σ tokens incl. <eos>)",
                                    source: "vaescope eval")
    static let elbo = Variant(id: "stored.elbo", label: "ELBO, per-sentence mean, nats", source: "vaescope eval")
    static let distortion = Variant(id: "distortion", label: "Distortion, mean reconstruction NLL, nats",
                                    source: "Alemi et al. 2018 (vaescope eval)")
    static let miMinibatch = Variant(id: "stored.mi.minibatch", label: "MI, He et al. 2019 minibatch estimator",
                                     source: "He et al. 2019 calc_mi (vaescope eval)")
    static let fce = Variant(id: "stored.fce", label: "Forward cross-entropy: LM trained on generations, NLL on test",
                             source: "Prokhorov et al. 2019 Table 3 (vaescope eval --fce)")
    static let miFullSplit = Variant(id: "stored.mi.full-split", label: "MI, full-split mixture estimator (stored by the evaluation)",
                                     source: "He et al. 2019 calc_mi over the whole split (vaescope eval)")
    /// Scalar key of the full-split MI the evaluation stores (used instead of recomputing it).
    static let miFullSplitKey = "eval.mi.mixture"
    static let updates = Variant(id: "train.updates", label: "Parameter updates: optimiser steps plus aggressive encoder-only steps",
                                 source: "the trainer's `updates` scalar (step count when the run had no aggressive phase)")
    static let trainingHours = Variant(id: "train.hours", label: "Training wall time, hours (validation excluded)",
                                       source: "the trainer's `train_seconds` scalar")
    static var variants: [Variant] { [iwNLL, perplexity, elbo, distortion, miMinibatch, miFullSplit, fce, updates, trainingHours] }

    /// (scalar key, metric name, variant) read from the evaluated split's scalars.
    static let scalars: [(key: String, name: String, variant: Variant)] = [
        ("eval.iwNLL", "IW-NLL", iwNLL), ("eval.iwPerplexity", "IW perplexity", perplexity),
        ("eval.elbo", "ELBO", elbo), ("eval.distortion", "Distortion", distortion),
        ("eval.mi.minibatch", "MI", miMinibatch),
    ]
}

/// How metric values are printed: counts as integers, everything else with `NumberFormat.auto`.
enum MetricFormat {
    static func isCount(_ m: SiteMetric) -> Bool {
        m.variant.id.hasPrefix("au.") || m.variant.id.hasPrefix("dims.") || m.variant.id == "corpus.vocabulary"
    }

    static func text(_ m: SiteMetric) -> String {
        guard let v = m.value else { return "—" }
        return isCount(m) && v == v.rounded() && abs(v) < 1e12 ? String(Int64(v)) : NumberFormat.auto(v)
    }

    static func cell(_ m: SiteMetric?) -> SiteTable.Cell {
        guard let m, let v = m.value else { return .text("—") }
        return SiteTable.Cell(text: text(m), number: v)
    }
}
