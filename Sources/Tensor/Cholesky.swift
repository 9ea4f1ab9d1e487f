import CBLAS

/// Double-precision dense linear algebra the metrics need (covariances, log-determinants, the N×N terms of
/// the mutual-information estimator), over OpenBLAS/LAPACK. Matrices are row-major `[Double]`.
public enum Float64LinearAlgebra {
    /// Result of a Cholesky factorisation S = L Lᵀ.
    public enum CholeskyResult: Sendable, Equatable {
        /// The lower factor L (n×n, row-major; the strict upper triangle is zero).
        case factor([Double])
        /// S is not (numerically) positive definite: LAPACK's `dpotrf` stopped at this 1-based leading minor.
        case notPositiveDefinite(minor: Int)
    }

    /// Cholesky factorisation of a symmetric positive definite n×n matrix (LAPACK `dpotrf`, double precision).
    /// Only the lower triangle of `matrix` is read. n = 0 gives an empty factor.
    public static func cholesky(_ matrix: [Double], n: Int) -> CholeskyResult {
        precondition(matrix.count == n * n, "cholesky: \(matrix.count) values for a \(n)×\(n) matrix")
        if n == 0 { return .factor([]) }
        // Row-major lower = column-major upper of the same buffer: ask LAPACK for 'U'.
        var a = matrix
        var uplo = Int8(UInt8(ascii: "U"))
        var order = Int32(n), lda = Int32(n), info: Int32 = 0
        a.withUnsafeMutableBufferPointer { dpotrf_(&uplo, &order, $0.baseAddress, &lda, &info) }
        if info > 0 { return .notPositiveDefinite(minor: Int(info)) }
        precondition(info == 0, "dpotrf: illegal argument \(-info)")
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { a[i * n + j] = 0 } }
        return .factor(a)
    }

    /// C (m×n) = α · A (m×k) · op(B) + β · C, row-major, where op(B) = B (k×n) or Bᵀ (B stored n×k).
    public static func gemm(m: Int, n: Int, k: Int, alpha: Double = 1, _ a: UnsafePointer<Double>?, lda: Int,
                            _ b: UnsafePointer<Double>?, ldb: Int, transposeB: Bool, beta: Double = 0,
                            _ c: UnsafeMutablePointer<Double>?, ldc: Int) {
        cblas_dgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Gram matrix G (d×d) = Xᵀ X of X (n×d), row-major, full (both triangles filled). Double precision.
    public static func gram(_ x: [Double], rows n: Int, columns d: Int) -> [Double] {
        precondition(x.count == n * d, "gram: \(x.count) values for \(n)×\(d)")
        var g = [Double](repeating: 0, count: d * d)
        if n == 0 || d == 0 { return g }
        x.withUnsafeBufferPointer { xp in
            g.withUnsafeMutableBufferPointer { gp in
                cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, Int32(d), Int32(n), 1.0, xp.baseAddress,
                            Int32(d), 0.0, gp.baseAddress, Int32(d))
            }
        }
        for i in 0..<d { for j in (i + 1)..<max(i + 1, d) { g[i * d + j] = g[j * d + i] } }
        return g
    }

    /// Float32 C (m×n) = α · A (m×k) · Bᵀ (B stored n×k) + β · C, row-major (used for blocks of cosines).
    public static func sgemmABt(m: Int, n: Int, k: Int, alpha: Float = 1, _ a: UnsafePointer<Float>?, lda: Int,
                                _ b: UnsafePointer<Float>?, ldb: Int, beta: Float = 0,
                                _ c: UnsafeMutablePointer<Float>?, ldc: Int) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda),
                    b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Σ_i (x_i − m)(x_i − m)ᵀ (d×d, both triangles) of Float32 rows x (n×d), centred and accumulated in Double
    /// by DSYRK over blocks of rows, so no n×d Double copy is made.
    public static func centredGram(_ x: [Float], rows n: Int, columns d: Int, means m: [Double]) -> [Double] {
        precondition(x.count == n * d && m.count == d, "centredGram: \(x.count) values for \(n)×\(d)")
        var g = [Double](repeating: 0, count: d * d)
        if n == 0 || d == 0 { return g }
        let block = 256
        var buffer = [Double](repeating: 0, count: block * d)
        x.withUnsafeBufferPointer { xp in
            buffer.withUnsafeMutableBufferPointer { bp in
                g.withUnsafeMutableBufferPointer { gp in
                    var start = 0
                    while start < n {
                        let rows = min(block, n - start)
                        for r in 0..<rows {
                            let src = (start + r) * d, dst = r * d
                            for k in 0..<d { bp[dst + k] = Double(xp[src + k]) - m[k] }
                        }
                        cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, Int32(d), Int32(rows), 1.0,
                                    bp.baseAddress, Int32(d), start == 0 ? 0.0 : 1.0, gp.baseAddress, Int32(d))
                        start += rows
                    }
                }
            }
        }
        for i in 0..<d { for j in (i + 1)..<max(i + 1, d) { g[i * d + j] = g[j * d + i] } }
        return g
    }
}
