import Foundation
import Metrics
import RunStore

/// All metrics of one run on its evaluated split, labelled with their variants.
public struct RunMetricSet: Sendable, Equatable {
    public var split: String
    public var values: [SiteMetric]
    /// Per latent dimension: Var_x(μ_d), E_x[σ_d²], KL_d and the collapse state (empty without latents).
    public var dimensions: [LatentDimension]
    /// Hash of everything the values were computed from (the metrics cache key).
    public var inputsHash: String
    /// The pooled encoder features projected on their first two principal components (nil without
    /// features); cached with the values so a rebuild need not read the features again.
    public var pca: PCAProjection?

    public init(split: String, values: [SiteMetric], dimensions: [LatentDimension], inputsHash: String,
                pca: PCAProjection? = nil) {
        self.split = split
        self.values = values
        self.dimensions = dimensions
        self.inputsHash = inputsHash
        self.pca = pca
    }

    /// The value of catalog metric `key` (see `MetricCatalog`), in `variant` (an id substring) or the
    /// catalog's default variant, for `bucket` and `scheme`.
    public func value(_ key: String, variant: String? = nil, bucket: String = "all", scheme: String = "") -> SiteMetric? {
        guard let entry = MetricCatalog.entry(key) else { return nil }
        let wanted = variant ?? entry.defaultVariant
        return values.first {
            $0.name == entry.name && $0.bucket == bucket && $0.scheme == scheme
                && (wanted.isEmpty || $0.variant.id.contains(wanted))
        }
    }

    /// Decoding schemes that have generation metrics, in order of first appearance.
    public var schemes: [String] {
        var seen: [String] = []
        for v in values where !v.scheme.isEmpty && !seen.contains(v.scheme) { seen.append(v.scheme) }
        return seen
    }
}

/// One latent dimension's collapse diagnosis (see `Metrics.DimensionState` for the rules).
public struct LatentDimension: Sendable, Equatable {
    public var dimension: Int
    /// Var_x(μ_d), N − 1 divisor; nil when N < 2.
    public var signal: Double?
    /// E_x[σ_d²].
    public var noise: Double
    /// Mean KL(q(z_d|x) ‖ N(0, 1)).
    public var kl: Double
    public var state: DimensionState
}

/// "All metrics of a run": load → Metrics functions → labelled values, with the store's metrics cache.
/// Used by `vaescope report` and `vaescope metrics`.
public enum RunMetrics {
    /// Bumped whenever what is computed changes, so old cache rows stop matching.
    public static let version = "site-metrics-v4"

    /// Hash of every input of `compute`: latents, sentences, decoded texts, the `eval.*` scalars.
    public static func inputsHash(_ run: RunData, miSubsample: Int? = nil) -> String {
        var h = ContentHasher()
        h.combine(version)
        if let m = miSubsample { h.combine("mi-subsample"); h.combine(m) }
        h.combine(run.split)
        if let l = run.latents {
            h.combine(l.count); h.combine(l.latentSize); h.combine(l.samples); h.combine(l.featureSize)
            h.combine(l.mu); h.combine(l.logVariance); h.combine(l.z); h.combine(l.features)
        } else {
            h.combine(-1)
        }
        h.combine(run.sentences.count)
        for s in run.sentences { h.combine(s) }
        h.combine(run.texts.count)
        for t in run.texts {
            h.combine(t.kind.rawValue); h.combine(t.decoding.description); h.combine(t.zIndex)
            h.combine(t.sourceIndex ?? -1); h.combine(t.pairIndex ?? -1); h.combine(t.pointIndex ?? -1); h.combine(t.text)
        }
        for s in run.scalars where (s.key.hasPrefix("eval.") && s.split == run.split)
            || (s.split == "train" && ["updates", "train_seconds", "loss"].contains(s.key)) {
            h.combine(s.key); h.combine(s.values)
        }
        return h.hex
    }

