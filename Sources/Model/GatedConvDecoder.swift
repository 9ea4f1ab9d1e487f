import Tensor

/// The gated convolutional decoder of Prokhorov et al. 2019 §3 (after Dauphin et al. 2016), as their code builds it
/// (`ConvLM` / `Decoder_CNN` in VictorProkhorov/KL_Text_VAE, Scripts/Model/model_wngt.py): two residual bottleneck
/// blocks over time-major batches (T, B, ·). Block i, with input u (In_i channels; In_1 = E, In_2 = C):
///
///     x = u·W_in + b_in                                    (1×1 convolution to the C outer channels)
///     a = ((x·A₁ + a₁) ∗ A₂ + a₂)·A₃ + a₃                  (1×1 to C/4, causal width-K convolution, 1×1 back to C)
///     g = ((x·G₁ + g₁) ∗ G₂ + g₂)·G₃ + g₃                  (the gate path, its own weights)
///     out = a ⊙ σ(g) + x                                   (GLU, residual)
///
/// where (y ∗ W)_t = Σ_{j<K} y_{t−j}·W_j with y_{t<0} = 0: a position never sees a later one (left padding). Keras'
/// `padding='causal'` indexes the same taps the other way round (its kernel[k] is our W_{K−1−k}): the same functions,
/// reversed only for importing weights.
/// z enters block 1 as the RNN decoders take it, z·W_iz added to every position's x (`extra`), which equals their
/// concatenation [emb; z] before the first 1×1 convolution. Padding after a sentence's end cannot reach its real
/// positions (causality), and the losses give padded positions zero gradient, so the gradient is exact.
///
/// The causal convolution is K shifted GEMMs, tap j multiplying the rows of times 0…T−1−j into the rows of times
/// j…T−1 (in a time-major batch a time step is B consecutive rows), forward and backward alike — the product
/// im2col + one GEMM computes, without the (T·B, K·C/4) copy.
///
/// Not in their code's form: their dropout (keep 0.9 after each convolution, also active when they evaluate) is
/// left out; the decoder's input and output dropouts of the objective apply as for the RNN decoders.
///
/// Parameters per block `decoder.block<i>.`: `W_in` (In, C), `b_in` (C), and for p in {a, g}: `p1.W` (C, C/4),
/// `p1.b`, `p2.W` (K·C/4, C/4) (tap j's matrix at rows j·C/4 …), `p2.b`, `p3.W` (C/4, C), `p3.b`.
final class GatedConvDecoder<S: BLASScalar> {
    static var blockCount: Int { 2 }

    final class Block {
        let inputSize: Int, channels: Int, inner: Int, width: Int
        let wIn: ParameterOf<S>, bIn: ParameterOf<S>
        // Path 0 is the value path a, path 1 the gate path g.
        let w1: [ParameterOf<S>], b1: [ParameterOf<S>]
        let w2: [ParameterOf<S>], b2: [ParameterOf<S>]
        let w3: [ParameterOf<S>], b3: [ParameterOf<S>]

        // Activations of the last forward (rows = T·B).
        let x = Buffer<S>()        // (TB, C)
        let h1 = [Buffer<S>(), Buffer<S>()]  // (TB, C/4) after the first 1×1
        let h2 = [Buffer<S>(), Buffer<S>()]  // (TB, C/4) after the causal convolution
        let a = Buffer<S>()        // (TB, C) value path output
        let sg = Buffer<S>()       // (TB, C) σ(gate path output)
        let out = Buffer<S>()      // (TB, C)
        // Gradients (TB, ·).
        let dx = Buffer<S>(), dA = Buffer<S>(), dG = Buffer<S>()
        let dh1 = Buffer<S>(), dh2 = Buffer<S>()

        /// `inputFanIn`: the fan-in of the first 1×1 convolution in the reference, where z is part of its input
            /// (block 1: E + Z, their [emb; z]); it sets the he_uniform bound of W_in and of z's own W_iz.
        let inputFanIn: Int

