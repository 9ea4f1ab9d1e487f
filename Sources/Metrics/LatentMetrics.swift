import Foundation

/// Latent-space diagnostics of posterior collapse computed from a split's saved posteriors.
/// All sums are in Double; inputs are Float32 row-major (N, d).
public enum LatentMetrics {
    /// Per-dimension KL, the mean over the split of
    /// KL(N(μ_d, σ_d²) ‖ N(0, 1)) = ½(μ_d² + σ_d² − 1 − log σ_d²). Length d; zeros when N = 0.
    public static func klPerDimension(_ p: Posteriors) -> [Double] {
        let d = p.dimension
        var kl = [Double](repeating: 0, count: d)
        guard p.count > 0 else { return kl }
        p.mu.withUnsafeBufferPointer { mu in
            p.logVar.withUnsafeBufferPointer { lv in
                for i in 0..<p.count {
                    let row = i * d
                    for k in 0..<d {
                        let m = Double(mu[row + k]), l = Double(lv[row + k])
                        kl[k] += m * m + exp(l) - 1 - l
                    }
                }
            }
        }
        let scale = 0.5 / Double(p.count)
        return kl.map { $0 * scale }
    }

    /// The rate: mean over the split of KL(q(z|x) ‖ N(0, I)) = Σ_d `klPerDimension`. 0 when N = 0.
    public static func rate(_ p: Posteriors) -> Double {
        klPerDimension(p).reduce(0, +)
    }

    /// The distortion: the mean per-sentence reconstruction NLL (nats). nil for an empty split.
    public static func distortion(negativeLogLikelihoods nll: [Double]) -> Double? {
        guard !nll.isEmpty else { return nil }
        return nll.reduce(0, +) / Double(nll.count)
    }

    /// Per-column variance of an (N, d) matrix with the N − 1 divisor, two-pass in Double
    /// (the mean first, then squared deviations, as He et al. 2019 `calc_au` does). nil when N < 2.
    public static func columnVariances(_ x: [Float], dimension d: Int) -> [Double]? {
        precondition(d > 0 && x.count % d == 0, "columnVariances: \(x.count) values, dimension \(d)")
        let n = x.count / d
        guard n >= 2 else { return nil }
        let means = columnMeans(x, dimension: d)
        var ss = [Double](repeating: 0, count: d)
        x.withUnsafeBufferPointer { xp in
            for i in 0..<n {
                let row = i * d
                for k in 0..<d {
                    let dev = Double(xp[row + k]) - means[k]
                    ss[k] += dev * dev
                }
            }
        }
        let inv = 1 / Double(n - 1)
        return ss.map { $0 * inv }
    }

    /// Per-column mean of an (N, d) matrix in Double. Zeros when N = 0.
    public static func columnMeans(_ x: [Float], dimension d: Int) -> [Double] {
        let n = x.count / d
        var s = [Double](repeating: 0, count: d)
        guard n > 0 else { return s }
        x.withUnsafeBufferPointer { xp in
            for i in 0..<n {
                let row = i * d
                for k in 0..<d { s[k] += Double(xp[row + k]) }
            }
        }
        let inv = 1 / Double(n)
        return s.map { $0 * inv }
    }

    /// Active units (Burda et al. 2016; He et al. 2019 `calc_au`): the number of dimensions d with
    /// Var_x(μ_d) ≥ threshold, the variance over the split with the N − 1 divisor. At N < 2 the variance is
    /// undefined (`calc_au` divides by zero and counts NaN as inactive): count 0, variances nil.
    public static func activeUnits(mu: [Float], dimension: Int, threshold: Double = 0.01) -> ActiveUnits {
        let v = columnVariances(mu, dimension: dimension)
        return ActiveUnits(count: v?.filter { $0 >= threshold }.count ?? 0, variances: v, threshold: threshold)
    }

    /// The aggregate-posterior KL by the "ELBO surgery" identity (Hoffman & Johnson 2016):
    /// rate = I(x; z) + KL(q(z) ‖ p(z)), so KL(q(z) ‖ p(z)) = rate − MI.
    public static func aggregatePosteriorKLRateMinusMI(rate: Double, mutualInformation: Double) -> Double {
        rate - mutualInformation
    }
}

/// Active units with the per-dimension variances they were counted from.
public struct ActiveUnits: Codable, Hashable, Sendable {
    /// Number of dimensions with Var_x(μ_d) ≥ threshold.
    public var count: Int
    /// Var_x(μ_d), N − 1 divisor; nil when N < 2.
    public var variances: [Double]?
    public var threshold: Double
}
