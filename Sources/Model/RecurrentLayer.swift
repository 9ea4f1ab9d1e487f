import Tensor

/// One recurrent layer (LSTM or GRU) over time-major batches, with its parameters and the activations kept
/// for backward. Padding is not masked inside the recurrence: padded steps come after a sentence's last
/// token, so they never influence real positions, and the losses give them zero gradient (poolings and the
/// cross-entropy are masked), which makes the gradient exact.
///
/// Parameters (G = 4 for LSTM, 3 for GRU): `<prefix>.W_ih` (In, G·H), `<prefix>.W_hh` (H, G·H),
/// `<prefix>.b_ih` (G·H), and for GRU `<prefix>.b_hh` (G·H) (the hidden bias sits inside r ⊙ (·)).
final class RecurrentLayer<S: BLASScalar> {
    let cell: VAEConfig.Cell
    let inputSize: Int
    let hiddenSize: Int
    let gateWidth: Int  // G·H
    let wIH: ParameterOf<S>  // (In, G·H)
    let wHH: ParameterOf<S>  // (H, G·H)
    let bIH: ParameterOf<S>  // (G·H)
    let bHH: ParameterOf<S>? // (G·H), GRU only

    private(set) var steps = 0
    private(set) var batch = 0
    let gates = Buffer<S>()   // (T, B, G·H) activated gates
    let hs = Buffer<S>()      // (T+1, B, H), block 0 = initial state
    let cs = Buffer<S>()      // (T+1, B, H) LSTM cell states
    let tanhC = Buffer<S>()   // (T, B, H) LSTM tanh(c_t)
    let hps = Buffer<S>()     // (T, B, 3H) GRU hidden projections
    let dGates = Buffer<S>()  // (T, B, G·H) dLoss/d(input projections)
    let dHp = Buffer<S>()     // (T, B, 3H) GRU dLoss/d(hidden projections)
    let dh0 = Buffer<S>()     // (B, H)
    let dc0 = Buffer<S>()     // (B, H)
    let dhTmp = Buffer<S>()   // (B, H)

    init(prefix: String, cell: VAEConfig.Cell, inputSize: Int, hiddenSize: Int) {
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        gateWidth = (cell == .lstm ? 4 : 3) * hiddenSize
        wIH = ParameterOf(name: "\(prefix).W_ih", shape: [inputSize, gateWidth])
        wHH = ParameterOf(name: "\(prefix).W_hh", shape: [hiddenSize, gateWidth])
        bIH = ParameterOf(name: "\(prefix).b_ih", shape: [gateWidth])
        bHH = cell == .gru ? ParameterOf(name: "\(prefix).b_hh", shape: [gateWidth]) : nil
    }

    var parameters: [ParameterOf<S>] { [wIH, wHH, bIH] + (bHH.map { [$0] } ?? []) }

    /// Hidden states h_1 … h_T, (T, B, H).
    var outputs: UnsafeMutablePointer<S> { hs.pointer + batch * hiddenSize }

    /// Runs the layer over x (T·B, In) (time-major rows). `extra` (B, G·H), when given, is added to every
    /// step's input projection (the decoder's z·W_iz); `h0` (B, H) is the initial hidden state and `c0` (B, H)
    /// the LSTM's initial cell state (zero when nil; a GRU has no cell state and ignores `c0`).
@_specialize(where S == Float)
    @_specialize(where S == Double)
    func forward(x: UnsafePointer<S>, steps T: Int, batch B: Int, extra: UnsafePointer<S>?, h0: UnsafePointer<S>?,
                 c0: UnsafePointer<S>? = nil) {
        steps = T
        batch = B
        let H = hiddenSize, GW = gateWidth
        gates.resize(T * B * GW)
        hs.resize((T + 1) * B * H)
        linearForward(x: x, w: wIH.valuePointer, b: bIH.valuePointer, y: gates.pointer,
                      rows: T * B, inputs: inputSize, outputs: GW)  // (TB, In)·(In, G·H)
        if let extra {
            for t in 0..<T { addInPlace(gates.pointer + t * B * GW, extra, count: B * GW) }
        }
        if let h0 { hs.pointer.update(from: h0, count: B * H) } else { hs.pointer.update(repeating: 0, count: B * H) }
        switch cell {
        case .lstm:
            cs.resize((T + 1) * B * H)
            tanhC.resize(T * B * H)
            if let c0 { cs.pointer.update(from: c0, count: B * H) } else { cs.pointer.update(repeating: 0, count: B * H) }
            lstmForward(gates: gates.pointer, wHH: wHH.valuePointer, hs: hs.pointer, cs: cs.pointer,
                        tanhC: tanhC.pointer, steps: T, batch: B, hidden: H)
        case .gru:
            hps.resize(T * B * GW)
            gruForward(gates: gates.pointer, hps: hps.pointer, wHH: wHH.valuePointer, bHH: bHH!.valuePointer,
                       hs: hs.pointer, steps: T, batch: B, hidden: H)
        }
    }