        init(prefix: String, inputSize: Int, inputFanIn: Int, channels C: Int, width K: Int) {
            self.inputSize = inputSize
            self.inputFanIn = inputFanIn
            channels = C
            inner = max(1, C / 4)
            width = K
            wIn = ParameterOf(name: "\(prefix).W_in", shape: [inputSize, C])
            bIn = ParameterOf(name: "\(prefix).b_in", shape: [C])
            let I = inner
            w1 = ["a", "g"].map { ParameterOf(name: "\(prefix).\($0)1.W", shape: [C, I]) }
            b1 = ["a", "g"].map { ParameterOf(name: "\(prefix).\($0)1.b", shape: [I]) }
            w2 = ["a", "g"].map { ParameterOf(name: "\(prefix).\($0)2.W", shape: [K * I, I]) }
            b2 = ["a", "g"].map { ParameterOf(name: "\(prefix).\($0)2.b", shape: [I]) }
            w3 = ["a", "g"].map { ParameterOf(name: "\(prefix).\($0)3.W", shape: [I, C]) }
            b3 = ["a", "g"].map { ParameterOf(name: "\(prefix).\($0)3.b", shape: [C]) }
        }

        var parameters: [ParameterOf<S>] {
            var list: [ParameterOf<S>] = [wIn, bIn]
            for p in 0..<2 { list += [w1[p], b1[p], w2[p], b2[p], w3[p], b3[p]] }
            return list
        }

        /// Fan-in of each weight matrix (Keras' he_uniform, as their code initialises every convolution).
        func fanIn(_ p: ParameterOf<S>) -> Int? {
            if p === wIn { return inputFanIn }
            if w1.contains(where: { $0 === p }) { return channels }
            if w2.contains(where: { $0 === p }) { return width * inner }
            if w3.contains(where: { $0 === p }) { return inner }
            return nil
        }

        @_specialize(where S == Float)
        @_specialize(where S == Double)
        func forward(u: UnsafePointer<S>, steps T: Int, batch B: Int, extra: UnsafePointer<S>?) {
            let R = T * B, C = channels, I = inner
            x.resize(R * C)
            linearForward(x: u, w: wIn.valuePointer, b: bIn.valuePointer, y: x.pointer, rows: R, inputs: inputSize, outputs: C)
            if let extra { for t in 0..<T { addInPlace(x.pointer + t * B * C, extra, count: B * C) } }
            a.resize(R * C)
            sg.resize(R * C)
            for p in 0..<2 {
                h1[p].resize(R * I)
                h2[p].resize(R * I)
                linearForward(x: x.pointer, w: w1[p].valuePointer, b: b1[p].valuePointer, y: h1[p].pointer, rows: R, inputs: C, outputs: I)
                causalForward(h1[p].pointer, w: w2[p].valuePointer, b: b2[p].valuePointer, into: h2[p].pointer, steps: T, batch: B)
                linearForward(x: h2[p].pointer, w: w3[p].valuePointer, b: b3[p].valuePointer, y: (p == 0 ? a : sg).pointer,
                              rows: R, inputs: I, outputs: C)
            }
            S.sigmoidInPlace(sg.pointer, count: R * C)
            out.resize(R * C)
            for i in 0..<(R * C) { out[i] = a[i] * sg[i] + x[i] }
        }

        /// y (T·B, I) = b + Σ_j shift_j(h)·W_j: tap j adds h's times 0…T−1−j into y's times j…T−1.
        @_specialize(where S == Float)
        @_specialize(where S == Double)
        func causalForward(_ h: UnsafePointer<S>, w: UnsafePointer<S>, b: UnsafePointer<S>, into y: UnsafeMutablePointer<S>,
                           steps T: Int, batch B: Int) {
            let I = inner
            for r in 0..<(T * B) { (y + r * I).update(from: b, count: I) }
            for j in 0..<min(width, T) {
                gemm(h, w + j * I * I, into: y + j * B * I, m: (T - j) * B, n: I, k: I, accumulate: true)
            }
        }

        /// Backward of `causalForward`: dW_j += shift_j(h)ᵀ·dy, db += Σ dy, dh (T·B, I) += Σ_j dy's times j… · W_jᵀ.
        @_specialize(where S == Float)
        @_specialize(where S == Double)
        func causalBackward(_ h: UnsafePointer<S>, w: UnsafePointer<S>, dy: UnsafePointer<S>, dW: UnsafeMutablePointer<S>,
                            db: UnsafeMutablePointer<S>, dh: UnsafeMutablePointer<S>, steps T: Int, batch B: Int) {
            let I = inner
            addColumnSums(dy, rows: T * B, columns: I, into: db)
            for j in 0..<min(width, T) {
                let rows = (T - j) * B
                gemm(h, transposeA: true, dy + j * B * I, into: dW + j * I * I, m: I, n: I, k: rows, accumulate: true)
                gemm(dy + j * B * I, w + j * I * I, transposeB: true, into: dh, m: rows, n: I, k: I, accumulate: true)
            }
        }

