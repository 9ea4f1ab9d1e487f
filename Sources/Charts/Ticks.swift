import Foundation

/// A tick on an axis: its data value and its label (empty for minor ticks).
public struct Tick: Sendable, Hashable {
    public var value: Double
    public var label: String
    public var isMajor: Bool
}

/// Tick choice: "nice" steps 1, 2, 5 × 10ⁿ on linear axes, decades on log axes.
public enum Ticks {
    /// The smallest nice step (1, 2, 2.5 or 5 × 10ⁿ) not below `raw`. 2.5 is only used when `allowQuarter`.
    static func niceStep(atLeast raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let e = floor(Foundation.log10(raw))
        let base = pow(10, e)
        for m in [1.0, 2.0, 5.0, 10.0] where m * base >= raw * (1 - 1e-9) { return m * base }
        return 10 * base
    }

    /// Linear ticks covering [lo, hi] with at most `maxCount` ticks, step from the 1–2–5 sequence.
    /// Edge cases: lo == hi is widened by the caller; a non-finite range gives no ticks.
    public static func linear(lo: Double, hi: Double, maxCount: Int) -> [Tick] {
        guard lo.isFinite, hi.isFinite, hi > lo else { return [] }
        let maxCount = max(2, maxCount)
        // The smallest 1–2–5 step whose multiples inside the range number at most maxCount.
        var step = niceStep(atLeast: (hi - lo) / Double(maxCount + 1))
        var values: [Double] = linearValues(lo: lo, hi: hi, step: step)
        for _ in 0..<12 where values.count > maxCount {
            step = niceStep(atLeast: step * 1.01)
            values = linearValues(lo: lo, hi: hi, step: step)
        }
        if shouldUseScientific(values: values, step: step) {
            // One shared exponent, the mantissas with the digits the step needs: 0.5×10⁶, 1.0×10⁶, …
            let top = values.map { abs($0) }.max() ?? 1
            let e = Int(floor(Foundation.log10(top) + 1e-9))
            let d = decimalsFor(step: step / pow(10, Double(e)))
            return values.map { v in
                let m = format(v / pow(10, Double(e)), decimals: d, scientific: false, step: 1)
                return Tick(value: v, label: v == 0 ? "0" : m + "×10" + superscript(e), isMajor: true)
            }
        }
        let decimals = decimalsFor(step: step)
        return values.map { Tick(value: $0, label: format($0, decimals: decimals, scientific: false, step: step), isMajor: true) }
    }

    /// Multiples of `step` inside [lo, hi] (a tolerance of 1e-9 of the span keeps the ends).
    static func linearValues(lo: Double, hi: Double, step: Double) -> [Double] {
        let eps = (hi - lo) * 1e-9
        let first = ceil((lo - eps) / step)
        let last = floor((hi + eps) / step)
        guard last >= first, last - first < 10_000 else { return [] }
        return stride(from: first, through: last, by: 1).map { v in
            let x = v * step
            return abs(x) < step * 1e-9 ? 0 : x
        }
    }

