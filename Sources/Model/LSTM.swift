import Tensor

// One-layer LSTM cell kernels (Hochreiter & Schmidhuber 1997, the PyTorch gate order i, f, g, o):
//   [i f g o] = x·W_ih + b + h_{t−1}·W_hh,  i, f, o = σ(·), g = tanh(·)
//   c_t = f ⊙ c_{t−1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)
// Row layout of a gate buffer (B, 4H): [i (H) | f (H) | g (H) | o (H)].

/// One LSTM step. `gates` (B, 4H) holds the input projection x·W_ih + b on entry and the activated gates
/// [i f g o] on exit; writes c (B, H), tanhC (B, H) = tanh(c) and h (B, H).
@inline(__always)
func lstmStepForward<S: BLASScalar>(gates: UnsafeMutablePointer<S>, wHH: UnsafePointer<S>,
                                    hPrev: UnsafePointer<S>, cPrev: UnsafePointer<S>,
                                    h: UnsafeMutablePointer<S>, c: UnsafeMutablePointer<S>,
                                    tanhC: UnsafeMutablePointer<S>, batch B: Int, hidden H: Int) {
    gemm(hPrev, wHH, into: gates, m: B, n: 4 * H, k: H, accumulate: true)  // (B, H)·(H, 4H)
    for b in 0..<B {
        let g = gates + b * 4 * H
        S.sigmoidInPlace(g, count: 2 * H)
        S.tanhInPlace(g + 2 * H, count: H)
        S.sigmoidInPlace(g + 3 * H, count: H)
        let cp = cPrev + b * H, cr = c + b * H, tr = tanhC + b * H
        for j in 0..<H {
            let v = g[H + j] * cp[j] + g[j] * g[2 * H + j]
            cr[j] = v
            tr[j] = v
        }
    }
    S.tanhInPlace(tanhC, count: B * H)
    for b in 0..<B {
        let o = gates + b * 4 * H + 3 * H, tr = tanhC + b * H, hr = h + b * H
        for j in 0..<H { hr[j] = o[j] * tr[j] }
    }
}

/// LSTM over T steps. `gates` (T, B, 4H): input projections in, activated gates out (kept for backward).
/// `hs` (T+1, B, H) and `cs` (T+1, B, H) must hold the initial state in row block 0; `tanhC` (T, B, H).
@_specialize(where S == Float)
@_specialize(where S == Double)
func lstmForward<S: BLASScalar>(gates: UnsafeMutablePointer<S>, wHH: UnsafePointer<S>,
                                hs: UnsafeMutablePointer<S>, cs: UnsafeMutablePointer<S>,
                                tanhC: UnsafeMutablePointer<S>, steps T: Int, batch B: Int, hidden H: Int) {
    let bh = B * H
    for t in 0..<T {
        lstmStepForward(gates: gates + t * B * 4 * H, wHH: wHH, hPrev: hs + t * bh, cPrev: cs + t * bh,
                        h: hs + (t + 1) * bh, c: cs + (t + 1) * bh, tanhC: tanhC + t * bh, batch: B, hidden: H)
    }
}

/// Backward of `lstmForward`. `dhs` (T, B, H): dLoss/dh_t from above (read only). Writes dGates (T, B, 4H)
/// = dLoss/d(pre-activation gates); adds dW_hh (H, 4H) += Σ_t h_{t−1}ᵀ·dG_t; writes dh0 (B, H) and dc0 (B, H)
/// (the gradients reaching the initial state). `dhNext`, `dcNext`, `dhTmp` are (B, H) workspaces.
@_specialize(where S == Float)
@_specialize(where S == Double)
func lstmBackward<S: BLASScalar>(gates: UnsafePointer<S>, hs: UnsafePointer<S>, cs: UnsafePointer<S>,
                                 tanhC: UnsafePointer<S>, wHH: UnsafePointer<S>, dhs: UnsafePointer<S>,
                                 dGates: UnsafeMutablePointer<S>, dWhh: UnsafeMutablePointer<S>,
                                 dh0: UnsafeMutablePointer<S>, dc0: UnsafeMutablePointer<S>,
                                 steps T: Int, batch B: Int, hidden H: Int) {
    let bh = B * H
    let dh = dh0, dc = dc0  // running dLoss/dh_t and dLoss/dc_t, both (B, H)
    dh.update(repeating: 0, count: bh)
    dc.update(repeating: 0, count: bh)
    for t in stride(from: T - 1, through: 0, by: -1) {
        let g = gates + t * B * 4 * H, dG = dGates + t * B * 4 * H
        let cPrev = cs + t * bh, tc = tanhC + t * bh, dOut = dhs + t * bh
        for b in 0..<B {
            let gr = g + b * 4 * H, dgr = dG + b * 4 * H
            let cp = cPrev + b * H, tr = tc + b * H, dor = dOut + b * H, dhr = dh + b * H, dcr = dc + b * H
            for j in 0..<H {
                let i = gr[j], f = gr[H + j], gg = gr[2 * H + j], o = gr[3 * H + j], th = tr[j]
                let dhj = dor[j] + dhr[j]
                let dcj = dcr[j] + dhj * o * (1 - th * th)
                dgr[j] = dcj * gg * i * (1 - i)
                dgr[H + j] = dcj * cp[j] * f * (1 - f)
                dgr[2 * H + j] = dcj * i * (1 - gg * gg)
                dgr[3 * H + j] = dhj * th * o * (1 - o)
                dcr[j] = dcj * f
            }
        }
        gemm(dG, wHH, transposeB: true, into: dh, m: B, n: H, k: 4 * H)  // (B, 4H)·(4H, H)
    }
    gemm(hs, transposeA: true, dGates, into: dWhh, m: H, n: 4 * H, k: T * B, accumulate: true)  // (H, TB)·(TB, 4H)
}
