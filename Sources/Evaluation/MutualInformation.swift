import Training
import Foundation

/// Estimators of the mutual information I_q(x; z) between sentences and codes under the aggregate posterior
/// q(z) = 1/N Σ_j q(z|x_j) (He et al. 2019 §4.2; Hoffman & Johnson 2016).
///
/// Both use I = E_x[E_q(z|x) log q(z|x)] − E_q(z)[log q(z)], the first term in closed form
/// (−½ Σ_d (log 2π + 1 + log σ²_d), the negative entropy of a diagonal Gaussian), the second with one z_i ~ q(z|x_i)
/// per sentence scored against a mixture of posteriors. They differ in the mixture:
/// - `minibatch` (He et al. 2019's `calc_mi`): the mixture of the B posteriors of z_i's own minibatch; the
///   split-level value is the batch-size-weighted mean of the per-batch values. It is bounded by ≈ log B.
/// - `mixture` (full split): the mixture of all N posteriors of the split, bounded by ≈ log N.
/// Identical posteriors give ≈ 0 (exactly 0 in expectation); well-separated ones give ≈ log B or log N.
/// `vaescope eval` uses the Metrics module's implementation (`LatentMetrics.mutualInformation…`); this one, a direct
/// transcription of He et al.'s `calc_mi`, is kept as the independent check the tests compare it with.
public enum MutualInformation {
    /// Mean over rows of the closed-form negative entropy −H(q(z|x_i)).
    static func meanNegativeEntropy(_ posterior: PosteriorBatch, rows: Range<Int>) -> Double {
        guard !rows.isEmpty else { return 0 }
        var total = 0.0
        for i in rows {
            for lv in posterior.logVariance(i) { total += -0.5 * (Gaussian.log2Pi + 1 + Double(lv)) }
        }
        return total / Double(rows.count)
    }

    /// Mean over i ∈ `queries` of log (1/|M| Σ_{j∈M} q(z_i|x_j)), M = `mixture` rows; `z` has one row per query.
    /// The mixture's 1/σ² and normalising constants are computed once, so the O(|queries|·|M|·Z) loop is
    /// multiply-adds only.
    static func meanLogAggregate(z: [Float], queries: Range<Int>, posterior: PosteriorBatch, mixture: Range<Int>) -> Double {
        let size = posterior.latentSize
        let m = mixture.count
        var mu = [Double](repeating: 0, count: m * size)
        var inverseVariance = [Double](repeating: 0, count: m * size)
        var constant = [Double](repeating: 0, count: m)
        for (s, j) in mixture.enumerated() {
            var c = 0.0
            for (d, (mj, lv)) in zip(posterior.mu(j), posterior.logVariance(j)).enumerated() {
                mu[s * size + d] = Double(mj)
                inverseVariance[s * size + d] = exp(-Double(lv))
                c += Gaussian.log2Pi + Double(lv)
            }
            constant[s] = -0.5 * c
        }
        let logM = log(Double(m))
        var total = 0.0
        var scores = [Double](repeating: 0, count: m)
        var zi = [Double](repeating: 0, count: size)
        for q in 0..<queries.count {
            for d in 0..<size { zi[d] = Double(z[q * size + d]) }
            for s in 0..<m {
                var quadratic = 0.0
                let base = s * size
                for d in 0..<size {
                    let diff = zi[d] - mu[base + d]
                    quadratic += diff * diff * inverseVariance[base + d]
                }
                scores[s] = constant[s] - 0.5 * quadratic
            }
            total += logSumExp(scores) - logM
        }
        return total / Double(queries.count)
    }

    /// One z_i ~ q(z|x_i) for each row in `rows`.
    static func sampleRows(_ posterior: PosteriorBatch, rows: Range<Int>, using rng: inout some RandomNumberGenerator) -> [Float] {
        var z: [Float] = []
        z.reserveCapacity(rows.count * posterior.latentSize)
        for i in rows { z += Gaussian.sample(posterior, row: i, count: 1, using: &rng) }
        return z
    }

    /// He et al. 2019's minibatch estimator over consecutive batches of `batchSize` rows. Empty input: 0.
    public static func minibatch(_ posterior: PosteriorBatch, batchSize: Int,
                                 using rng: inout some RandomNumberGenerator) -> Double {
        minibatch(posterior, z: sampleRows(posterior, rows: 0..<posterior.batchSize, using: &rng), batchSize: batchSize)
    }

    /// The minibatch estimator with given samples, z_i ~ q(z|x_i), (N, Z).
    public static func minibatch(_ posterior: PosteriorBatch, z: [Float], batchSize: Int) -> Double {
        let n = posterior.batchSize, size = posterior.latentSize
        guard n > 0 else { return 0 }
        var weighted = 0.0
        var start = 0
        while start < n {
            let rows = start..<min(n, start + max(1, batchSize))
            let zRows = Array(z[(rows.lowerBound * size)..<(rows.upperBound * size)])
            let mi = meanNegativeEntropy(posterior, rows: rows)
                - meanLogAggregate(z: zRows, queries: rows, posterior: posterior, mixture: rows)
            weighted += mi * Double(rows.count)
            start = rows.upperBound
        }
        return weighted / Double(n)
    }

    /// The full-split estimator: every z_i scored against the mixture of all N posteriors (O(N² Z)). Empty: 0.
    public static func mixture(_ posterior: PosteriorBatch, using rng: inout some RandomNumberGenerator) -> Double {
        mixture(posterior, z: sampleRows(posterior, rows: 0..<posterior.batchSize, using: &rng))
    }

    /// The full-split estimator with given samples, z_i ~ q(z|x_i), (N, Z).
    public static func mixture(_ posterior: PosteriorBatch, z: [Float]) -> Double {
        let n = posterior.batchSize
        guard n > 0 else { return 0 }
        let rows = 0..<n
        return meanNegativeEntropy(posterior, rows: rows)
            - meanLogAggregate(z: z, queries: rows, posterior: posterior, mixture: rows)
    }
}
