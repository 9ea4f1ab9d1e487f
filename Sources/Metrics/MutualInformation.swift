import Foundation
import Tensor

/// Mutual information I(x; z) under q(x, z) = p_data(x) q(z|x), estimated as in He et al. 2019 (`calc_mi`):
///
///   I ≈ (1/N) Σ_j E_q(z|x_j)[log q(z|x_j)] − (1/N) Σ_j log q(z_j),
///
/// where the first term is the analytic negative entropy −½ Σ_k (log 2π + 1 + log σ²_jk), z_j is one sample
/// from q(z|x_j), and the aggregate posterior is the mixture q(z_j) = (1/M) Σ_{i∈B} N(z_j; μ_i, σ_i²) over a set B
/// of M posteriors: the whole split (`mutualInformationMixture`, "full-split mixture estimator") or the
/// minibatch containing j (`mutualInformationMinibatch`, He et al.'s estimator, batch values weighted by
/// batch size). Each z_j is scored against all M posteriors including its own.
///
/// Cost O(N²d): the quadratic form Σ_k (z_jk − μ_ik)² / σ²_ik is expanded into
/// [z², z] · [1/σ², −2μ/σ²]ᵀ + Σ μ²/σ², computed by Double GEMM in blocks of z rows (after shifting z and μ by
/// the mean of μ to limit cancellation), then a log-sum-exp per z row. N = 1 gives 0.
extension LatentMetrics {
    /// Full-split mixture estimator for one sample z (N, d), one per sentence.
    public static func mutualInformationMixture(_ p: Posteriors, z: [Float]) throws(MetricsError) -> Double {
        try p.checkSample(z)
        return mixtureMI(p, z: z, range: 0..<p.count)
    }

    /// Full-split mixture estimator averaged over S resamplings of z (each (N, d)). nil when S = 0.
    public static func mutualInformationMixture(_ p: Posteriors, resamplings: [[Float]]) throws(MetricsError)
        -> Double? {
        guard !resamplings.isEmpty else { return nil }
        var total = 0.0
        for z in resamplings { total += try mutualInformationMixture(p, z: z) }
        return total / Double(resamplings.count)
    }

    /// He et al. 2019's minibatch estimator: the split cut into consecutive batches of `batchSize` (the last
    /// may be smaller), the estimator computed within each batch, averaged weighted by batch size.
    public static func mutualInformationMinibatch(_ p: Posteriors, z: [Float], batchSize: Int) throws(MetricsError)
        -> Double {
        try p.checkSample(z)
        guard batchSize > 0 else { throw .shape("MI batch size \(batchSize) must be positive") }
        guard p.count > 0 else { return 0 }
        var total = 0.0
        var start = 0
        while start < p.count {
            let end = min(p.count, start + batchSize)
            total += mixtureMI(p, z: z, range: start..<end) * Double(end - start)
            start = end
        }
        return total / Double(p.count)
    }

    /// The estimator with the mixture and the scored samples both restricted to rows `range`.
    static func mixtureMI(_ p: Posteriors, z: [Float], range: Range<Int>) -> Double {
        let n = range.count, d = p.dimension
        guard n > 1 else { return 0 }
        let base = range.lowerBound
        // Shift by the mean of μ over the range (the quadratic form is shift invariant).
        var shift = [Double](repeating: 0, count: d)
        for i in range { for k in 0..<d { shift[k] += Double(p.mu[i * d + k]) } }
        for k in 0..<d { shift[k] /= Double(n) }

        // B (n, 2d) = [1/σ², −2 μ/σ²]; c_i = Σ_k μ²/σ² + Σ_k log σ²; negative entropy term.
        var bMatrix = [Double](repeating: 0, count: n * 2 * d)
        var c = [Double](repeating: 0, count: n)
        var negEntropy = 0.0
        for r in 0..<n {
            let i = base + r
            var ci = 0.0
            for k in 0..<d {
                let lv = Double(p.logVar[i * d + k])
                let w = exp(-lv)
                let m = Double(p.mu[i * d + k]) - shift[k]
                bMatrix[r * 2 * d + k] = w
                bMatrix[r * 2 * d + d + k] = -2 * m * w
                ci += m * m * w + lv
                negEntropy -= 0.5 * (1 + lv)
            }
            c[r] = ci
        }
        negEntropy /= Double(n)

        // Blocks of z rows: A (rows, 2d) = [z², z]; G = A Bᵀ (rows, n); log q(z_j|x_i) = −½(G_ji + c_i) − const.
        let block = min(n, 256)
        var a = [Double](repeating: 0, count: block * 2 * d)
        var g = [Double](repeating: 0, count: block * n)
        var sumLogQ = 0.0
        var start = 0
        while start < n {
            let rows = min(block, n - start)
            for r in 0..<rows {
                let j = base + start + r
                for k in 0..<d {
                    let v = Double(z[j * d + k]) - shift[k]
                    a[r * 2 * d + k] = v * v
                    a[r * 2 * d + d + k] = v
                }
            }
            a.withUnsafeBufferPointer { ap in
                bMatrix.withUnsafeBufferPointer { bp in
                    g.withUnsafeMutableBufferPointer { gp in
                        Float64LinearAlgebra.gemm(m: rows, n: n, k: 2 * d, ap.baseAddress, lda: 2 * d,
                                                  bp.baseAddress, ldb: 2 * d, transposeB: true,
                                                  gp.baseAddress, ldc: n)
                    }
                }
            }
            g.withUnsafeMutableBufferPointer { gp in
                c.withUnsafeBufferPointer { cp in
                    for r in 0..<rows {
                        sumLogQ += logSumExpHalfNegative(UnsafeMutableBufferPointer(rebasing: gp[(r * n)..<(r * n + n)]), cp)
                    }
                }
            }
            start += rows
        }
        // log q(z_j) = LSE_i(−½(G_ji + c_i)) − ½ d log 2π − log n; the −½ d log 2π cancels against the
        // negative entropy's, so both omit it.
        let meanLogQ = sumLogQ / Double(n) - log(Double(n))
        return negEntropy - meanLogQ
    }

    /// log Σ_i exp(−½(g_i + c_i)), stable: terms more than 60 below the maximum (relative weight < e⁻⁶⁰ each)
    /// are skipped. Overwrites g.
    @inline(__always)
    static func logSumExpHalfNegative(_ g: UnsafeMutableBufferPointer<Double>, _ c: UnsafeBufferPointer<Double>)
        -> Double {
        let n = g.count
        var top = -Double.infinity
        for i in 0..<n {
            let v = -0.5 * (g[i] + c[i])
            g[i] = v
            top = Swift.max(top, v)
        }
        let floor = top - 60
        var s = 0.0
        for i in 0..<n where g[i] > floor { s += exp(g[i] - top) }
        return top + log(s)
    }
}
