/// Principal components of a point cloud by power iteration with deflation on its covariance (Double).
///
/// For N points of dimension D: the covariance C (D×D, N − 1 divisor) is formed once (O(N·D²)); each of the
/// k leading eigenvectors is found by power iteration from a fixed start (deterministic), then deflated
/// C ← C − λ v vᵀ. Converges when |λ_t − λ_{t−1}| ≤ 1e-10·|λ|, at most 500 iterations. Sign fixed so the
/// largest-magnitude component of v is positive. N < 2 or zero variance gives a zero projection.
public struct PCAProjection: Sendable, Equatable {
    /// (n, 2) row-major projections of the kept points.
    public var points: [Double]
    public var count: Int
    /// Variance explained by each of the two components, as fractions of the total.
    public var explained: [Double]
    /// Total points before subsampling.
    public var total: Int

    /// Projects `values` (N, D) on its first two principal components, keeping at most `maxPoints` points
    /// (every ⌈N / maxPoints⌉-th, so the choice is deterministic).
    public static func compute(_ values: [Float], count n: Int, dimension d: Int, maxPoints: Int = 2000) -> PCAProjection? {
        guard n >= 2, d >= 1, values.count == n * d else { return nil }
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += Double(values[i * d + j]) } }
        for j in 0..<d { mean[j] /= Double(n) }
        var cov = [Double](repeating: 0, count: d * d)
        var row = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for j in 0..<d { row[j] = Double(values[i * d + j]) - mean[j] }
            for a in 0..<d {
                let ra = row[a]
                if ra == 0 { continue }
                for b in a..<d { cov[a * d + b] += ra * row[b] }
            }
        }
        for a in 0..<d { for b in a..<d { cov[a * d + b] /= Double(n - 1); cov[b * d + a] = cov[a * d + b] } }
        let total = (0..<d).reduce(0.0) { $0 + cov[$1 * d + $1] }
        var components: [[Double]] = []
        var explained: [Double] = []
        for _ in 0..<min(2, d) {
            let (lambda, v) = powerIteration(cov, d)
            components.append(v)
            explained.append(total > 0 ? max(0, lambda) / total : 0)
            for a in 0..<d { for b in 0..<d { cov[a * d + b] -= lambda * v[a] * v[b] } }
        }
        while components.count < 2 { components.append([Double](repeating: 0, count: d)); explained.append(0) }
        let stride = max(1, (n + maxPoints - 1) / maxPoints)
        var points: [Double] = []
        var kept = 0
        var i = 0
        while i < n {
            for c in 0..<2 {
                var s = 0.0
                for j in 0..<d { s += (Double(values[i * d + j]) - mean[j]) * components[c][j] }
                points.append(s)
            }
            kept += 1
            i += stride
        }
        return PCAProjection(points: points, count: kept, explained: explained, total: n)
    }

    static func powerIteration(_ m: [Double], _ d: Int) -> (Double, [Double]) {
        var v = (0..<d).map { 1.0 + 0.01 * Double($0) }
        var norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        v = v.map { $0 / norm }
        var lambda = 0.0
        var w = [Double](repeating: 0, count: d)
        for _ in 0..<500 {
            for a in 0..<d {
                var s = 0.0
                for b in 0..<d { s += m[a * d + b] * v[b] }
                w[a] = s
            }
            norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm == 0 { return (0, v) }
            let next = (0..<d).reduce(0.0) { $0 + v[$1] * w[$1] }
            v = w.map { $0 / norm }
            if abs(next - lambda) <= 1e-10 * abs(next) { lambda = next; break }
            lambda = next
        }
        if let big = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
        return (lambda, v)
    }
}
