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
/// Cost O(N²d): the quadratic form Σ_k (z_jk − μ_ik)² / σ²_ik plus the log-determinant is expanded into
/// [z², z, 1] · [1/σ², −2μ/σ², Σ μ²/σ² + Σ log σ²]ᵀ, computed by Double GEMM in tiles of z rows × components
/// (after shifting z and μ by the mean of μ to limit cancellation), with a running log-sum-exp per z row.
/// N = 1 gives 0.
extension LatentMetrics {
    /// Receives progress lines of long computations (the full-split MI over many sentences): the command line
    /// sets it to print on standard error; nil (the default) is silent.
    nonisolated(unsafe) public static var progress: (@Sendable (String) -> Void)?
    /// Splits with at least this many sentences report the full-split MI's progress (≈ a few seconds of work).
    public static let progressThreshold = 10_000

    /// Full-split mixture estimator for one sample z (N, d), one per sentence.
    public static func mutualInformationMixture(_ p: Posteriors, z: [Float]) throws(MetricsError) -> Double {
        try p.checkSample(z)
        return mixtureMI(p, z: z, range: 0..<p.count)
    }

    /// Full-split mixture estimator averaged over S resamplings of z (each (N, d)). nil when S = 0. Splits of
    /// `progressThreshold` sentences or more report their progress and ETA through `progress`.
    public static func mutualInformationMixture(_ p: Posteriors, resamplings: [[Float]]) throws(MetricsError)
        -> Double? {
        guard !resamplings.isEmpty else { return nil }
        for z in resamplings { try p.checkSample(z) }
        let report = p.count >= progressThreshold ? progress : nil
        let started = Date()
        var lastReport = started
        var total = 0.0
        for (s, z) in resamplings.enumerated() {
            total += mixtureMI(p, z: z, range: 0..<p.count, rowsDone: report.map { report in { done in
                let now = Date()
                guard now.timeIntervalSince(lastReport) >= 2 else { return }
                lastReport = now
                let fraction = (Double(s) + Double(done) / Double(p.count)) / Double(resamplings.count)
                let elapsed = now.timeIntervalSince(started)
                report(String(format: "full-split MI over %d sentences (O(N²d), resampling %d of %d): %.0f%%, %.0f s left "
                              + "(--mi-subsample M bounds the cost)", p.count, s + 1, resamplings.count,
                              100 * fraction, elapsed / max(fraction, 1e-9) - elapsed))
            } })
        }
        return total / Double(resamplings.count)
    }

