import Foundation

/// A map from data values to canvas pixels along one axis: linear, or linear in log10(v).
struct Scale: Sendable {
    var lo: Double
    var hi: Double
    var log: Bool
    /// Pixel positions of `lo` and `hi` (for y, `p0` is the bottom so `p0 > p1`).
    var p0: Double = 0
    var p1: Double = 1

    func t(_ v: Double) -> Double {
        if log {
            let a = Foundation.log10(lo), b = Foundation.log10(hi)
            return (Foundation.log10(v) - a) / (b - a)
        }
        return (v - lo) / (hi - lo)
    }
    func map(_ v: Double) -> Double { p0 + t(v) * (p1 - p0) }
}

/// Ranges of data along one axis, accumulated from finite, scale-valid values.
struct Extent: Sendable {
    var lo = Double.infinity
    var hi = -Double.infinity
    var isEmpty: Bool { !(lo <= hi) }
    mutating func add(_ v: Double) { if v < lo { lo = v }; if v > hi { hi = v } }
    mutating func add(_ e: Extent) { if !e.isEmpty { add(e.lo); add(e.hi) } }

    /// The displayed range: fixed if given; else the data padded by `pad` of its span (in log space on log
    /// axes), widened when empty or degenerate (all-equal values) so that the axis still has ticks; `zero`
    /// forces 0 into a linear range with no padding beyond it (bars, histograms).
    func resolved(scale: AxisScale, fixed: ClosedRange<Double>?, pad: Double, zero: Bool = false) -> (Double, Double) {
        if let f = fixed, f.upperBound > f.lowerBound, scale == .linear || f.lowerBound > 0 {
            return (f.lowerBound, f.upperBound)
        }
        if scale == .log10 {
            guard !isEmpty else { return (1, 10) }
            var a = Foundation.log10(lo), b = Foundation.log10(hi)
            if b - a < 1e-12 { a -= 0.5; b += 0.5 }
            let p = (b - a) * pad
            return (pow(10, a - p), pow(10, b + p))
        }
        guard !isEmpty else { return (0, 1) }
        var a = lo, b = hi
        if zero { a = min(a, 0); b = max(b, 0) }
        if b - a <= 1e-300 || (b - a) <= max(abs(a), abs(b)) * 1e-9 {
            let d = a == 0 ? 0.5 : abs(a) * 0.1
            a -= d; b += d
            if zero && lo >= 0 { a = max(a, 0) }
        }
        let p = (b - a) * pad
        let padLo = zero && a == 0 && lo >= 0 ? 0 : p
        let padHi = zero && b == 0 && hi <= 0 ? 0 : p
        return (a - padLo, b + padHi)
    }
}

/// Counts of values that could not be drawn, reported as a note on the chart.
struct SkipCounts: Sendable {
    var nonFinite = 0
    var nonPositiveLog = 0
    var notes: [String] {
        var out: [String] = []
        if nonFinite > 0 { out.append("\(nonFinite) NaN/±∞ value\(nonFinite == 1 ? "" : "s") skipped") }
        if nonPositiveLog > 0 {
            out.append("\(nonPositiveLog) value\(nonPositiveLog == 1 ? "" : "s") ≤ 0 skipped on log axis")
        }
        return out
    }
    mutating func add(_ o: SkipCounts) { nonFinite += o.nonFinite; nonPositiveLog += o.nonPositiveLog }

    /// True when (x, y) can be drawn; counts it otherwise.
    mutating func accept(_ x: Double, _ y: Double, xLog: Bool, yLog: Bool) -> Bool {
        if !x.isFinite || !y.isFinite { nonFinite += 1; return false }
        if (xLog && x <= 0) || (yLog && y <= 0) { nonPositiveLog += 1; return false }
        return true
    }
}
