#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Vectorised Float32 elementwise functions for the hot loops (gates, softmax).
///
/// exp: Cephes' expf scheme — x = n·ln 2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, 2^n built from
/// exponent bits; relative error ≈ 2 ulp. Inputs are clamped to [−87.3, 88.3] (e^−87.3 is about the smallest
/// normal float, so tiny results come out near 1e−38 rather than 0 or denormal; e^88.3 ≈ 2.2e38).
/// n = round(x·log₂e) uses the 1.5·2²³ trick (round-to-nearest-even in float arithmetic; its bits are n).
/// The loops are plain scalar code with selects instead of branches, so LLVM vectorises them.
/// tanh(x) = 1 − 2 / (e^(2x) + 1) and σ(x) = 1 / (1 + e^(−x)) inherit its accuracy (absolute error < 1e−6).
public enum FastMath {
    @inline(__always)
    public static func exp(_ x0: Float) -> Float {
        var x = x0 < -87.3 ? -87.3 : x0
        x = x > 88.3 ? 88.3 : x
        let t = x * 1.442_695_04 + 12_582_912.0   // 1.5·2²³ + x·log₂e: low mantissa bits = round(x·log₂e)
        let n = t - 12_582_912.0
        var r = x - n * 0.693_359_375
        r = r + n * 2.121_944_40e-4
        var p: Float = 1.987_569_15e-4
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_1e-1
        p = p * (r * r) + r + 1
        let bits = (t.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
        return p * Float(bitPattern: bits)
    }

    /// x ← e^(x − shift); returns Σ e^(x − shift) (accumulated in eight float lanes, then in Double).
    public static func expShifted(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Double {
        for i in 0..<count { x[i] = exp(x[i] - shift) }
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        while i + 8 <= count {
            acc += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            i += 8
        }
        var sum = Double(acc.sum())
        while i < count {
            sum += Double(x[i])
            i += 1
        }
        return sum
    }

    public static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = 1 / (1 + exp(-x[i])) }
    }

    public static func tanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = 1 - 2 / (exp(x[i] + x[i]) + 1) }
    }
}
