import Tensor

extension SequenceVAEOf {
    /// μ, log σ² and the pooled features h of each sentence (no sampling). For the LM baseline the result
    /// has latentSize 0 and empty arrays.
@_specialize(where S == Float)
    @_specialize(where S == Double)
    public func encode(_ sentences: [[Int32]]) -> Encoding {
        let B = sentences.count, Z = config.latentSize, He = config.encoderHiddenSize
        guard !config.languageModelOnly, B > 0 else {
            return Encoding(mu: [], logVariance: [], features: [], batchSize: B,
                            latentSize: config.languageModelOnly ? 0 : Z, featureSize: config.languageModelOnly ? 0 : He)
        }
        prepared.prepare(sentences, encoder: true, boundaries: config.encoderReadsBoundaries, vocabularySize: config.vocabularySize)
        encoderForward()
        return Encoding(mu: floats(mu, B * Z), logVariance: floats(logVar, B * Z), features: floats(features, B * He),
                        batchSize: B, latentSize: Z, featureSize: He)
    }

    /// log p(x|z) per sentence, summed over the targets w_1 … w_L <eos>. `z` is (B, Z) with B = sentences.count
    /// (ignored for the LM baseline). Runs in chunks of up to 256 sentences as one matrix batch each (K
    /// importance samples of one sentence are one batch), and the output softmax in chunks of 2048 positions.
@_specialize(where S == Float)
    @_specialize(where S == Double)
    public func logLikelihood(_ sentences: [[Int32]], z zValues: [Float]) -> [Double] {
        let B = sentences.count, Z = config.latentSize, lm = config.languageModelOnly
        precondition(lm || zValues.count == B * Z, "logLikelihood: z has \(zValues.count) values, expected \(B)·\(Z)")
        var result = [Double](repeating: 0, count: B)
        let chunk = 256
        var start = 0
        while start < B {
            let end = min(B, start + chunk)
            prepared.prepare(Array(sentences[start..<end]), encoder: false, vocabularySize: config.vocabularySize)
            let b = end - start
            if !lm {
                z.resize(b * Z)
                for i in 0..<(b * Z) { z[i] = S(zValues[start * Z + i]) }
            }
            decoderForward()
            latentLogitsForward()
            scoreCompactPositions(into: &result, offset: start)
            start = end
        }
        return result
    }

    /// Adds each real position's log p(target) to result[offset + sentence], output layer in row chunks.
@_specialize(where S == Float)
    @_specialize(where S == Double)
    private func scoreCompactPositions(into result: inout [Double], offset: Int) {
        let N = prepared.tokenCount, V = config.vocabularySize, Hd = config.decoderHiddenSize
        let rows = 2048
        var start = 0
        while start < N {
            let n = min(rows, N - start)
            logits.resize(n * V)
            linearForward(x: compactHidden.pointer + start * Hd, w: outputW.valuePointer, b: outputB.map { UnsafePointer($0.valuePointer) },
                          y: logits.pointer, rows: n, inputs: Hd, outputs: V)  // (n, H_d)·(H_d, V)
            if latentToOutputW != nil { addLatentLogits(to: logits.pointer, first: start, rows: n) }
            for r in 0..<n {
                let target = Int(prepared.compactTargets[start + r])
                let lp = logSoftmaxAt(logits.pointer + r * V, target: target, classes: V)
                result[offset + Int(prepared.positionSentence[start + r])] += lp
            }
            start += n
        }
    }

