/// Homotopies between codes (Bowman et al. 2016 §6; Prokhorov et al. 2019 Table 2).
public enum Interpolation {
    /// z(t) = (1 − t)·a + t·b at t = i / (points − 1), i = 0…points−1, so the first row is `a` and the last
    /// `b` exactly; returns (points, Z) row-major. points = 1 gives `a` alone.
    public static func linear(from a: [Float], to b: [Float], points: Int) -> [Float] {
        precondition(a.count == b.count, "Interpolation.linear: end points of different sizes")
        precondition(points >= 1, "Interpolation.linear: at least one point")
        var out: [Float] = []
        out.reserveCapacity(points * a.count)
        for i in 0..<points {
            if i == points - 1 && points > 1 { out += b; break }
            let t = points == 1 ? 0 : Float(i) / Float(points - 1)
            for (x, y) in zip(a, b) { out.append((1 - t) * x + t * y) }
        }
        return out
    }

    /// Paths between consecutive pairs of rows of `codes` (rows 2p and 2p+1 for p < pairs), concatenated:
    /// (pairs · points, Z). Pairs beyond the available rows are dropped.
    public static func paths(between codes: [Float], latentSize: Int, pairs: Int, points: Int) -> [Float] {
        let available = latentSize > 0 ? codes.count / latentSize / 2 : 0
        var out: [Float] = []
        for p in 0..<min(pairs, available) {
            let a = Array(codes[(2 * p * latentSize)..<((2 * p + 1) * latentSize)])
            let b = Array(codes[((2 * p + 1) * latentSize)..<((2 * p + 2) * latentSize)])
            out += linear(from: a, to: b, points: points)
        }
        return out
    }
}
