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

    /// `exp` on eight lanes at once: the same Cephes scheme, operation for operation, so each lane equals the
    /// scalar `exp` of its input (tested lane by lane). Kept as a second copy on purpose: routing the scalar `exp`
    /// through it would stop LLVM from vectorising the scalar loops (sigmoid, tanh, expShifted) that call it.
    @inline(__always)
    public static func exp8(_ x0: SIMD8<Float>) -> SIMD8<Float> {
        var x = x0.replacing(with: -87.3, where: x0 .< -87.3)
        x.replace(with: 88.3, where: x .> 88.3)
        let t = x * 1.442_695_04 + 12_582_912.0
        let n = t - 12_582_912.0
        var r = x - n * 0.693_359_375
        r = r + n * 2.121_944_40e-4
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_1e-1
        p = p * (r * r) + r + 1
        let bits = (unsafeBitCast(t, to: SIMD8<UInt32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(bits, to: SIMD8<Float>.self)
    }

    /// Σ_i e^(x[i] − shift) without writing the exponentials (log-softmax of one target needs only the sum),
    /// eight lanes at a time; the same terms as `expShifted` (lane sums in float, then Double).
    public static func sumExpShifted(_ x: UnsafePointer<Float>, count: Int, shift: Float) -> Double {
        var acc = SIMD8<Float>(repeating: 0)
        let s = SIMD8<Float>(repeating: shift)
        var i = 0
        while i + 8 <= count {
            acc += exp8(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) - s)
            i += 8
        }
        var sum = Double(acc.sum())
        while i < count {
            sum += Double(exp(x[i] - shift))
            i += 1
        }
        return sum
    }

    /// max_i x[i] over eight lanes (count ≥ 1); the same value as the scalar loop `m = x[0]; for v where x[v] > m`
    /// for finite inputs (a NaN is passed over, as that loop passes over one after the first element). The scalar
    /// loop does not vectorise (LLVM keeps a strict float max reduction sequential); eight lanes make the
    /// softmax's row maximum ~8× faster (`vaescope bench eval`).
    public static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var i = 0
        var m = x[0]
        if count >= 8 {
            var acc = UnsafeRawPointer(x).loadUnaligned(as: SIMD8<Float>.self)
            i = 8
            while i + 8 <= count {
                let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
                acc.replace(with: v, where: v .> acc)
                i += 8
            }
            m = acc[0]
            for l in 1..<8 where acc[l] > m { m = acc[l] }
        }
        while i < count {
            if x[i] > m { m = x[i] }
            i += 1
        }
        return m
    }

    public static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = 1 / (1 + exp(-x[i])) }
    }

    public static func tanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] = 1 - 2 / (exp(x[i] + x[i]) + 1) }
    }
}