    /// Decodes one sentence per row of z (count, Z), starting from <bos>, stopping at <eos> or after
    /// `maxLength` words; the output has no <bos>/<eos>. <pad> and <bos> are never produced. For the LM
    /// baseline z is ignored (may be empty) and `count` sentences are sampled from the language model.
@_specialize(where S == Float)
    @_specialize(where S == Double)
    public func decode(z zValues: [Float], count: Int, scheme: DecodingScheme, maxLength: Int,
                       rng: inout SplitMix64) -> [[Int32]] {
        let B = count, Z = config.latentSize, lm = config.languageModelOnly
        let E = config.embeddingSize, Hd = config.decoderHiddenSize, V = config.vocabularySize, GW = latentInputWidth
        precondition(lm || zValues.count == B * Z, "decode: z has \(zValues.count) values, expected \(B)·\(Z)")
        guard B > 0, maxLength > 0 else { return Array(repeating: [], count: B) }
        let zb = Buffer<S>(count: lm ? 0 : B * Z)       // (B, Z)
        for i in 0..<zb.count { zb[i] = S(zValues[i]) }
        let extra = Buffer<S>(count: B * GW)            // (B, G·H_d) z·W_iz
        if let latentToInput { gemm(zb.pointer, latentToInput.valuePointer, into: extra.pointer, m: B, n: GW, k: Z) }
        let h = Buffer<S>(count: B * Hd), c = Buffer<S>(count: B * Hd)         // (B, H_d)
        let h2 = Buffer<S>(count: B * Hd), c2 = Buffer<S>(count: B * Hd)       // (B, H_d)
        if latentToStateW != nil {
            initialStateForward(z: zb.pointer, h0: h.pointer, c0: c.pointer, batch: B)
            if config.latentInitialState != .cellTanh || config.decoderCell != .lstm {
                c.pointer.update(repeating: 0, count: B * Hd)
            }
        }
        let zOut = Buffer<S>(count: latentToOutputW == nil ? 0 : B * V)  // (B, V) z·W_zo (SkipVAE)
        if let w = latentToOutputW { gemm(zb.pointer, w.valuePointer, into: zOut.pointer, m: B, n: V, k: Z) }
        let x = Buffer<S>(count: B * E)                 // (B, E)
        let gates = Buffer<S>(count: B * GW)            // (B, G·H_d)
        let scratch = Buffer<S>(count: B * GW)          // (B, G·H_d)
        let out = Buffer<S>(count: B * V)               // (B, V)
        var probabilities = [Double](repeating: 0, count: V)
        var selector = TokenSelector()
        var prev = [Int32](repeating: SpecialToken.bos, count: B)
        var done = [Bool](repeating: false, count: B)
        var sentences = [[Int32]](repeating: [], count: B)
        let convState = convDecoder?.makeDecodeState(batch: B, maxLength: maxLength)
        for _ in 0..<maxLength {
            prev.withUnsafeBufferPointer { ids in
                embeddingForward(table: decoderTable.valuePointer, ids: ids.baseAddress!, out: x.pointer, count: B, size: E)
            }
            if let decoder {
                linearForward(x: x.pointer, w: decoder.wIH.valuePointer, b: decoder.bIH.valuePointer, y: gates.pointer,
                              rows: B, inputs: E, outputs: GW)
                if latentToInput != nil { for i in 0..<(B * GW) { gates[i] += extra[i] } }
                decoder.step(gates: gates.pointer, hPrev: h.pointer, cPrev: c.pointer, h: h2.pointer, c: c2.pointer,
                             scratch: scratch.pointer, batch: B)
                h.pointer.update(from: h2.pointer, count: B * Hd)
                c.pointer.update(from: c2.pointer, count: B * Hd)
            } else if let convDecoder, let convState {
                // The new position of every row; earlier positions' activations are kept in convState.
                convDecoder.step(u: x.pointer, extra: latentToInput == nil ? nil : UnsafePointer(extra.pointer),
                                 state: convState, out: h.pointer)
            }
            linearForward(x: h.pointer, w: outputW.valuePointer, b: outputB.map { UnsafePointer($0.valuePointer) }, y: out.pointer,
                          rows: B, inputs: Hd, outputs: V)  // (B, H_d)·(H_d, V)
            if latentToOutputW != nil { addInPlace(out.pointer, zOut.pointer, count: B * V) }
            for b in 0..<B where !done[b] {
                let row = out.pointer + b * V
                row[Int(SpecialToken.pad)] = -S.greatestFiniteMagnitude
                row[Int(SpecialToken.bos)] = -S.greatestFiniteMagnitude
                let m = S.maximum(row, count: V)
                _ = S.expShiftedInPlace(row, count: V, shift: m)
                for v in 0..<V { probabilities[v] = Double(row[v]) }
                probabilities[Int(SpecialToken.pad)] = 0
                probabilities[Int(SpecialToken.bos)] = 0
                let token = probabilities.withUnsafeBufferPointer { selector.select($0, scheme: scheme, rng: &rng) }
                prev[b] = Int32(token)
                if Int32(token) == SpecialToken.eos { done[b] = true } else { sentences[b].append(Int32(token)) }
            }
            if !done.contains(false) { break }
        }
        return sentences
    }

@_specialize(where S == Float)
    @_specialize(where S == Double)
    private func floats(_ buffer: Buffer<S>, _ count: Int) -> [Float] {
        (0..<count).map { Float(buffer[$0]) }
    }
}
