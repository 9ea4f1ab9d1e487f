import Tensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SequenceVAEOf {
    /// Encoder forward for the prepared batch: embeddings → RNN → pooling → μ, log σ² (and `features`).
@_specialize(where S == Float)
    @_specialize(where S == Double)
    func encoderForward() {
        guard let encoder, let muW, let logVarW else { return }
        let B = prepared.batch, T = prepared.encoderSteps, E = config.embeddingSize
        let He = config.encoderHiddenSize, Z = config.latentSize
        encoderInput.resize(T * B * E)
        prepared.encoderIds.withUnsafeBufferPointer { ids in
            embeddingForward(table: embedding.valuePointer, ids: ids.baseAddress!, out: encoderInput.pointer,
                             count: T * B, size: E)
        }
        encoder.forward(x: encoderInput.pointer, steps: T, batch: B, extra: nil, h0: nil)
        features.resize(B * He)
        if poolArg.count < B * He { poolArg = [Int32](repeating: 0, count: B * He) }
        prepared.encoderLengths.withUnsafeBufferPointer { lengths in
            poolArg.withUnsafeMutableBufferPointer { arg in
                poolForward(config.pooling, hs: encoder.outputs, lengths: lengths.baseAddress!, out: features.pointer,
                            arg: arg.baseAddress!, batch: B, hidden: He)
            }
        }
        mu.resize(B * Z)
        logVar.resize(B * Z)
        linearForward(x: features.pointer, w: muW.valuePointer, b: muB.map { UnsafePointer($0.valuePointer) },
                      y: mu.pointer, rows: B, inputs: He, outputs: Z)
        linearForward(x: features.pointer, w: logVarW.valuePointer, b: logVarB.map { UnsafePointer($0.valuePointer) },
                      y: logVar.pointer, rows: B, inputs: He, outputs: Z)
    }

    /// Decoder forward with teacher forcing over the prepared batch, given z (B, Z) in `z` (ignored for the
    /// LM baseline). Leaves the decoder states in `decoder` and the real positions' states in `compactHidden`.
@_specialize(where S == Float)
    @_specialize(where S == Double)
    func decoderForward(dropout: Bool = false) {
        let B = prepared.batch, T = prepared.decoderSteps, E = config.embeddingSize
        let Hd = config.decoderHiddenSize, Z = config.latentSize, GW = latentInputWidth
        decoderInput.resize(T * B * E)
        prepared.decoderInputs.withUnsafeBufferPointer { ids in
            embeddingForward(table: decoderTable.valuePointer, ids: ids.baseAddress!, out: decoderInput.pointer,
                             count: T * B, size: E)
        }
        if dropout && dropoutActive.input { multiply(decoderInput, by: inputDropoutMask, count: T * B * E) }
        var extra: UnsafePointer<S>? = nil
        if let latentToInput {
            latentInput.resize(B * GW)
            gemm(z.pointer, latentToInput.valuePointer, into: latentInput.pointer, m: B, n: GW, k: Z)  // (B, Z)·(Z, G·H)
            extra = UnsafePointer(latentInput.pointer)
        }
        var h0: UnsafePointer<S>? = nil
        var c0: UnsafePointer<S>? = nil
        if latentToStateW != nil {
            initialState.resize(B * Hd)
            initialCell.resize(B * Hd)
            initialStateForward(z: z.pointer, h0: initialState.pointer, c0: initialCell.pointer, batch: B)
            h0 = UnsafePointer(initialState.pointer)
            if config.latentInitialState == .cellTanh { c0 = UnsafePointer(initialCell.pointer) }
        }
        let out: UnsafeMutablePointer<S>
        if let decoder {
            decoder.forward(x: decoderInput.pointer, steps: T, batch: B, extra: extra, h0: h0, c0: c0)
            out = decoder.outputs
        } else {
            convDecoder!.forward(x: decoderInput.pointer, steps: T, batch: B, extra: extra)
            out = convDecoder!.outputs
        }
        let N = prepared.tokenCount
        compactHidden.resize(N * Hd)
        prepared.positions.withUnsafeBufferPointer { pos in
            for n in 0..<N { (compactHidden.pointer + n * Hd).update(from: out + Int(pos[n]) * Hd, count: Hd) }
        }
        if dropout && dropoutActive.output { multiply(compactHidden, by: outputDropoutMask, count: N * Hd) }
    }

    /// The decoder's initial state from z (B, Z): `hidden`: h₀ = z·W_zh + b_zh (c₀ unused); `cellTanh`:
    /// c₀ = z·W_zc, h₀ = tanh(c₀) (He et al. 2019). Requires `latentToStateW`.
@_specialize(where S == Float)
    @_specialize(where S == Double)
    func initialStateForward(z: UnsafePointer<S>, h0: UnsafeMutablePointer<S>, c0: UnsafeMutablePointer<S>, batch B: Int) {
        guard let w = latentToStateW else { return }
        let Hd = config.decoderHiddenSize, Z = config.latentSize
        switch config.latentInitialState {
        case .hidden:
            linearForward(x: z, w: w.valuePointer, b: latentToStateB.map { UnsafePointer($0.valuePointer) }, y: h0,
                          rows: B, inputs: Z, outputs: Hd)
        case .cellTanh:
            gemm(z, w.valuePointer, into: c0, m: B, n: Hd, k: Z)  // (B, Z)·(Z, H_d)
            h0.update(from: c0, count: B * Hd)
            S.tanhInPlace(h0, count: B * Hd)
        }
    }

    /// SkipVAE: adds z_b·W_zo to the logits of each of `rows` positions starting at position `first`, where b
    /// is the position's sentence; `latentLogits` (B, V) must hold z·W_zo.
    func addLatentLogits(to logits: UnsafeMutablePointer<S>, first: Int, rows: Int) {
        let V = config.vocabularySize
        for r in 0..<rows {
            let b = Int(prepared.positionSentence[first + r])
            addInPlace(logits + r * V, latentLogits.pointer + b * V, count: V)
        }
    }

    /// SkipVAE: latentLogits (B, V) = z·W_zo for the prepared batch (z in `z`).
    func latentLogitsForward() {
        guard let w = latentToOutputW else { return }
        let B = prepared.batch, V = config.vocabularySize, Z = config.latentSize
        latentLogits.resize(B * V)
        gemm(z.pointer, w.valuePointer, into: latentLogits.pointer, m: B, n: V, k: Z)  // (B, Z)·(Z, V)
    }

    /// Inverted dropout mask: each of `count` entries is 0 with probability `rate`, else 1/(1 − rate), so the
    /// expected activation is unchanged and evaluation needs no rescaling.
    func drawDropoutMask(_ mask: Buffer<S>, count: Int, rate: Double, rng: inout SplitMix64) {
        mask.resize(count)
        let keep = S(1 / (1 - rate))
        for i in 0..<count { mask[i] = rng.nextUniform() < rate ? 0 : keep }
    }

    /// x ⊙= mask (forward of dropout; its backward is the same product on the gradient).
    func multiply(_ x: Buffer<S>, by mask: Buffer<S>, count: Int) {
        let p = x.pointer, m = mask.pointer
        for i in 0..<count { p[i] *= m[i] }
    }

    /// The full forward pass and the loss; keeps what `backward()` needs.
    @discardableResult
@_specialize(where S == Float)
    @_specialize(where S == Double)
    func forward(_ sentences: [[Int32]], objective: ObjectiveConfig, step: Int, rng: inout SplitMix64,
                 training: Bool) -> StepStats {
        precondition(!sentences.isEmpty, "SequenceVAE: empty batch")
        let lm = config.languageModelOnly
        prepared.prepare(sentences, encoder: !lm, boundaries: config.encoderReadsBoundaries, vocabularySize: config.vocabularySize)
        let B = prepared.batch, Z = config.latentSize, V = config.vocabularySize, Hd = config.decoderHiddenSize
        var stats = StepStats(beta: beta(at: step, objective: objective))
        if objective.kind == .klTarget { stats.klTarget = klTarget(at: step, objective: objective) }
        if !lm {
            encoderForward()
            epsilon.resize(B * Z)
            z.resize(B * Z)
            for i in 0..<(B * Z) {
                let e = S(rng.nextGaussian())
                epsilon[i] = e
                z[i] = mu[i] + S.scalarExp(logVar[i] / 2) * e
            }
        }
        if training { prepared.applyWordDropout(objective.wordDropout, rng: &rng) }
        dropoutActive = (training && objective.decoderInputDropout > 0, training && objective.decoderOutputDropout > 0)
        if dropoutActive.input {
            drawDropoutMask(inputDropoutMask, count: prepared.decoderSteps * prepared.batch * config.embeddingSize,
                            rate: objective.decoderInputDropout, rng: &rng)
        }
        if dropoutActive.output {
            drawDropoutMask(outputDropoutMask, count: prepared.tokenCount * config.decoderHiddenSize,
                            rate: objective.decoderOutputDropout, rng: &rng)
        }
        decoderForward(dropout: true)
        // Reconstruction: Σ token cross-entropies / B.
        let N = prepared.tokenCount
        logits.resize(N * V)
        if rowLoss.count < N { rowLoss = [Double](repeating: 0, count: N) }
        linearForward(x: compactHidden.pointer, w: outputW.valuePointer, b: outputB.map { UnsafePointer($0.valuePointer) }, y: logits.pointer,
                      rows: N, inputs: Hd, outputs: V)  // (N, H_d)·(H_d, V)
        if latentToOutputW != nil {
            latentLogitsForward()
            addLatentLogits(to: logits.pointer, first: 0, rows: N)
        }
        prepared.compactTargets.withUnsafeBufferPointer { tg in
            rowLoss.withUnsafeMutableBufferPointer { rl in
                softmaxCrossEntropyForward(logits: logits.pointer, targets: tg.baseAddress!, rowLoss: rl.baseAddress!,
                                           rows: N, classes: V)
            }
        }
        var rec = 0.0
        for n in 0..<N { rec += rowLoss[n] }
        rec /= Double(B)
        stats.reconstruction = rec
        stats.tokens = N
        stats.loss = rec
        cosineWeight = 0
        if !lm {
            let kl = klTerm(objective: objective, beta: stats.beta, target: stats.klTarget, stats: &stats)
            stats.loss += kl
            let He = config.encoderHiddenSize
            cosNormalized.resize(B * He)
            cosNorms.resize(B)
            stats.meanPairwiseCosine = pairwiseCosineForward(h: features.pointer, normalized: cosNormalized.pointer,
                                                             norms: cosNorms.pointer, batch: B, size: He)
            if objective.cosineRegularizer != 0 {
                cosineWeight = objective.cosineRegularizer
                stats.loss += cosineWeight * stats.meanPairwiseCosine
            }
        }
        return stats
    }

    /// KL statistics and the KL part of the loss; fills `klCoefficient` (B, Z) = dLoss/dKL_bd.
    ///
    /// KL_bd = ½(μ² + σ² − 1 − log σ²). Without free bits the term is KL = (1/B) Σ_b Σ_d KL_bd. Free bits λ:
    /// per dimension Σ_d max(λ, (1/B) Σ_b KL_bd) (Kingma et al. 2016, batch-averaged per dimension); per
    /// sentence (1/B) Σ_b max(λ, Σ_d KL_bd). ELBO adds β·term; KL-target adds β·|term − C| (derivative
    /// sign(term − C), 0 at equality).
@_specialize(where S == Float)
    @_specialize(where S == Double)
    func klTerm(objective: ObjectiveConfig, beta: Double, target: Double?, stats: inout StepStats) -> Double {
        let B = prepared.batch, Z = config.latentSize
        if klCoefficient.count != B * Z { klCoefficient = [Double](repeating: 0, count: B * Z) }
        var perDim = [Double](repeating: 0, count: Z)
        var perSentence = [Double](repeating: 0, count: B)
        for b in 0..<B {
            for d in 0..<Z {
                let m = Double(mu[b * Z + d]), lv = Double(logVar[b * Z + d])
                let k = 0.5 * (m * m + exp(lv) - 1 - lv)
                perDim[d] += k
                perSentence[b] += k
            }
        }
        for d in 0..<Z { perDim[d] /= Double(B) }
        stats.klPerDimension = perDim
        stats.kl = perSentence.reduce(0, +) / Double(B)
        let lambda = objective.freeBits
        var term = stats.kl
        let invB = 1 / Double(B)
        for i in 0..<(B * Z) { klCoefficient[i] = invB }
        if lambda > 0 {
            switch objective.freeBitsMode {
            case .perDimension:
                term = perDim.reduce(0) { $0 + max(lambda, $1) }
                for b in 0..<B { for d in 0..<Z where !(perDim[d] > lambda) { klCoefficient[b * Z + d] = 0 } }
            case .perSentence:
                term = perSentence.reduce(0) { $0 + max(lambda, $1) } * invB
                for b in 0..<B where !(perSentence[b] > lambda) { for d in 0..<Z { klCoefficient[b * Z + d] = 0 } }
            }
        }
        let factor: Double
        let value: Double
        switch objective.kind {
        case .elbo:
            factor = beta
            value = beta * term
        case .klTarget:
            let c = target ?? 0
            factor = term > c ? beta : (term < c ? -beta : 0)
            value = beta * abs(term - c)
        }
        for i in 0..<(B * Z) { klCoefficient[i] *= factor }
        return value
    }

    /// Backward of the last `forward(training: true)`: adds dLoss/dθ into every parameter gradient.
@_specialize(where S == Float)
    @_specialize(where S == Double)
    func backward() {
        let B = prepared.batch, N = prepared.tokenCount, V = config.vocabularySize
        let Hd = config.decoderHiddenSize, Z = config.latentSize, E = config.embeddingSize
        let Td = prepared.decoderSteps, GW = latentInputWidth
        // Output layer and softmax cross-entropy (loss scale 1/B).
        prepared.compactTargets.withUnsafeBufferPointer { tg in
            softmaxCrossEntropyBackward(probabilities: logits.pointer, targets: tg.baseAddress!, scale: 1 / S(B),
                                        rows: N, classes: V)
        }
        if latentToOutputW != nil {
            // dLoss/d(z·W_zo)_b = Σ over sentence b's positions of dLogits.
            dLatentLogits.resizeZeroed(B * V)
            for n in 0..<N {
                addInPlace(dLatentLogits.pointer + Int(prepared.positionSentence[n]) * V, logits.pointer + n * V, count: V)
            }
        }
        dCompactHidden.resizeZeroed(N * Hd)
        linearBackward(x: compactHidden.pointer, w: outputW.valuePointer, dy: logits.pointer, dW: outputW.gradPointer,
                       db: outputB?.gradPointer, dx: dCompactHidden.pointer, rows: N, inputs: Hd, outputs: V)
        if dropoutActive.output { multiply(dCompactHidden, by: outputDropoutMask, count: N * Hd) }
        dDecoderOut.resizeZeroed(Td * B * Hd)
        prepared.positions.withUnsafeBufferPointer { pos in
            for n in 0..<N { (dDecoderOut.pointer + Int(pos[n]) * Hd).update(from: dCompactHidden.pointer + n * Hd, count: Hd) }
        }
        // Decoder.
        let lm = config.languageModelOnly
        dDecoderInput.resizeZeroed(Td * B * E)
        if !lm {
            dZ.resizeZeroed(B * Z)
            if latentToInput != nil { dLatentInput.resizeZeroed(B * GW) }
            if latentToStateW != nil {
                dInitialState.resizeZeroed(B * Hd)
                dInitialCell.resizeZeroed(B * Hd)
            }
        }
        let cellState = latentToStateW != nil && config.latentInitialState == .cellTanh
        if let decoder {
            decoder.backward(x: decoderInput.pointer, dOutputs: dDecoderOut.pointer, dx: dDecoderInput.pointer,
                             dExtra: latentToInput == nil ? nil : dLatentInput.pointer,
                             dh0: latentToStateW == nil ? nil : dInitialState.pointer,
                             dc0: cellState ? dInitialCell.pointer : nil)
        } else {
            convDecoder!.backward(x: decoderInput.pointer, dOutputs: dDecoderOut.pointer, dx: dDecoderInput.pointer,
                                  dExtra: latentToInput == nil ? nil : dLatentInput.pointer)
        }
        if dropoutActive.input { multiply(dDecoderInput, by: inputDropoutMask, count: Td * B * E) }
        prepared.decoderInputs.withUnsafeBufferPointer { ids in
            embeddingBackward(ids: ids.baseAddress!, dOut: dDecoderInput.pointer, dTable: decoderTable.gradPointer,
                              count: Td * B, size: E)
        }
        guard !lm, let encoder, let muW, let logVarW else { return }
        if let latentToOutputW {
            linearBackward(x: z.pointer, w: latentToOutputW.valuePointer, dy: dLatentLogits.pointer,
                           dW: latentToOutputW.gradPointer, db: nil, dx: dZ.pointer, rows: B, inputs: Z, outputs: V)
        }
        if let latentToInput {
            linearBackward(x: z.pointer, w: latentToInput.valuePointer, dy: dLatentInput.pointer,
                           dW: latentToInput.gradPointer, db: nil, dx: dZ.pointer, rows: B, inputs: Z, outputs: GW)
        }
        if let latentToStateW {
            if config.latentInitialState == .cellTanh {
                // h₀ = tanh(c₀): dc₀ += dh₀ ⊙ (1 − h₀²); the pre-activation is c₀ itself.
                for i in 0..<(B * Hd) {
                    let h = initialState[i]
                    dInitialCell[i] += dInitialState[i] * (1 - h * h)
                }
                linearBackward(x: z.pointer, w: latentToStateW.valuePointer, dy: dInitialCell.pointer,
                               dW: latentToStateW.gradPointer, db: nil, dx: dZ.pointer, rows: B, inputs: Z, outputs: Hd)
            } else {
                linearBackward(x: z.pointer, w: latentToStateW.valuePointer, dy: dInitialState.pointer,
                               dW: latentToStateW.gradPointer, db: latentToStateB?.gradPointer, dx: dZ.pointer,
                               rows: B, inputs: Z, outputs: Hd)
            }
        }
        // Reparameterisation and KL: z = μ + e^{lv/2} ε; dKL_bd/dμ = μ, dKL_bd/dlv = ½(e^{lv} − 1).
        dMu.resize(B * Z)
        dLogVar.resize(B * Z)
        for i in 0..<(B * Z) {
            let sigma = S.scalarExp(logVar[i] / 2)
            let k = S(klCoefficient[i])
            dMu[i] = dZ[i] + k * mu[i]
            dLogVar[i] = dZ[i] * epsilon[i] * sigma / 2 + k * (sigma * sigma - 1) / 2
        }
        let He = config.encoderHiddenSize, Te = prepared.encoderSteps
        dFeatures.resizeZeroed(B * He)
        linearBackward(x: features.pointer, w: muW.valuePointer, dy: dMu.pointer, dW: muW.gradPointer,
                       db: muB?.gradPointer, dx: dFeatures.pointer, rows: B, inputs: He, outputs: Z)
        linearBackward(x: features.pointer, w: logVarW.valuePointer, dy: dLogVar.pointer, dW: logVarW.gradPointer,
                       db: logVarB?.gradPointer, dx: dFeatures.pointer, rows: B, inputs: He, outputs: Z)
        pairwiseCosineBackward(normalized: cosNormalized.pointer, norms: cosNorms.pointer, weight: cosineWeight,
                               dh: dFeatures.pointer, batch: B, size: He)
        dEncoderOut.resizeZeroed(Te * B * He)
        prepared.encoderLengths.withUnsafeBufferPointer { lengths in
            poolArg.withUnsafeBufferPointer { arg in
                poolBackward(config.pooling, dOut: dFeatures.pointer, lengths: lengths.baseAddress!, arg: arg.baseAddress!,
                             dhs: dEncoderOut.pointer, batch: B, hidden: He)
            }
        }
        dEncoderInput.resizeZeroed(Te * B * E)
        encoder.backward(x: encoderInput.pointer, dOutputs: dEncoderOut.pointer, dx: dEncoderInput.pointer,
                         dExtra: nil, dh0: nil)
        prepared.encoderIds.withUnsafeBufferPointer { ids in
            embeddingBackward(ids: ids.baseAddress!, dOut: dEncoderInput.pointer, dTable: embedding.gradPointer,
                              count: Te * B, size: E)
        }
    }
}
