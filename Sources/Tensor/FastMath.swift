#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Vectorised Float32 elementwise functions for the hot loops (gates, softmax).
///
/// exp: Cephes' expf scheme — x = n·ln 2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, 2^n by exponent
/// bits; relative error ≈ 2 ulp on [−87, 88]; inputs are clamped to that range (e^−87 ≈ 1.6e−38 is the
/// smallest normal, so tiny results flush towards 0 rather than producing denormals; e^88 ≈ 1.65e38).
/// tanh(x) = 1 − 2 / (e^(2x) + 1) and σ(x) = 1 / (1 + e^(−x)) inherit its accuracy (absolute error < 1e−7).
public enum FastMath {
    public typealias V = SIMD8<Float>

    @inline(__always)
    public static func exp(_ x0: V) -> V {
        let x = x0.clamped(lowerBound: V(repeating: -87.3), upperBound: V(repeating: 88.3))
        let n = (x * 1.442_695_04).rounded(.toNearestOrEven)
        var r = x - n * 0.693_359_375
        r = r + n * 2.121_944_40e-4
        var p = V(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_1e-1
        let r2 = r * r
        p = p * r2 + r + 1
        let ni = SIMD8<Int32>(n, rounding: .towardZero)
        let bits = (ni &+ 127) &<< 23
        let scale = unsafeBitCast(bits, to: V.self)
        return p * scale
    }

    public static func expShifted(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Double {
        var i = 0
        var acc = V(repeating: 0)
        let s = V(repeating: shift)
        while i + 8 <= count {
            let raw = UnsafeMutableRawPointer(x + i)
            let v = exp(raw.loadUnaligned(as: V.self) - s)
            raw.storeBytes(of: v, as: V.self)
            acc += v
            i += 8
        }
        var sum = Double(acc.sum())
        while i < count {
            let e = expf(x[i] - shift)
            x[i] = e
            sum += Double(e)
            i += 1
        }
        return sum
    }

    public static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let one = V(repeating: 1)
        while i + 8 <= count {
            let raw = UnsafeMutableRawPointer(x + i)
            let v = raw.loadUnaligned(as: V.self)
            raw.storeBytes(of: one / (one + exp(-v)), as: V.self)
            i += 8
        }
        while i < count {
            x[i] = 1 / (1 + expf(-x[i]))
            i += 1
        }
    }

    public static func tanh(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let one = V(repeating: 1)
        while i + 8 <= count {
            let raw = UnsafeMutableRawPointer(x + i)
            let v = raw.loadUnaligned(as: V.self)
            raw.storeBytes(of: one - 2 / (exp(v + v) + one), as: V.self)
            i += 8
        }
        while i < count {
            x[i] = tanhf(x[i])
            i += 1
        }
    }
}
