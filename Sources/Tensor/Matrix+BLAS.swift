/// Thin row-major matrix multiply over CBLAS with tight leading dimensions:
/// C (m, n) = alpha · op(A) · op(B) (+ C when `accumulate`), where op(A) is (m, k) and op(B) is (k, n).
/// A is stored (m, k), or (k, m) when `transposeA`; B is stored (k, n), or (n, k) when `transposeB`.
/// Edge cases: m = 0 or n = 0 does nothing; k = 0 leaves C (accumulate) or zeroes it.
@inlinable
public func gemm<S: BLASScalar>(_ a: UnsafePointer<S>, transposeA: Bool = false,
                                _ b: UnsafePointer<S>, transposeB: Bool = false,
                                into c: UnsafeMutablePointer<S>, m: Int, n: Int, k: Int,
                                alpha: S = 1, accumulate: Bool = false) {
    if m == 0 || n == 0 { return }
    if GemmTrace.isRecording { GemmTrace.record(GemmShape(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)) }
    if k == 0 {
        if !accumulate { c.update(repeating: 0, count: m * n) }
        return
    }
    S.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
           a: a, lda: transposeA ? m : k, b: b, ldb: transposeB ? k : n,
           beta: accumulate ? 1 : 0, c: c, ldc: n)
}

/// A small dense row-major matrix value, for code that is not in a hot loop (metrics, tests).
public struct Matrix<S: BLASScalar>: Equatable, Sendable {
    public var rows: Int
    public var columns: Int
    public var values: [S]  // (rows, columns)

    public init(rows: Int, columns: Int, repeating value: S = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape")
        self.rows = rows
        self.columns = columns
        values = Array(repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, values: [S]) {
        precondition(values.count == rows * columns, "Matrix: \(values.count) values for a \(rows)×\(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public subscript(row: Int, column: Int) -> S {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// The transpose (columns, rows).
    public func transposed() -> Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for r in 0..<rows { for c in 0..<columns { t.values[c * rows + r] = values[r * columns + c] } }
        return t
    }

    /// op(self) · op(other) through one gemm.
    public func multiplied(by other: Matrix, transposeSelf: Bool = false, transposeOther: Bool = false) -> Matrix {
        let m = transposeSelf ? columns : rows
        let k = transposeSelf ? rows : columns
        let k2 = transposeOther ? other.columns : other.rows
        let n = transposeOther ? other.rows : other.columns
        precondition(k == k2, "Matrix.multiplied: inner dimensions \(k) and \(k2) differ")
        var out = Matrix(rows: m, columns: n)
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                out.values.withUnsafeMutableBufferPointer { c in
                    guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else { return }
                    gemm(pa, transposeA: transposeSelf, pb, transposeB: transposeOther, into: pc, m: m, n: n, k: k)
                }
            }
        }
        return out
    }
}

/// The shape of one gemm call.
public struct GemmShape: Hashable, Sendable, CustomStringConvertible {
    public var m: Int, n: Int, k: Int
    public var transposeA: Bool, transposeB: Bool
    public init(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
        self.m = m
        self.n = n
        self.k = k
        self.transposeA = transposeA
        self.transposeB = transposeB
    }
    /// 2·m·n·k.
    public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    public var description: String { "\(m)×\(k)\(transposeA ? "ᵀ" : "")·\(k)×\(n)\(transposeB ? "ᵀ" : "")" }
}

/// Records the shapes of the `gemm` calls made while `isRecording` (for `vaescope bench train`, which times
/// plain sgemm on exactly the shapes one training step uses). Single-threaded use only; off by default.
public enum GemmTrace {
    nonisolated(unsafe) public static var isRecording = false
    nonisolated(unsafe) public private(set) static var shapes: [GemmShape] = []
    public static func record(_ shape: GemmShape) { shapes.append(shape) }
    public static func reset() { shapes.removeAll() }
}