    /// Log-10 ticks over [lo, hi] (both > 0): every k-th decade labelled 10ⁿ so that at most `maxCount`
    /// labels appear, minor ticks at 2…9 × 10ⁿ when the span is at most 6 decades. A span under one decade
    /// falls back to 1–2–5 ticks within it, labelled in plain digits.
    public static func log10(lo: Double, hi: Double, maxCount: Int) -> [Tick] {
        guard lo > 0, hi > lo, lo.isFinite, hi.isFinite else { return [] }
        let a = Foundation.log10(lo), b = Foundation.log10(hi)
        let firstDecade = Int(ceil(a - 1e-9)), lastDecade = Int(floor(b + 1e-9))
        let decades = lastDecade - firstDecade + 1
        if decades < 2 {
            // Less than two decade ticks: 1–2–5 multiples inside, each labelled.
            var out: [Tick] = []
            let e0 = Int(floor(a)), e1 = Int(ceil(b))
            for e in e0...e1 {
                for m in [1.0, 2.0, 5.0] {
                    let v = m * pow(10, Double(e))
                    if v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) { out.append(Tick(value: v, label: plainLog(v), isMajor: true)) }
                }
            }
            if out.count >= 2 && out.count <= max(2, maxCount) {
                for e in e0...e1 {
                    for m in [3.0, 4, 6, 7, 8, 9] {
                        let v = m * pow(10, Double(e))
                        if v >= lo && v <= hi { out.append(Tick(value: v, label: "", isMajor: false)) }
                    }
                }
                return out
            }
            return linear(lo: lo, hi: hi, maxCount: maxCount)
        }
        let every = max(1, Int(ceil(Double(decades) / Double(max(2, maxCount)))))
        var out: [Tick] = []
        for d in firstDecade...lastDecade where (d - firstDecade) % every == 0 || every == 1 {
            out.append(Tick(value: pow(10, Double(d)), label: decadeLabel(d), isMajor: true))
        }
        if every == 1 && decades <= 7 {
            for d in (firstDecade - 1)...lastDecade {
                for m in 2...9 {
                    let v = Double(m) * pow(10, Double(d))
                    if v >= lo && v <= hi { out.append(Tick(value: v, label: "", isMajor: false)) }
                }
            }
        }
        return out
    }

    /// "10³", "10⁻²": decades are always labelled as powers of ten (as matplotlib does).
    static func decadeLabel(_ d: Int) -> String { "10" + superscript(d) }

    static func plainLog(_ v: Double) -> String {
        let e = Int(floor(Foundation.log10(v) + 1e-9))
        if e >= -4 && e <= 5 { return format(v, decimals: max(0, -e), scientific: false, step: pow(10, Double(e))) }
        let m = v / pow(10, Double(e))
        return format(m, decimals: 0, scientific: false, step: 1) + "×10" + superscript(e)
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        var s = String(abs(n)).map { digits[Int(String($0)) ?? 0] }.map(String.init).joined()
        if n < 0 { s = "⁻" + s }
        return s
    }

    /// Number of decimals that shows every multiple of `step` exactly (step from 1–2–5 × 10ⁿ).
    static func decimalsFor(step: Double) -> Int {
        guard step > 0, step.isFinite else { return 0 }
        var d = 0
        while d < 12 {
            let scaled = step * pow(10, Double(d))
            if scaled >= 0.5 && abs(scaled - scaled.rounded()) < 1e-6 * scaled { return d }
            d += 1
        }
        return d
    }

    static func shouldUseScientific(values: [Double], step: Double) -> Bool {
        let m = values.map { abs($0) }.max() ?? 0
        return m >= 1e6 || (m > 0 && m < 1e-3) || (step < 1e-4 && m < 1)
    }

    /// Formats a tick value: fixed decimals, or mantissa×10ⁿ with the mantissa digits the step needs.
    /// A minus sign is the Unicode minus (U+2212), as in typeset figures.
    public static func format(_ v: Double, decimals: Int, scientific: Bool, step: Double) -> String {
        let v = v == 0 ? 0 : v  // no "−0.0"
        if v == 0 && scientific { return "0" }
        var s: String
        if scientific {
            let e = Int(floor(Foundation.log10(abs(v)) + 1e-9))
            let m = v / pow(10, Double(e))
            let md = max(0, min(6, e - Int(floor(Foundation.log10(step) + 1e-9))))
            s = String(format: "%.\(md)f", m)
            if s.hasPrefix("-") { s = "\u{2212}" + s.dropFirst() }
            // Strip a mantissa that rounds to exactly 1 → "10ⁿ".
            if s == "1" { return "10" + superscript(e) }
            if s == "\u{2212}1" { return "\u{2212}10" + superscript(e) }
            return s + "×10" + superscript(e)
        }
        s = String(format: "%.\(decimals)f", v)
        if s.hasPrefix("-") { s = "\u{2212}" + s.dropFirst() }
        return s
    }

    /// A plain number label for values outside tick context (colour bars, annotations): 3 significant digits.
    public static func compact(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "∞" : "\u{2212}∞") }
        if v == 0 { return "0" }
        let a = abs(v)
        var s: String
        if a >= 1e5 || a < 1e-3 {
            s = String(format: "%.2e", v)
        } else {
            let e = Int(floor(Foundation.log10(a)))
            s = String(format: "%.\(max(0, 2 - e))f", v)
            if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
        }
        if s.hasPrefix("-") { s = "\u{2212}" + s.dropFirst() }
        return s
    }
}