        /// dOut (T·B, C) → parameter gradients, du (T·B, In) += (when given), dExtra (B, C) += (when given).
        @_specialize(where S == Float)
        @_specialize(where S == Double)
        func backward(u: UnsafePointer<S>, dOut: UnsafePointer<S>, du: UnsafeMutablePointer<S>?,
                      dExtra: UnsafeMutablePointer<S>?, steps T: Int, batch B: Int) {
            let R = T * B, C = channels, I = inner
            dx.resize(R * C)
            dx.pointer.update(from: dOut, count: R * C)   // the residual
            dA.resize(R * C)
            dG.resize(R * C)
            for i in 0..<(R * C) {
                let s = sg[i]
                dA[i] = dOut[i] * s
                dG[i] = dOut[i] * a[i] * s * (1 - s)
            }
            dh1.resize(R * I)
            dh2.resize(R * I)
            for p in 0..<2 {
                dh2.pointer.update(repeating: 0, count: R * I)
                linearBackward(x: h2[p].pointer, w: w3[p].valuePointer, dy: (p == 0 ? dA : dG).pointer, dW: w3[p].gradPointer,
                               db: b3[p].gradPointer, dx: dh2.pointer, rows: R, inputs: I, outputs: C)
                dh1.pointer.update(repeating: 0, count: R * I)
                causalBackward(h1[p].pointer, w: w2[p].valuePointer, dy: dh2.pointer, dW: w2[p].gradPointer,
                               db: b2[p].gradPointer, dh: dh1.pointer, steps: T, batch: B)
                linearBackward(x: x.pointer, w: w1[p].valuePointer, dy: dh1.pointer, dW: w1[p].gradPointer,
                               db: b1[p].gradPointer, dx: dx.pointer, rows: R, inputs: C, outputs: I)
            }
            linearBackward(x: u, w: wIn.valuePointer, dy: dx.pointer, dW: wIn.gradPointer, db: bIn.gradPointer,
                           dx: du, rows: R, inputs: inputSize, outputs: C)
            if let dExtra { for t in 0..<T { addInPlace(dExtra, dx.pointer + t * B * C, count: B * C) } }
        }
    }

    let inputSize: Int
    let channels: Int
    let width: Int
    let blocks: [Block]
    let dHidden = Buffer<S>()   // (T·B, C) between the blocks

    /// `latentSize`: the width of z concatenated to block 1's input (0 for a language model); only the
    /// initialisation bound depends on it (z's weights live in the VAE, `decoder.W_iz`).
    init(prefix: String, inputSize: Int, latentSize: Int = 0, channels: Int, width: Int) {
        self.inputSize = inputSize
        self.channels = channels
        self.width = width
        blocks = (0..<Self.blockCount).map { i in
            Block(prefix: "\(prefix).block\(i + 1)", inputSize: i == 0 ? inputSize : channels,
                  inputFanIn: i == 0 ? inputSize + latentSize : channels, channels: channels, width: width)
        }
    }

    /// he_uniform bound of z's part of block 1's input projection (their one kernel over [emb; z]).
    var latentInputBound: Double { (6.0 / Double(blocks[0].inputFanIn)).squareRoot() }

    var parameters: [ParameterOf<S>] { blocks.flatMap(\.parameters) }

    /// Width of what z adds to every position (the RNN's G·H): block 1's outer channels.
    var latentInputWidth: Int { channels }

    /// The weights' he_uniform bound √(6 / fan-in) (Keras' default for their convolutions); nil for biases.
    func heUniformBound(_ p: ParameterOf<S>) -> Double? {
        for b in blocks { if let f = b.fanIn(p) { return (6.0 / Double(f)).squareRoot() } }
        return nil
    }

    /// The last block's outputs (T, B, C) of the last `forward`.
    var outputs: UnsafeMutablePointer<S> { blocks[blocks.count - 1].out.pointer }

    private(set) var steps = 0
    private(set) var batch = 0