    /// Computes every metric (no cache).
    /// `miSubsample` m: the full-split MI on m seeded sentences when the split has more (labelled so).
    public static func compute(_ run: RunData, inputsHash: String? = nil, miSubsample: Int? = nil) throws -> RunMetricSet {
        var values: [SiteMetric] = []
        var dimensions: [LatentDimension] = []
        // Values the evaluation stored (IW-NLL, distortion, ELBO, minibatch MI).
        for (key, name, variant) in StoredResults.scalars {
            if let v = run.series(key, split: run.split)?.last {
                var labelled = variant
                if variant == StoredResults.iwNLL, let k = run.series("eval.iwSamples", split: run.split)?.last, k.isFinite {
                    labelled = StoredResults.iwNLL(samples: Int(k))
                }
                values.append(SiteMetric(name: name, variant: labelled, value: v))
            }
        }
        // Cost (Long et al. 2019 Table 2): updates (aggressive inner steps included) and training wall time.
        if let u = run.series("updates", split: "train")?.values.last(where: \.isFinite)
            ?? run.series("loss", split: "train").flatMap({ $0.steps.last.map(Double.init) }) {
            values.append(SiteMetric(name: "Updates", variant: StoredResults.updates, value: u))
        }
        if let s = run.series("train_seconds", split: "train")?.values.last(where: \.isFinite) {
            values.append(SiteMetric(name: "Training time", variant: StoredResults.trainingHours, value: s / 3600))
        }
        // Latent metrics.
        if let l = run.latents, l.count > 0, l.latentSize > 0, l.mu.count == l.count * l.latentSize,
           l.logVariance.count == l.mu.count {
            do {
                let p = try Posteriors(mu: l.mu, logVar: l.logVariance, dimension: l.latentSize)
                let nd = l.count * l.latentSize
                var resamplings: [[Float]] = []
                if l.samples > 0, l.z.count == l.samples * nd {
                    resamplings = (0..<l.samples).map { Array(l.z[($0 * nd)..<(($0 + 1) * nd)]) }
                }
                let hasFeatures = l.featureSize > 0 && l.features.count == l.count * l.featureSize
                let stored = run.series(StoredResults.miFullSplitKey, split: run.split)?.last.flatMap {
                    $0.isFinite ? (value: $0, variant: StoredResults.miFullSplit) : nil
                }
                let report = try LatentMetrics.report(p, resamplings: resamplings,
                                                      features: hasFeatures ? l.features : nil,
                                                      featureDimension: hasFeatures ? l.featureSize : 0,
                                                      storedMutualInformation: stored, mixtureSubsample: miSubsample)
                values += report.map { SiteMetric(name: $0.name, variant: $0.variant, value: $0.value, note: $0.note) }
                dimensions = LatentMetrics.diagnoseCollapse(p).map {
                    LatentDimension(dimension: $0.dimension, signal: $0.signal, noise: $0.noise, kl: $0.kl, state: $0.state)
                }
            } catch {
                throw SiteError.metric(run: run.name, metric: "latent metrics", message: error.localizedDescription)
            }
        }
        // Reconstructions (greedy from μ) against their sources, by source-length bucket.
        let recon = run.texts.filter { $0.kind == .reconstructionMean }.sorted { ($0.sourceIndex ?? $0.zIndex) < ($1.sourceIndex ?? $1.zIndex) }
        var refs: [String] = []
        var hyps: [String] = []
        for t in recon {
            let i = t.sourceIndex ?? t.zIndex
            if i >= 0, i < run.sentences.count { refs.append(run.sentences[i]); hyps.append(t.text) }
        }
        if !refs.isEmpty {
            values += TextMetrics.reconstruction(references: refs, hypotheses: hyps).map {
                SiteMetric(name: $0.name, variant: $0.variant, bucket: $0.bucket?.rawValue ?? "all", value: $0.value, note: $0.note)
            }
        }
        // Generations from the prior, per decoding scheme.
        var byScheme: [String: [DecodedText]] = [:]
        var schemeOrder: [String] = []
        for t in run.texts where t.kind == .priorSample {
            let s = t.decoding.description
            if byScheme[s] == nil { schemeOrder.append(s) }
            byScheme[s, default: []].append(t)
        }
        for scheme in schemeOrder {
            var interner = TokenInterner()
            let unk = interner.id("<unk>")
            let sentences = (byScheme[scheme] ?? []).sorted { $0.zIndex < $1.zIndex }.map { interner.whitespaceTokens($0.text) }
            // The statistics of the forward cross-entropy's generated corpora (N sentences each, `eval --fce N` or
            // `--fce prokhorov` for their size) replace those of the few stored prior samples when they exist:
            // Prokhorov et al.'s Table 3 reads them off those corpora.
            let fceKey = "eval.fce.\(schemeKey(scheme))."
            func stored(_ k: String) -> Double? { run.series(fceKey + k, split: run.split)?.last }
            let corpusKeys: [String: String] = [Variant.selfBLEU(4).id: "selfBLEU", Variant.vocabularySize.id: "vocabularySize",
                                                Variant.unknownPercent.id: "unkPercent", Variant.meanLength.id: "meanLength"]
            let fceN = stored("sentences").map { Int($0) }, fceCorpora = stored("corpora").map { Int($0) } ?? 1
            values += TextMetrics.generation(sentences, unknownID: unk).map {
                if let n = fceN, let k = corpusKeys[$0.variant.id], let v = stored(k) {
                    let over = fceCorpora > 1 ? "mean over \(fceCorpora) generated corpora of \(n) sentences" : "\(n) generated sentences"
                    return SiteMetric(name: $0.name, variant: $0.variant, scheme: scheme, value: v,
                                      note: "\(over) (the forward cross-entropy's)")
                }
                let note = $0.note ?? (corpusKeys[$0.variant.id] != nil
                    ? "over the \(sentences.count) stored prior samples (vaescope eval --fce prokhorov: over corpora of Prokhorov et al.'s size)" : nil)
                return SiteMetric(name: $0.name, variant: $0.variant, scheme: scheme, value: $0.value, note: note)
            }
            if let fce = stored("nll") {
                var metric = SiteMetric(name: "FCE", variant: StoredResults.fce, scheme: scheme, value: fce)
                if fceCorpora > 1, let sd = stored("nllSD") {
                    let n = fceN.map { "\($0) " } ?? ""
                    metric.note = "mean over \(fceCorpora) generated corpora of \(n)sentences, sd \(NumberFormat.auto(sd))"
                }
                values.append(metric)
            }
        }
        var pca: PCAProjection?
        if let l = run.latents, l.featureSize > 0, l.features.count == l.count * l.featureSize {
            pca = PCAProjection.compute(l.features, count: l.count, dimension: l.featureSize)
        }
        let set = RunMetricSet(split: run.split, values: values, dimensions: dimensions,
                               inputsHash: inputsHash ?? Self.inputsHash(run, miSubsample: miSubsample), pca: pca)
        // Round-trip through the cache encoding so a computed set and a cached one are identical.
        return decode(encode(set), inputsHash: set.inputsHash, split: set.split) ?? set
    }

