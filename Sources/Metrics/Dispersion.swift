import Foundation
import Tensor

/// Histogram of pairwise cosine similarities, exact over all pairs i < j or from a sample of pairs.
public struct CosineHistogram: Codable, Hashable, Sendable {
    /// bins + 1 equally spaced edges from −1 to 1; bin b is [edges[b], edges[b+1]), the last one closed.
    public var edges: [Double]
    public var counts: [Int]
    /// Number of pairs counted (N(N−1)/2 when exact).
    public var pairs: Int
    /// false: every pair i < j; true: `pairs` pairs drawn uniformly (i ≠ j, with replacement) from the
    /// caller's seeded generator.
    public var sampled: Bool

    /// "exact, 4950 pairs" or "sampled 1000000 of 49995000 pairs".
    public var description: String {
        sampled ? "sampled \(pairs) pairs" : "exact, \(pairs) pairs"
    }
}

/// Feature dispersion (Long et al. 2019, "Preventing posterior collapse in sequence VAEs with pooling"): how
/// similar the pooled encoder features h of different sentences are.
public enum Dispersion {
    /// Unit rows u_i = h_i / ‖h_i‖ in Double; an all-zero row stays zero (cosine 0 with everything, as
    /// PyTorch's `cosine_similarity` with its ε gives). Returns the rows and Σ_i ‖u_i‖².
    static func unitRows(_ h: [Float], dimension d: Int) -> (rows: [Double], normSquaredSum: Double) {
        let n = h.count / d
        var u = [Double](repeating: 0, count: h.count)
        var total = 0.0
        h.withUnsafeBufferPointer { hp in
            for i in 0..<n {
                var s = 0.0
                for k in 0..<d { let v = Double(hp[i * d + k]); s += v * v }
                guard s > 0 else { continue }
                let inv = 1 / s.squareRoot()
                var t = 0.0
                for k in 0..<d { let v = Double(hp[i * d + k]) * inv; u[i * d + k] = v; t += v * v }
                total += t
            }
        }
        return (u, total)
    }

    /// Mean pairwise cosine similarity over all pairs i < j, with no N² loop:
    /// Σ_{i<j} u_i·u_j = ½(‖Σ_i u_i‖² − Σ_i ‖u_i‖²), divided by N(N−1)/2. nil when N < 2.
    /// Requires finite h (`precondition`).
    public static func meanPairwiseCosine(_ h: [Float], dimension d: Int) -> Double? {
        precondition(d > 0 && h.count % d == 0, "meanPairwiseCosine: \(h.count) values, dimension \(d)")
        let n = h.count / d
        guard n >= 2 else { return nil }
        var sum = [Double](repeating: 0, count: d)
        var selfDots = 0.0
        h.withUnsafeBufferPointer { hp in
            for i in 0..<n {
                var s = 0.0
                for k in 0..<d { let v = Double(hp[i * d + k]); s += v * v }
                guard s > 0 else { continue }
                let inv = 1 / s.squareRoot()
                var t = 0.0
                for k in 0..<d { let v = Double(hp[i * d + k]) * inv; sum[k] += v; t += v * v }
                selfDots += t
            }
        }
        let total = sum.reduce(0) { $0 + $1 * $1 }
        return (total - selfDots) / (Double(n) * Double(n - 1))
    }

    /// Histogram of the cosines of pairs i < j: exact (blocks of a Float32 Gram matrix of unit rows) when
    /// N(N−1)/2 ≤ `exactPairLimit`, otherwise `sampledPairs` pairs drawn with `generator` (pass
    /// `SplitMix64(seed:)`; the same seed gives the same histogram) and computed in Double.
    public static func cosineHistogram<G: RandomNumberGenerator>(
        _ h: [Float], dimension d: Int, bins: Int = 40, exactPairLimit: Int = 2_000_000,
        sampledPairs: Int = 200_000, generator: inout G
    ) -> CosineHistogram {
        precondition(d > 0 && h.count % d == 0 && bins > 0, "cosineHistogram: bad shape or bins")
        let n = h.count / d
        let edges = (0...bins).map { -1 + 2 * Double($0) / Double(bins) }
        var counts = [Int](repeating: 0, count: bins)
        let allPairs = n * (n - 1) / 2
        let scale = Double(bins) / 2
        @inline(__always) func bin(_ c: Double) -> Int {
            Swift.min(bins - 1, Swift.max(0, Int(((c + 1) * scale).rounded(.down))))
        }
        let (u, _) = unitRows(h, dimension: d)
        if allPairs <= exactPairLimit {
            let uf = u.map { Float($0) }
            let block = 256
            var g = [Float](repeating: 0, count: block * n)
            var start = 0
            while start < n {
                let rows = Swift.min(block, n - start)
                uf.withUnsafeBufferPointer { up in
                    g.withUnsafeMutableBufferPointer { gp in
                        Float64LinearAlgebra.sgemmABt(m: rows, n: n, k: d, up.baseAddress.map { $0 + start * d },
                                                      lda: d, up.baseAddress, ldb: d, gp.baseAddress, ldc: n)
                    }
                }
                for r in 0..<rows {
                    let i = start + r
                    for j in (i + 1)..<Swift.max(i + 1, n) { counts[bin(Double(g[r * n + j]))] += 1 }
                }
                start += rows
            }
            return CosineHistogram(edges: edges, counts: counts, pairs: allPairs, sampled: false)
        }
        u.withUnsafeBufferPointer { up in
            for _ in 0..<sampledPairs {
                let i = Int.random(in: 0..<n, using: &generator)
                var j = Int.random(in: 0..<(n - 1), using: &generator)
                if j >= i { j += 1 }
                counts[bin(dot(up, i * d, j * d, d))] += 1
            }
        }
        return CosineHistogram(edges: edges, counts: counts, pairs: sampledPairs, sampled: true)
    }

    /// Σ_k a_k b_k in Double with four partial sums (lets the compiler vectorise the reduction).
    @inline(__always)
    static func dot(_ u: UnsafeBufferPointer<Double>, _ i: Int, _ j: Int, _ d: Int) -> Double {
        let a = UnsafeBufferPointer(rebasing: u[i..<(i + d)]), b = UnsafeBufferPointer(rebasing: u[j..<(j + d)])
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var k = 0
        while k + 4 <= d {
            s0 += a[k] * b[k]; s1 += a[k + 1] * b[k + 1]; s2 += a[k + 2] * b[k + 2]; s3 += a[k + 3] * b[k + 3]
            k += 4
        }
        while k < d { s0 += a[k] * b[k]; k += 1 }
        return (s0 + s1) + (s2 + s3)
    }
}
