import Tensor

// One-layer GRU cell kernels (Cho et al. 2014, PyTorch's formulation and gate order r, u, n):
//   r = σ(xp_r + hp_r),  u = σ(xp_u + hp_u),  n = tanh(xp_n + r ⊙ hp_n),  h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}
// with xp = x·W_ih + b_ih (B, 3H) and hp = h_{t−1}·W_hh + b_hh (B, 3H). Row layout [r | u | n].

/// One GRU step. `gates` (B, 3H): xp on entry, activated [r u n] on exit; `hp` (B, 3H) receives
/// h_{t−1}·W_hh + b_hh (kept for backward); writes h (B, H).
@inline(__always)
func gruStepForward<S: BLASScalar>(gates: UnsafeMutablePointer<S>, hp: UnsafeMutablePointer<S>,
                                   wHH: UnsafePointer<S>, bHH: UnsafePointer<S>, hPrev: UnsafePointer<S>,
                                   h: UnsafeMutablePointer<S>, batch B: Int, hidden H: Int) {
    for b in 0..<B { (hp + b * 3 * H).update(from: bHH, count: 3 * H) }
    gemm(hPrev, wHH, into: hp, m: B, n: 3 * H, k: H, accumulate: true)  // (B, H)·(H, 3H)
    for b in 0..<B {
        let g = gates + b * 3 * H, p = hp + b * 3 * H
        for j in 0..<(2 * H) { g[j] += p[j] }
        S.sigmoidInPlace(g, count: 2 * H)
        for j in 0..<H { g[2 * H + j] += g[j] * p[2 * H + j] }
        S.tanhInPlace(g + 2 * H, count: H)
        let hr = h + b * H, hpr = hPrev + b * H
        for j in 0..<H {
            let u = g[H + j]
            hr[j] = (1 - u) * g[2 * H + j] + u * hpr[j]
        }
    }
}

/// GRU over T steps. `gates` (T, B, 3H): xp in, [r u n] out; `hps` (T, B, 3H) hidden projections out;
/// `hs` (T+1, B, H) with the initial state in row block 0.
@_specialize(where S == Float)
@_specialize(where S == Double)
func gruForward<S: BLASScalar>(gates: UnsafeMutablePointer<S>, hps: UnsafeMutablePointer<S>,
                               wHH: UnsafePointer<S>, bHH: UnsafePointer<S>, hs: UnsafeMutablePointer<S>,
                               steps T: Int, batch B: Int, hidden H: Int) {
    for t in 0..<T {
        gruStepForward(gates: gates + t * B * 3 * H, hp: hps + t * B * 3 * H, wHH: wHH, bHH: bHH,
                       hPrev: hs + t * B * H, h: hs + (t + 1) * B * H, batch: B, hidden: H)
    }
}

/// Backward of `gruForward`. `dhs` (T, B, H) dLoss/dh_t from above. Writes dXp (T, B, 3H) and dHp (T, B, 3H)
/// (gradients of the input and hidden projections), adds dW_hh (H, 3H) += Σ_t h_{t−1}ᵀ·dHp_t and
/// db_hh (3H) += Σ dHp; writes dh0 (B, H). `dhTmp` is a (B, H) workspace.
@_specialize(where S == Float)
@_specialize(where S == Double)
func gruBackward<S: BLASScalar>(gates: UnsafePointer<S>, hps: UnsafePointer<S>, hs: UnsafePointer<S>,
                                wHH: UnsafePointer<S>, dhs: UnsafePointer<S>,
                                dXp: UnsafeMutablePointer<S>, dHp: UnsafeMutablePointer<S>,
                                dWhh: UnsafeMutablePointer<S>, dbHH: UnsafeMutablePointer<S>,
                                dh0: UnsafeMutablePointer<S>, dhTmp: UnsafeMutablePointer<S>,
                                steps T: Int, batch B: Int, hidden H: Int) {
    let bh = B * H
    let dh = dh0
    dh.update(repeating: 0, count: bh)
    for t in stride(from: T - 1, through: 0, by: -1) {
        let g = gates + t * B * 3 * H, p = hps + t * B * 3 * H
        let dx = dXp + t * B * 3 * H, dp = dHp + t * B * 3 * H
        let hPrev = hs + t * bh, dOut = dhs + t * bh
        for b in 0..<B {
            let gr = g + b * 3 * H, pr = p + b * 3 * H, dxr = dx + b * 3 * H, dpr = dp + b * 3 * H
            let hpr = hPrev + b * H, dor = dOut + b * H, dhr = dh + b * H, dtr = dhTmp + b * H
            for j in 0..<H {
                let r = gr[j], u = gr[H + j], n = gr[2 * H + j]
                let dhj = dor[j] + dhr[j]
                let dnPre = dhj * (1 - u) * (1 - n * n)
                let du = dhj * (hpr[j] - n)
                let dr = dnPre * pr[2 * H + j]
                let drPre = dr * r * (1 - r), duPre = du * u * (1 - u)
                dxr[j] = drPre
                dxr[H + j] = duPre
                dxr[2 * H + j] = dnPre
                dpr[j] = drPre
                dpr[H + j] = duPre
                dpr[2 * H + j] = dnPre * r
                dtr[j] = dhj * u
            }
        }
        dh.update(from: dhTmp, count: bh)
        gemm(dp, wHH, transposeB: true, into: dh, m: B, n: H, k: 3 * H, accumulate: true)  // (B, 3H)·(3H, H)
    }
    gemm(hs, transposeA: true, dHp, into: dWhh, m: H, n: 3 * H, k: T * B, accumulate: true)  // (H, TB)·(TB, 3H)
    addColumnSums(dHp, rows: T * B, columns: 3 * H, into: dbHH)
}
