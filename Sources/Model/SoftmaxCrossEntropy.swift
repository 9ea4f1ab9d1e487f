import Tensor

/// Softmax cross-entropy over the vocabulary, row by row: for logits (N, V) and targets (N),
/// loss_n = log Σ_v e^{x_nv} − x_{n,y_n} (computed with the row maximum subtracted, so it never overflows).
/// The logits are replaced by the probabilities p (N, V); the per-row losses go to `rowLoss` (N) in Double.
@_specialize(where S == Float)
@_specialize(where S == Double)
func softmaxCrossEntropyForward<S: BLASScalar>(logits: UnsafeMutablePointer<S>, targets: UnsafePointer<Int32>,
                                               rowLoss: UnsafeMutablePointer<Double>, rows N: Int, classes V: Int) {
    for n in 0..<N {
        let row = logits + n * V
        let m = S.maximum(row, count: V)
        let target = Double(row[Int(targets[n])] - m)
        let sum = S.expShiftedInPlace(row, count: V, shift: m)
        rowLoss[n] = Foundation_log(sum) - target
        let inv = S(1 / sum)
        for v in 0..<V { row[v] *= inv }
    }
}

/// Backward of `softmaxCrossEntropyForward` for loss = scale · Σ_n loss_n: turns the probabilities p (N, V)
/// in place into dLoss/dlogits = scale · (p − onehot(y)).
@_specialize(where S == Float)
@_specialize(where S == Double)
func softmaxCrossEntropyBackward<S: BLASScalar>(probabilities p: UnsafeMutablePointer<S>, targets: UnsafePointer<Int32>,
                                                scale: S, rows N: Int, classes V: Int) {
    for n in 0..<N {
        let row = p + n * V
        for v in 0..<V { row[v] *= scale }
        row[Int(targets[n])] -= scale
    }
}

/// log-softmax value of the target only (no probabilities kept): for scoring (log-likelihood, decoding).
/// Leaves the row as it was (only the maximum and Σ e^(x − max) are computed).
@_specialize(where S == Float)
@_specialize(where S == Double)
func logSoftmaxAt<S: BLASScalar>(_ row: UnsafeMutablePointer<S>, target: Int, classes V: Int) -> Double {
    let m = S.maximum(row, count: V)
    let x = Double(row[target] - m)
    let sum = S.sumExpShifted(row, count: V, shift: m)
    return x - Foundation_log(sum)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@inline(__always) func Foundation_log(_ x: Double) -> Double { log(x) }
