import CBLAS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A scalar the numeric code can be written over once and run in Float32 (training) or Float64 (the
/// finite-difference checks): general matrix multiply through CBLAS plus the elementwise functions the
/// layers need. Float gets vectorised versions of the in-place array functions (see FastMath.swift).
public protocol BLASScalar: BinaryFloatingPoint, Codable, Sendable {
    /// Row-major C (m, n) = alpha · op(A) (m, k) · op(B) (k, n) + beta · C with explicit leading dimensions.
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int, beta: Self,
                     c: UnsafeMutablePointer<Self>, ldc: Int)
    static func scalarExp(_ x: Self) -> Self
    static func scalarLog(_ x: Self) -> Self
    static func scalarTanh(_ x: Self) -> Self
    /// x ← 1 / (1 + e^(−x)), elementwise.
    static func sigmoidInPlace(_ x: UnsafeMutablePointer<Self>, count: Int)
    /// x ← tanh x, elementwise.
    static func tanhInPlace(_ x: UnsafeMutablePointer<Self>, count: Int)
    /// x ← e^(x − shift), elementwise; returns Σ e^(x − shift) accumulated in Double.
    static func expShiftedInPlace(_ x: UnsafeMutablePointer<Self>, count: Int, shift: Self) -> Double
    /// The largest of x[0 ..< count] (count ≥ 1), as the loop `m = x[0]; for v where x[v] > m { m = x[v] }` finds it.
    static func maximum(_ x: UnsafePointer<Self>, count: Int) -> Self
    /// Σ e^(x − shift) without writing anything (the log-softmax of one target).
    static func sumExpShifted(_ x: UnsafePointer<Self>, count: Int, shift: Self) -> Double
}

extension Float: BLASScalar {
    @inlinable
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
                            c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inlinable public static func scalarExp(_ x: Float) -> Float { expf(x) }
    @inlinable public static func scalarLog(_ x: Float) -> Float { logf(x) }
    @inlinable public static func scalarTanh(_ x: Float) -> Float { tanhf(x) }
    public static func maximum(_ x: UnsafePointer<Float>, count: Int) -> Float { FastMath.maximum(x, count: count) }
    public static func sumExpShifted(_ x: UnsafePointer<Float>, count: Int, shift: Float) -> Double {
        FastMath.sumExpShifted(x, count: count, shift: shift)
    }
    public static func sigmoidInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
        FastMath.sigmoid(x, count: count)
    }
    public static func tanhInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
        FastMath.tanh(x, count: count)
    }
    public static func expShiftedInPlace(_ x: UnsafeMutablePointer<Float>, count: Int, shift: Float) -> Double {
        FastMath.expShifted(x, count: count, shift: shift)
    }
}

extension Double: BLASScalar {
    @inlinable
    public static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
                            c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    @inlinable public static func scalarExp(_ x: Double) -> Double { exp(x) }
    @inlinable public static func scalarLog(_ x: Double) -> Double { log(x) }
    @inlinable public static func scalarTanh(_ x: Double) -> Double { tanh(x) }
    public static func sumExpShifted(_ x: UnsafePointer<Double>, count: Int, shift: Double) -> Double {
        var sum = 0.0
        for i in 0..<count { sum += exp(x[i] - shift) }
        return sum
    }
    public static func maximum(_ x: UnsafePointer<Double>, count: Int) -> Double {
        var m = x[0]
        for v in 1..<max(1, count) where x[v] > m { m = x[v] }
        return m
    }
    public static func sigmoidInPlace(_ x: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { x[i] = 1 / (1 + exp(-x[i])) }
    }
    public static func tanhInPlace(_ x: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { x[i] = tanh(x[i]) }
    }
    public static func expShiftedInPlace(_ x: UnsafeMutablePointer<Double>, count: Int, shift: Double) -> Double {
        var sum = 0.0
        for i in 0..<count {
            let e = exp(x[i] - shift)
            x[i] = e
            sum += e
        }
        return sum
    }
}