    /// Runs both blocks over x (T·B, E) (time-major rows); `extra` (B, C) is added to block 1's every position.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func forward(x: UnsafePointer<S>, steps T: Int, batch B: Int, extra: UnsafePointer<S>?) {
        steps = T
        batch = B
        var input = x
        for (i, block) in blocks.enumerated() {
            block.forward(u: input, steps: T, batch: B, extra: i == 0 ? extra : nil)
            input = UnsafePointer(block.out.pointer)
        }
    }

    /// Backward of the last `forward`: dOutputs (T·B, C); adds into dx (T·B, E) and dExtra (B, C) when given.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func backward(x: UnsafePointer<S>, dOutputs: UnsafePointer<S>, dx: UnsafeMutablePointer<S>?, dExtra: UnsafeMutablePointer<S>?) {
        let T = steps, B = batch, R = T * B, C = channels
        var dOut = dOutputs
        for i in stride(from: blocks.count - 1, through: 0, by: -1) {
            let block = blocks[i]
            if i == 0 {
                block.backward(u: x, dOut: dOut, du: dx, dExtra: dExtra, steps: T, batch: B)
            } else {
                dHidden.resizeZeroed(R * C)
                block.backward(u: blocks[i - 1].out.pointer, dOut: dOut, du: dHidden.pointer, dExtra: nil, steps: T, batch: B)
                dOut = UnsafePointer(dHidden.pointer)
            }
        }
    }

    /// Incremental decoding: the activations of every position so far, per block, so that a new position costs
    /// one position's work (the convolution reads the last K positions of the first 1×1's output).
    final class DecodeState {
        let batch: Int
        var length = 0
        var h1: [[Buffer<S>]]   // [block][path] (maxLength, B, C/4)
        let capacity: Int
        // Workspaces of one position (B rows).
        let x: Buffer<S>, h2: Buffer<S>, a: Buffer<S>, g: Buffer<S>, blockOut: Buffer<S>
        init(blocks: [Block], batch B: Int, capacity: Int) {
            batch = B
            self.capacity = capacity
            h1 = blocks.map { b in (0..<2).map { _ in Buffer<S>(count: capacity * B * b.inner) } }
            let C = blocks[0].channels
            x = Buffer<S>(count: B * C); a = Buffer<S>(count: B * C); g = Buffer<S>(count: B * C)
            blockOut = Buffer<S>(count: B * C); h2 = Buffer<S>(count: B * blocks[0].inner)
        }
    }

    func makeDecodeState(batch B: Int, maxLength: Int) -> DecodeState {
        DecodeState(blocks: blocks, batch: B, capacity: max(1, maxLength))
    }

    /// One new position for every row: u (B, E) the input word embeddings, `extra` (B, C) z's part; writes the
    /// last block's output (B, C) into `out` and appends the position to `state`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    func step(u: UnsafePointer<S>, extra: UnsafePointer<S>?, state: DecodeState, out: UnsafeMutablePointer<S>) {
        let B = state.batch, C = channels, t = state.length
        precondition(t < state.capacity, "GatedConvDecoder.step: beyond the decode length")
        let x = state.x, h2 = state.h2, a = state.a, g = state.g, blockOut = state.blockOut
        var input = u
        for (i, block) in blocks.enumerated() {
            let I = block.inner
            linearForward(x: input, w: block.wIn.valuePointer, b: block.bIn.valuePointer, y: x.pointer, rows: B,
                          inputs: block.inputSize, outputs: C)
            if i == 0, let extra { addInPlace(x.pointer, extra, count: B * C) }
            for p in 0..<2 {
                let hist = state.h1[i][p].pointer
                linearForward(x: x.pointer, w: block.w1[p].valuePointer, b: block.b1[p].valuePointer, y: hist + t * B * I,
                              rows: B, inputs: C, outputs: I)
                for r in 0..<B { (h2.pointer + r * I).update(from: block.b2[p].valuePointer, count: I) }
                for j in 0..<min(block.width, t + 1) {
                    gemm(hist + (t - j) * B * I, block.w2[p].valuePointer + j * I * I, into: h2.pointer, m: B, n: I, k: I,
                         accumulate: true)
                }
                linearForward(x: h2.pointer, w: block.w3[p].valuePointer, b: block.b3[p].valuePointer,
                              y: (p == 0 ? a : g).pointer, rows: B, inputs: I, outputs: C)
            }
            S.sigmoidInPlace(g.pointer, count: B * C)
            for k in 0..<(B * C) { blockOut[k] = a[k] * g[k] + x[k] }
            if i == blocks.count - 1 {
                out.update(from: blockOut.pointer, count: B * C)
            } else {
                input = UnsafePointer(blockOut.pointer)
            }
        }
        state.length = t + 1
    }
}