    /// The mixture estimator on `m` sentences chosen by a seeded shuffle (SplitMix64 seed 0), averaged over the
    /// resamplings; the whole split when m ≥ N. Exact for that subsample; its cost is O(m²d).
    public static func mutualInformationMixture(_ p: Posteriors, resamplings: [[Float]], subsample m: Int)
        throws(MetricsError) -> Double? {
        guard m < p.count else { return try mutualInformationMixture(p, resamplings: resamplings) }
        guard m >= 2 else { throw .shape("MI subsample \(m) must be at least 2") }
        var order = Array(0..<p.count)
        var rng = SplitMix64(seed: 0)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        let chosen = order.prefix(m).sorted(), d = p.dimension
        func rows(_ x: [Float]) -> [Float] { chosen.flatMap { x[($0 * d)..<(($0 + 1) * d)] } }
        let sub = try Posteriors(mu: rows(p.mu), logVar: rows(p.logVar), dimension: d)
        return try mutualInformationMixture(sub, resamplings: resamplings.map(rows))
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

    /// Tile sizes of `mixtureMI`: z rows × mixture components per GEMM call. The tile of log-densities is
    /// 256 × 2048 Doubles = 4 MiB whatever N is (memory stays bounded); the components' coefficient matrix is
    /// N × (2d + 1) Doubles.
    static let defaultRowTile = 256
    static let defaultComponentTile = 2048

    /// The estimator with the mixture and the scored samples both restricted to rows `range`.
    ///
    /// BLAS-shaped: with features a_j = [(z_j − s)², z_j − s, 1] (2d + 1 values, s the mean of μ over the range)
    /// and per-component coefficients b_i = [1/σ_i², −2(μ_i − s)/σ_i², Σ_k ((μ_ik − s_k)²/σ_ik² + log σ_ik²)],
    /// log q(z_j|x_i) + ½ d log 2π = −½ a_j · b_i, so a tile of log-densities is one GEMM with α = −½. Each z row
    /// keeps a running log-sum-exp (max m, Σ exp(· − m)) across component tiles. The result depends only on
    /// the inputs and the fixed tile sizes, never on threads or timing.
    static func mixtureMI(_ p: Posteriors, z: [Float], range: Range<Int>, rowTile: Int = defaultRowTile,
                          componentTile: Int = defaultComponentTile, rowsDone: ((Int) -> Void)? = nil) -> Double {
        let n = range.count, d = p.dimension
        guard n > 1 else { return 0 }
        let base = range.lowerBound
        // Shift by the mean of μ over the range (the quadratic form is shift invariant).
        var shift = [Double](repeating: 0, count: d)
        for i in range { for k in 0..<d { shift[k] += Double(p.mu[i * d + k]) } }
        for k in 0..<d { shift[k] /= Double(n) }

        // B (n, 2d + 1) = [1/σ², −2 μ/σ², c]; negative entropy term.
        let width = 2 * d + 1
        var bMatrix = [Double](repeating: 0, count: n * width)
        var negEntropy = 0.0
        for r in 0..<n {
            let i = base + r
            var ci = 0.0
            for k in 0..<d {
                let lv = Double(p.logVar[i * d + k])
                let w = exp(-lv)
                let m = Double(p.mu[i * d + k]) - shift[k]
                bMatrix[r * width + k] = w
                bMatrix[r * width + d + k] = -2 * m * w
                ci += m * m * w + lv
                negEntropy -= 0.5 * (1 + lv)
            }
            bMatrix[r * width + 2 * d] = ci
        }
        negEntropy /= Double(n)

        let rowBlock = min(n, max(1, rowTile)), columnBlock = min(n, max(1, componentTile))
        var a = [Double](repeating: 0, count: rowBlock * width)
        var g = [Double](repeating: 0, count: rowBlock * columnBlock)
        var top = [Double](repeating: 0, count: rowBlock), sum = [Double](repeating: 0, count: rowBlock)
        var sumLogQ = 0.0
        var start = 0
        while start < n {
            let rows = min(rowBlock, n - start)
            for r in 0..<rows {
                let j = base + start + r
                for k in 0..<d {
                    let v = Double(z[j * d + k]) - shift[k]
                    a[r * width + k] = v * v
                    a[r * width + d + k] = v
                }
                a[r * width + 2 * d] = 1
                top[r] = -.infinity
                sum[r] = 0
            }
            var column = 0
            while column < n {
                let columns = min(columnBlock, n - column)
                a.withUnsafeBufferPointer { ap in
                    bMatrix.withUnsafeBufferPointer { bp in
                        g.withUnsafeMutableBufferPointer { gp in
                            guard let bBase = bp.baseAddress, let gBase = gp.baseAddress else { return }
                            Float64LinearAlgebra.gemm(m: rows, n: columns, k: width, alpha: -0.5, ap.baseAddress, lda: width,
                                                      bBase + column * width, ldb: width, transposeB: true,
                                                      gBase, ldc: columns)
                            for r in 0..<rows {
                                accumulateLogSumExp(gBase + r * columns, count: columns, top: &top[r], sum: &sum[r])
                            }
                        }
                    }
                }
                column += columns
            }
            for r in 0..<rows { sumLogQ += top[r] + log(sum[r]) }
            start += rows
            rowsDone?(start)
        }
        // log q(z_j) = LSE_i(−½ a_j · b_i) − ½ d log 2π − log n; the −½ d log 2π cancels against the
        // negative entropy's, so both omit it.
        let meanLogQ = sumLogQ / Double(n) - log(Double(n))
        return negEntropy - meanLogQ
    }

    /// Folds `count` log-terms into a running log-sum-exp (max `top`, `sum` = Σ exp(term − top)), stable:
    /// chunks of 16 terms all more than 60 below the running maximum (relative weight < e⁻⁶⁰ each) are
    /// skipped. Exponentials by `expNonPositive` (vectorisable). Overwrites the terms.
    @inline(__always)
    static func accumulateLogSumExp(_ g: UnsafeMutablePointer<Double>, count n: Int, top: inout Double, sum: inout Double) {
        var m0 = -Double.infinity, m1 = m0, m2 = m0, m3 = m0
        var i = 0
        while i + 4 <= n {
            m0 = g[i] > m0 ? g[i] : m0
            m1 = g[i + 1] > m1 ? g[i + 1] : m1
            m2 = g[i + 2] > m2 ? g[i + 2] : m2
            m3 = g[i + 3] > m3 ? g[i + 3] : m3
            i += 4
        }
        while i < n { m0 = g[i] > m0 ? g[i] : m0; i += 1 }
        let tileTop = Swift.max(Swift.max(m0, m1), Swift.max(m2, m3))
        if tileTop > top {
            sum = top == -.infinity ? 0 : sum * exp(top - tileTop)
            top = tileTop
        }
        let t = top, floor = t - 60
        let chunk = 16
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        i = 0
        while i + chunk <= n {
            var chunkTop = g[i]
            for q in 1..<chunk { chunkTop = g[i + q] > chunkTop ? g[i + q] : chunkTop }
            if chunkTop > floor {
                for q in 0..<chunk {
                    let x = g[i + q] - t
                    g[i + q] = expNonPositive(x < -700 ? -700 : x)
                }
                for q in stride(from: 0, to: chunk, by: 4) {
                    s0 += g[i + q]; s1 += g[i + q + 1]; s2 += g[i + q + 2]; s3 += g[i + q + 3]
                }
            }
            i += chunk
        }
        while i < n {
            if g[i] > floor { s0 += exp(g[i] - t) }
            i += 1
        }
        sum += (s0 + s1) + (s2 + s3)
    }

    /// e^x for −708 ≤ x ≤ 0 without a library call (so loops over it vectorise): x = k ln 2 + r with
    /// |r| ≤ ½ ln 2 (k by the 1.5·2⁵² rounding trick, ln 2 split in two parts), e^r by Cephes' rational
    /// approximation 1 + 2 r P(r²) / (Q(r²) − r P(r²)), times 2^k built in the exponent bits. Relative error
    /// ≤ 3·10⁻¹⁶ (a few ulps).
    @inline(__always)
    static func expNonPositive(_ x: Double) -> Double {
        let magic = 6_755_399_441_055_744.0  // 1.5 · 2^52
        let t = x * 1.4426950408889634 + magic
        let k = t - magic
        let r = x - k * 6.93145751953125e-1 - k * 1.42860682030941723212e-6
        let r2 = r * r
        let p = r * ((1.26177193074810590878e-4 * r2 + 3.02994407707441961300e-2) * r2 + 9.99999999999999999910e-1)
        let q = ((3.00198505138664455042e-6 * r2 + 2.52448340349684104192e-3) * r2 + 2.27265548208155028766e-1) * r2
            + 2.00000000000000000009e0
        return (1 + 2 * (p / (q - p))) * Double(bitPattern: (t.bitPattern &+ 1023) &<< 52)
    }
}
