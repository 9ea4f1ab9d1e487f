/// Series transforms used by the line chart: smoothing and decimation.
public enum SeriesMath {
    /// Debiased exponential moving average (as in Adam's bias correction and TensorBoard's smoothing):
    /// sₜ = w·sₜ₋₁ + (1−w)·yₜ with s₋₁ = 0, reported as sₜ / (1 − wᵗ⁺¹), so the first value equals y₀
    /// instead of being pulled towards 0. `w` is clamped to [0, 0.9999]; w = 0 returns `y` unchanged.
    /// Non-finite values are carried through unchanged and do not enter the average.
    public static func debiasedEMA(_ y: [Double], weight w: Double) -> [Double] {
        let w = min(max(w, 0), 0.9999)
        var s = 0.0, correction = 1.0
        var out = y
        for (i, v) in y.enumerated() where v.isFinite {
            s = w * s + (1 - w) * v
            correction *= w
            out[i] = s / (1 - correction)
        }
        return out
    }

    /// Min/max decimation per pixel column: consecutive points whose x falls in the same column of width
    /// `columnWidth` are replaced by (first, min, max, last) in x order, so the drawn envelope is the same
    /// as drawing every point and no spike is ever dropped. Points must be sorted by x for the reduction to
    /// apply; out-of-order runs simply start new columns. Returns the input when it is already small.
    public static func decimate(_ pts: [Point], columnWidth: Double) -> [Point] {
        guard pts.count > 4, columnWidth > 0 else { return pts }
        var out: [Point] = []
        out.reserveCapacity(min(pts.count, 4096))
        var i = 0
        while i < pts.count {
            let col = (pts[i].x / columnWidth).rounded(.down)
            var j = i + 1
            var lo = i, hi = i
            while j < pts.count && (pts[j].x / columnWidth).rounded(.down) == col {
                if pts[j].y < pts[lo].y { lo = j }
                if pts[j].y > pts[hi].y { hi = j }
                j += 1
            }
            let last = j - 1
            var idx = [i, lo, hi, last]
            idx.sort()
            var prev = -1
            for k in idx where k != prev { out.append(pts[k]); prev = k }
            i = j
        }
        return out
    }
}
