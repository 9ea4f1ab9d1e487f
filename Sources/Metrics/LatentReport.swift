/// Everything `vaescope metrics` reports about a split's latents, as labelled values.
extension LatentMetrics {
    /// Rate, distortion (when NLLs are given), AU, LogDetCov, ‖μ‖², both aggregate-posterior KLs, MI (full
    /// split, averaged over the resamplings; and the minibatch estimator when `miBatchSize` is given), mean
    /// pairwise cosine of h (when given) and the number of dimensions in each collapse state.
    /// `resamplings`: S arrays of z, each (N, d). `features`: h, (N, featureDimension).
    /// `storedMutualInformation`: a full-split MI an evaluation already computed, reported (with its own
    /// variant label) instead of recomputing it; the rate − MI aggregate KL uses it too.
    public static func report(_ p: Posteriors, resamplings: [[Float]], features: [Float]? = nil,
                              featureDimension: Int = 0, negativeLogLikelihoods: [Double]? = nil,
                              activeUnitThreshold: Double = 0.01, miBatchSize: Int? = nil,
                              collapse: CollapseThresholds = .init(),
                              storedMutualInformation: (value: Double, variant: Variant)? = nil,
                              mixtureSubsample: Int? = nil) throws(MetricsError) -> [MetricValue] {
        for z in resamplings { try p.checkSample(z) }
        let n = p.count
        var out: [MetricValue] = []
        let rate = rate(p)
        out.append(MetricValue(name: "Rate", variant: .rate, value: rate, count: n))
        if let nll = negativeLogLikelihoods {
            guard nll.count == n else { throw .shape("\(nll.count) NLL values for N = \(n) sentences") }
            out.append(MetricValue(name: "Distortion", variant: .distortion, value: distortion(negativeLogLikelihoods: nll),
                                   note: nll.isEmpty ? "empty split" : nil, count: n))
        }
        let au = activeUnits(mu: p.mu, dimension: p.dimension, threshold: activeUnitThreshold)
        out.append(MetricValue(name: "AU", variant: .activeUnits(threshold: activeUnitThreshold),
                               value: au.variances == nil ? nil : Double(au.count),
                               note: au.variances == nil ? "N = \(n) < 2: variance undefined" : nil, count: n))
        let stats = sampleStatistics(resamplings: resamplings, dimension: p.dimension)
        out.append(MetricValue(name: "LogDetCov", variant: .logDetCovariance, value: stats.logDetCovariance,
                               note: stats.note, count: n))
        out.append(MetricValue(name: "‖μ‖²", variant: .meanSquaredNorm,
                               value: resamplings.isEmpty ? nil : stats.meanSquaredNorm, note: stats.note, count: n))
        out.append(MetricValue(name: "KL(q(z)‖p(z))", variant: .aggregateKLGaussian,
                               value: stats.aggregatePosteriorKLGaussian, note: stats.note, count: n))
        // The full-split estimator costs O(N²d): a value the evaluation already stored is used instead.
        // `mixtureSubsample` m < N computes it exactly on m seeded sentences instead, labelled so.
        let mi: Double?
        var miVariant = storedMutualInformation?.variant ?? .mutualInformationMixture
        if let stored = storedMutualInformation {
            mi = stored.value
        } else if let m = mixtureSubsample, m < n {
            mi = try mutualInformationMixture(p, resamplings: resamplings, subsample: m)
            miVariant = .mutualInformationMixtureSubsample(m, of: n)
        } else {
            mi = try mutualInformationMixture(p, resamplings: resamplings)
        }
        out.append(MetricValue(name: "MI", variant: miVariant, value: mi,
                               note: mi == nil ? "no samples of z" : nil, count: n))
        if let b = miBatchSize, let z = resamplings.first {
            out.append(MetricValue(name: "MI", variant: .mutualInformationMinibatch(batchSize: b),
                                   value: try mutualInformationMinibatch(p, z: z, batchSize: b), count: n))
        }
        out.append(MetricValue(name: "KL(q(z)‖p(z))", variant: .aggregateKLRateMinusMI,
                               value: mi.map { aggregatePosteriorKLRateMinusMI(rate: rate, mutualInformation: $0) },
                               note: mi == nil ? "no samples of z" : nil, count: n))
        if let h = features {
            guard featureDimension > 0, h.count == n * featureDimension else {
                throw .shape("features have \(h.count) values, expected N×D = \(n)×\(featureDimension)")
            }
            if let i = h.firstIndex(where: { !$0.isFinite }) {
                throw .nonFinite("h[\(i / featureDimension)][\(i % featureDimension)] = \(h[i])")
            }
            let c = Dispersion.meanPairwiseCosine(h, dimension: featureDimension)
            out.append(MetricValue(name: "Mean cosine", variant: .meanPairwiseCosine, value: c,
                                   note: c == nil ? "N = \(n) < 2" : nil, count: n))
        }
        let diagnosis = diagnoseCollapse(p, thresholds: collapse)
        for s in DimensionState.allCases {
            out.append(MetricValue(name: "Dims \(s.rawValue)", variant: .dimensionState(s),
                                   value: Double(diagnosis.filter { $0.state == s }.count), count: n))
        }
        return out
    }
}