    /// "top-k k=5" → "top-k-5", "nucleus p=0.9" → "nucleus-0.9" (the evaluation's scalar key form).
    static func schemeKey(_ description: String) -> String {
        description.replacingOccurrences(of: " k=", with: "-").replacingOccurrences(of: " p=", with: "-")
    }

    // MARK: cache rows

    /// One row of the store's metrics table as the Site writes it.
    public struct CacheRow: Sendable, Equatable {
        public var metric: String
        public var variant: String
        public var bucket: String
        public var value: Double
    }

    static let completeMarker = "_complete"
    static let pcaMetric = "_pca"
    static let stateNames = DimensionState.allCases

    /// Rows: one per value (metric = "[scheme] name" or name, variant = id, NaN = undefined), one per note
    /// ("name#note", variant = "id|note"), four per dimension, the PCA projection (metric "_pca": variants
    /// x and y with the point index as bucket, "explained" with the component index, "total"), and a
    /// completion marker.
    public static func encode(_ set: RunMetricSet) -> [CacheRow] {
        var rows: [CacheRow] = []
        for v in set.values {
            let metric = v.scheme.isEmpty ? v.name : "[\(v.scheme)] \(v.name)"
            rows.append(CacheRow(metric: metric, variant: v.variant.id, bucket: v.bucket, value: v.value ?? .nan))
            if let note = v.note {
                rows.append(CacheRow(metric: metric + "#note", variant: v.variant.id + "|" + note, bucket: v.bucket, value: .nan))
            }
        }
        for d in set.dimensions {
            let m = "dim[\(d.dimension)]"
            rows.append(CacheRow(metric: m, variant: "signal", bucket: "all", value: d.signal ?? .nan))
            rows.append(CacheRow(metric: m, variant: "noise", bucket: "all", value: d.noise))
            rows.append(CacheRow(metric: m, variant: "kl", bucket: "all", value: d.kl))
            rows.append(CacheRow(metric: m, variant: "state", bucket: "all",
                                 value: Double(stateNames.firstIndex(of: d.state) ?? 0)))
        }
        if let p = set.pca {
            for i in 0..<p.count {
                rows.append(CacheRow(metric: pcaMetric, variant: "x", bucket: String(i), value: p.points[2 * i]))
                rows.append(CacheRow(metric: pcaMetric, variant: "y", bucket: String(i), value: p.points[2 * i + 1]))
            }
            for (c, e) in p.explained.enumerated() {
                rows.append(CacheRow(metric: pcaMetric, variant: "explained", bucket: String(c), value: e))
            }
            rows.append(CacheRow(metric: pcaMetric, variant: "total", bucket: "all", value: Double(p.total)))
        }
        rows.append(CacheRow(metric: completeMarker, variant: version, bucket: "all", value: Double(rows.count)))
        return rows
    }