    /// Backward of the last `forward`. `dOutputs` (T, B, H) = dLoss/dh_t. Adds into the parameter gradients,
    /// into dx (T·B, In), dExtra (B, G·H), dh0 (B, H) and dc0 (B, H, LSTM only) when given.
@_specialize(where S == Float)
    @_specialize(where S == Double)
    func backward(x: UnsafePointer<S>, dOutputs: UnsafePointer<S>, dx: UnsafeMutablePointer<S>?,
                  dExtra: UnsafeMutablePointer<S>?, dh0 dh0Out: UnsafeMutablePointer<S>?,
                  dc0 dc0Out: UnsafeMutablePointer<S>? = nil) {
        let T = steps, B = batch, H = hiddenSize, GW = gateWidth
        dGates.resize(T * B * GW)
        dh0.resize(B * H)
        switch cell {
        case .lstm:
            dc0.resize(B * H)
            lstmBackward(gates: gates.pointer, hs: hs.pointer, cs: cs.pointer, tanhC: tanhC.pointer,
                         wHH: wHH.valuePointer, dhs: dOutputs, dGates: dGates.pointer, dWhh: wHH.gradPointer,
                         dh0: dh0.pointer, dc0: dc0.pointer, steps: T, batch: B, hidden: H)
        case .gru:
            dHp.resize(T * B * GW)
            dhTmp.resize(B * H)
            gruBackward(gates: gates.pointer, hps: hps.pointer, hs: hs.pointer, wHH: wHH.valuePointer,
                        dhs: dOutputs, dXp: dGates.pointer, dHp: dHp.pointer, dWhh: wHH.gradPointer,
                        dbHH: bHH!.gradPointer, dh0: dh0.pointer, dhTmp: dhTmp.pointer, steps: T, batch: B, hidden: H)
        }
        linearBackward(x: x, w: wIH.valuePointer, dy: dGates.pointer, dW: wIH.gradPointer, db: bIH.gradPointer,
                       dx: dx, rows: T * B, inputs: inputSize, outputs: GW)
        if let dExtra {
            for t in 0..<T { addInPlace(dExtra, dGates.pointer + t * B * GW, count: B * GW) }
        }
        if let dh0Out { addInPlace(dh0Out, dh0.pointer, count: B * H) }
        if let dc0Out, cell == .lstm { addInPlace(dc0Out, dc0.pointer, count: B * H) }
    }

    /// One step for decoding: `gates` (B, G·H) holds the input projection (incl. b_ih and any extra) on entry;
    /// reads hPrev/cPrev (B, H), writes h/c (B, H). `scratch` is a (B, G·H) workspace.
@_specialize(where S == Float)
    @_specialize(where S == Double)
    func step(gates: UnsafeMutablePointer<S>, hPrev: UnsafePointer<S>, cPrev: UnsafePointer<S>,
              h: UnsafeMutablePointer<S>, c: UnsafeMutablePointer<S>, scratch: UnsafeMutablePointer<S>, batch B: Int) {
        switch cell {
        case .lstm:
            lstmStepForward(gates: gates, wHH: wHH.valuePointer, hPrev: hPrev, cPrev: cPrev, h: h, c: c,
                            tanhC: scratch, batch: B, hidden: hiddenSize)
        case .gru:
            gruStepForward(gates: gates, hp: scratch, wHH: wHH.valuePointer, bHH: bHH!.valuePointer,
                           hPrev: hPrev, h: h, batch: B, hidden: hiddenSize)
        }
    }
}
