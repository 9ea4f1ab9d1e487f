import Tensor

/// y (N, Out) = x (N, In)·W (In, Out) + b (Out).
@_specialize(where S == Float)
@_specialize(where S == Double)
func linearForward<S: BLASScalar>(x: UnsafePointer<S>, w: UnsafePointer<S>, b: UnsafePointer<S>?,
                                  y: UnsafeMutablePointer<S>, rows N: Int, inputs In: Int, outputs Out: Int) {
    if let b {
        for n in 0..<N { (y + n * Out).update(from: b, count: Out) }
        gemm(x, w, into: y, m: N, n: Out, k: In, accumulate: true)
    } else {
        gemm(x, w, into: y, m: N, n: Out, k: In)
    }
}

/// Backward of `linearForward`: dW (In, Out) += xᵀ·dy, db (Out) += Σ_n dy, dx (N, In) += dy·Wᵀ (when given).
@_specialize(where S == Float)
@_specialize(where S == Double)
func linearBackward<S: BLASScalar>(x: UnsafePointer<S>, w: UnsafePointer<S>, dy: UnsafePointer<S>,
                                   dW: UnsafeMutablePointer<S>, db: UnsafeMutablePointer<S>?,
                                   dx: UnsafeMutablePointer<S>?, rows N: Int, inputs In: Int, outputs Out: Int) {
    gemm(x, transposeA: true, dy, into: dW, m: In, n: Out, k: N, accumulate: true)  // (In, N)·(N, Out)
    if let db { addColumnSums(dy, rows: N, columns: Out, into: db) }
    if let dx { gemm(dy, w, transposeB: true, into: dx, m: N, n: In, k: Out, accumulate: true) }  // (N, Out)·(Out, In)
}

/// out (C) += Σ_r m[r, :] for m (R, C).
@_specialize(where S == Float)
@_specialize(where S == Double)
func addColumnSums<S: BLASScalar>(_ m: UnsafePointer<S>, rows R: Int, columns C: Int, into out: UnsafeMutablePointer<S>) {
    for r in 0..<R {
        let row = m + r * C
        for c in 0..<C { out[c] += row[c] }
    }
}

/// Word embeddings: out (N, E) = table[ids[n], :] for table (V, E).
@_specialize(where S == Float)
@_specialize(where S == Double)
func embeddingForward<S: BLASScalar>(table: UnsafePointer<S>, ids: UnsafePointer<Int32>, out: UnsafeMutablePointer<S>,
                                     count N: Int, size E: Int) {
    for n in 0..<N { (out + n * E).update(from: table + Int(ids[n]) * E, count: E) }
}

/// Backward of `embeddingForward`: dTable[ids[n], :] += dOut[n, :] (repeated ids accumulate, in index order).
@_specialize(where S == Float)
@_specialize(where S == Double)
func embeddingBackward<S: BLASScalar>(ids: UnsafePointer<Int32>, dOut: UnsafePointer<S>, dTable: UnsafeMutablePointer<S>,
                                      count N: Int, size E: Int) {
    for n in 0..<N {
        let d = dTable + Int(ids[n]) * E, g = dOut + n * E
        for e in 0..<E { d[e] += g[e] }
    }
}

/// y (n) += x (n).
@_specialize(where S == Float)
@_specialize(where S == Double)
func addInPlace<S: BLASScalar>(_ y: UnsafeMutablePointer<S>, _ x: UnsafePointer<S>, count n: Int) {
    for i in 0..<n { y[i] += x[i] }
}
