import Tensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Mean pairwise cosine similarity of the encoder features (Long et al. 2019 §4.2):
//   c = (1/P) Σ_{i<j} n_i·n_j,  n_i = h_i / |h_i|,  P = B(B−1)/2.
// With s = Σ_i n_i: Σ_{i<j} n_i·n_j = (|s|² − B)/2, so dc/dn_i = (s − n_i)/P and, through the
// normalisation, dc/dh_i = (g_i − n_i (n_i·g_i)) / |h_i| with g_i = dc/dn_i.
// Edge cases: B < 2 has no pairs and gives c = 0 with zero gradient; a zero feature vector has norm clamped
// to 1e−12·… (it contributes cosine 0 and, being at a non-differentiable point, an arbitrary finite gradient).

/// Returns c for h (B, D); writes the unit vectors `normalized` (B, D) and the norms (B) for backward.
@_specialize(where S == Float)
@_specialize(where S == Double)
func pairwiseCosineForward<S: BLASScalar>(h: UnsafePointer<S>, normalized: UnsafeMutablePointer<S>,
                                          norms: UnsafeMutablePointer<S>, batch B: Int, size D: Int) -> Double {
    guard B >= 2 else { return 0 }
    var s = [Double](repeating: 0, count: D)
    for b in 0..<B {
        let row = h + b * D, nr = normalized + b * D
        var sq = 0.0
        for d in 0..<D { sq += Double(row[d]) * Double(row[d]) }
        let norm = max(sq.squareRoot(), 1e-12)
        norms[b] = S(norm)
        for d in 0..<D {
            nr[d] = S(Double(row[d]) / norm)
            s[d] += Double(nr[d])
        }
    }
    var total = 0.0
    for d in 0..<D { total += s[d] * s[d] }
    var self2 = 0.0
    for i in 0..<(B * D) { self2 += Double(normalized[i]) * Double(normalized[i]) }
    let pairs = Double(B * (B - 1) / 2)
    return (total - self2) / 2 / pairs
}

/// Backward: dh (B, D) += weight · dc/dh, for loss = weight · c.
@_specialize(where S == Float)
@_specialize(where S == Double)
func pairwiseCosineBackward<S: BLASScalar>(normalized: UnsafePointer<S>, norms: UnsafePointer<S>, weight: Double,
                                           dh: UnsafeMutablePointer<S>, batch B: Int, size D: Int) {
    guard B >= 2, weight != 0 else { return }
    let pairs = Double(B * (B - 1) / 2)
    var s = [Double](repeating: 0, count: D)
    for i in 0..<(B * D) { s[i % D] += Double(normalized[i]) }
    var g = [Double](repeating: 0, count: D)
    for b in 0..<B {
        let nr = normalized + b * D, dr = dh + b * D
        var dot = 0.0
        for d in 0..<D {
            g[d] = (s[d] - Double(nr[d])) * weight / pairs
            dot += g[d] * Double(nr[d])
        }
        let inv = 1 / Double(norms[b])
        for d in 0..<D { dr[d] += S((g[d] - Double(nr[d]) * dot) * inv) }
    }
}
