import Tensor

// Encoder feature pooling over time (Long et al. 2019 §4.1), all masked by the sentence lengths:
//   last:   h_b = hs[L_b − 1, b]                      (the true last token, not padding)
//   mean:   h_b = (1/L_b) Σ_{t<L_b} hs[t, b]
//   max:    h_bd = max_{t<L_b} hs[t, b, d]            (first maximum on ties)
//   absMax: h_bd = hs[t*, b, d], t* = argmax_{t<L_b} |hs[t, b, d]|   (sign kept; first on ties)
// Lengths must be ≥ 1. The gradient of max/absMax goes to the selected element only.

/// hs (T, B, H) → out (B, H); `arg` (B, H) receives the selected time index (max, absMax; L_b − 1 for last).
@_specialize(where S == Float)
@_specialize(where S == Double)
func poolForward<S: BLASScalar>(_ kind: VAEConfig.Pooling, hs: UnsafePointer<S>, lengths: UnsafePointer<Int32>,
                                out: UnsafeMutablePointer<S>, arg: UnsafeMutablePointer<Int32>,
                                batch B: Int, hidden H: Int) {
    for b in 0..<B {
        let L = Int(lengths[b])
        precondition(L >= 1, "poolForward: sentence \(b) has length 0")
        let o = out + b * H, a = arg + b * H
        switch kind {
        case .last:
            o.update(from: hs + ((L - 1) * B + b) * H, count: H)
            a.update(repeating: Int32(L - 1), count: H)
        case .mean:
            o.update(repeating: 0, count: H)
            for t in 0..<L {
                let row = hs + (t * B + b) * H
                for d in 0..<H { o[d] += row[d] }
            }
            let inv = 1 / S(L)
            for d in 0..<H { o[d] *= inv }
        case .max, .absMax:
            o.update(from: hs + b * H, count: H)
            a.update(repeating: 0, count: H)
            for t in 1..<max(L, 1) {
                let row = hs + (t * B + b) * H
                for d in 0..<H {
                    let better = kind == .max ? row[d] > o[d] : abs(row[d]) > abs(o[d])
                    if better {
                        o[d] = row[d]
                        a[d] = Int32(t)
                    }
                }
            }
        }
    }
}

/// Backward of `poolForward`: dhs (T, B, H) += the pooled gradient dOut (B, H) routed to the positions used.
@_specialize(where S == Float)
@_specialize(where S == Double)
func poolBackward<S: BLASScalar>(_ kind: VAEConfig.Pooling, dOut: UnsafePointer<S>, lengths: UnsafePointer<Int32>,
                                 arg: UnsafePointer<Int32>, dhs: UnsafeMutablePointer<S>, batch B: Int, hidden H: Int) {
    for b in 0..<B {
        let L = Int(lengths[b])
        let g = dOut + b * H, a = arg + b * H
        switch kind {
        case .mean:
            let inv = 1 / S(L)
            for t in 0..<L {
                let row = dhs + (t * B + b) * H
                for d in 0..<H { row[d] += g[d] * inv }
            }
        case .last, .max, .absMax:
            for d in 0..<H { dhs[(Int(a[d]) * B + b) * H + d] += g[d] }
        }
    }
}
