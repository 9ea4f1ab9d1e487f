/// One run after loading: its data (without the large latent arrays), its metrics, its slug, and the small
/// summaries of its latents the pages draw (the PCA projection of h).
public struct LoadedRun: Sendable {
    public var data: RunData
    public var metrics: RunMetricSet
    /// Whether the metrics came from the store's cache.
    public var metricsCached: Bool
    /// File-name stem of the run's page (unique within the site).
    public var slug: String
    /// The pooled encoder features projected on their first two principal components (subsampled).
    public var pca: PCAProjection?

    public init(data: RunData, metrics: RunMetricSet, metricsCached: Bool, slug: String, pca: PCAProjection?) {
        self.data = data
        self.metrics = metrics
        self.metricsCached = metricsCached
        self.slug = slug
        self.pca = pca
    }

    public var name: String { data.name }

    /// A config value by key (bare `pooling` or dotted `model.pooling`).
    public func config(_ key: String) -> ConfigValue? { data.config[key] }

    /// The first series among `keys` in `split` (aliases: trainers name things differently).
    public func series(_ keys: [String], split: String) -> ScalarSeries? {
        for k in keys { if let s = data.series(k, split: split) { return s } }
        return nil
    }
}

/// Scalar key aliases: the run store's suggested names first, then common spellings.
enum ScalarKeys {
    static let loss = ["loss"]
    static let reconstruction = ["reconstruction", "rec", "recon"]
    static let kl = ["kl", "KL"]
    static let target = ["C", "klTarget", "kl_target"]
    static let beta = ["beta", "β"]
    static let cosine = ["mean_pairwise_cosine", "meanPairwiseCosine", "cosine"]
    static let activeUnits = ["active_units", "activeUnits", "au", "AU"]
    static let mi = ["mi", "MI", "mutual_information"]

    /// The values a logged quantity can take, where it is bounded (bands of mean ± sd are clipped to them).
    static func limits(_ key: String) -> ClosedRange<Double>? {
        if cosine.contains(key) { return -1...1 }
        if kl.contains(key) || target.contains(key) || beta.contains(key) || activeUnits.contains(key) || reconstruction.contains(key) {
            return 0...Double.infinity
        }
        return nil
    }

    /// The x label of every curve: what a step counts.
    static let stepLabel = "training step (parameter updates)"

    /// Axis labels with units for the trainer's scalar keys (one catalogue for every figure); other keys as given.
    static let labels: [String: String] = [
        "loss": "loss (nats per sentence)", "reconstruction": "reconstruction −log p(x|z) (nats per sentence)",
        "kl": "KL(q(z|x) ‖ p(z)) (nats)", "C": "target rate C (nats)", "kl_target_gap": "|KL − C| (nats)",
        "beta": "β (weight of the KL term)", "elbo": "ELBO (nats per sentence)", "ppl_bound": "perplexity bound",
        "active_units": "active units (of Z)", "mi": "I(x; z) (nats)",
        "mean_pairwise_cosine": "mean pairwise cosine of encoder features", "lr": "learning rate",
        "grad_norm": "gradient L2 norm", "tokens_per_s": "tokens per second", "inner_steps": "encoder-only steps per update",
        "updates": "parameter updates", "train_seconds": "training time (s)",
    ]

    /// "KL(q(z|x) ‖ p(z)) (nats), valid split".
    static func axisLabel(_ key: String, split: String) -> String {
        let canonical = [loss, reconstruction, kl, target, beta, cosine, activeUnits, mi].first { $0.contains(key) }?.first ?? key
        return (labels[canonical] ?? key) + ", " + split + " split"
    }
}