    /// The set back from rows in any order; nil unless the completion marker is there and counts the rows.
    /// Values come out in a canonical order (scheme, metric, variant, bucket) whichever path made them.
    public static func decode(_ rows: [CacheRow], inputsHash: String, split: String) -> RunMetricSet? {
        guard let marker = rows.first(where: { $0.metric == completeMarker }), marker.variant == version,
              Int(marker.value) == rows.count - 1 else { return nil }
        var values: [SiteMetric] = []
        var notes: [String: String] = [:]
        var dims: [Int: LatentDimension] = [:]
        var pcaX: [Int: Double] = [:], pcaY: [Int: Double] = [:], explained: [Int: Double] = [:]
        var pcaTotal: Int?
        for row in rows where row.metric != completeMarker {
            if row.metric == pcaMetric {
                let i = Int(row.bucket) ?? 0
                switch row.variant {
                case "x": pcaX[i] = row.value
                case "y": pcaY[i] = row.value
                case "explained": explained[i] = row.value
                default: pcaTotal = row.value.isFinite ? Int(row.value) : 0
                }
                continue
            }
            if row.metric.hasPrefix("dim["), let close = row.metric.firstIndex(of: "]"),
               let d = Int(row.metric[row.metric.index(row.metric.startIndex, offsetBy: 4)..<close]) {
                var diag = dims[d] ?? LatentDimension(dimension: d, signal: nil, noise: 0, kl: 0, state: .signal)
                switch row.variant {
                case "signal": diag.signal = row.value.isNaN ? nil : row.value
                case "noise": diag.noise = row.value
                case "kl": diag.kl = row.value
                default:
                    let i = Int(row.value)
                    diag.state = i >= 0 && i < stateNames.count ? stateNames[i] : .signal
                }
                dims[d] = diag
                continue
            }
            if row.metric.hasSuffix("#note") {
                if let bar = row.variant.firstIndex(of: "|") {
                    let key = String(row.metric.dropLast(5)) + "\u{1}" + row.variant[..<bar] + "\u{1}" + row.bucket
                    notes[key] = String(row.variant[row.variant.index(after: bar)...])
                }
                continue
            }
            var scheme = ""
            var name = row.metric
            if name.hasPrefix("["), let close = name.firstIndex(of: "]") {
                scheme = String(name[name.index(after: name.startIndex)..<close])
                name = String(name[(name.index(close, offsetBy: 2, limitedBy: name.endIndex) ?? name.endIndex)...])
            }
            let variant = MetricCatalog.variant(id: row.variant)
            values.append(SiteMetric(name: name, variant: variant, bucket: row.bucket, scheme: scheme,
                                     value: row.value.isNaN ? nil : row.value,
                                     note: notes[row.metric + "\u{1}" + row.variant + "\u{1}" + row.bucket]))
        }
        // Notes may come before or after their value row: attach again now that all are read.
        for i in values.indices where values[i].note == nil {
            let v = values[i]
            let metric = v.scheme.isEmpty ? v.name : "[\(v.scheme)] \(v.name)"
            values[i].note = notes[metric + "\u{1}" + v.variant.id + "\u{1}" + v.bucket]
        }
        values.sort { a, b in
            if a.scheme != b.scheme { return a.scheme.isEmpty || (!b.scheme.isEmpty && a.scheme < b.scheme) }
            let ra = nameRank(a.name), rb = nameRank(b.name)
            if ra != rb { return ra < rb }
            if a.name != b.name { return a.name < b.name }
            if a.variant.id != b.variant.id { return a.variant.id < b.variant.id }
            return bucketRank(a.bucket) < bucketRank(b.bucket)
        }
        var pca: PCAProjection?
        if let total = pcaTotal {
            let n = pcaX.count
            var points: [Double] = []
            points.reserveCapacity(2 * n)
            for i in 0..<n {
                guard let x = pcaX[i], let y = pcaY[i] else { return nil }
                points.append(x)
                points.append(y)
            }
            pca = PCAProjection(points: points, count: n, explained: explained.keys.sorted().compactMap { explained[$0] },
                                total: total)
        }
        return RunMetricSet(split: split, values: values, dimensions: dims.keys.sorted().compactMap { dims[$0] },
                            inputsHash: inputsHash, pca: pca)
    }

    static let nameOrder = ["Rate", "Distortion", "IW-NLL", "IW perplexity", "ELBO", "AU", "MI", "LogDetCov", "‖μ‖²",
                            "KL(q(z)‖p(z))", "Mean cosine", "BLEU-2", "BLEU-4", "ROUGE-2 F1", "ROUGE-4 F1", "ROUGE-L F1",
                            "Self-BLEU-4", "Vocabulary", "%<unk>", "Mean length", "FCE"]
    static func nameRank(_ n: String) -> Int { nameOrder.firstIndex(of: n) ?? nameOrder.count }
    static let bucketOrder = ["all", "≤10", "11–20", "21–30", ">30"]
    static func bucketRank(_ b: String) -> Int { bucketOrder.firstIndex(of: b) ?? bucketOrder.count }
}
