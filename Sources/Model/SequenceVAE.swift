import Tensor

/// A sequence VAE (Bowman et al. 2016) with the encoder poolings of Long et al. 2019 and the decoder coupling
/// of Prokhorov et al. 2019, or the LSTM language-model baseline (`languageModelOnly`), over scalar `S`.
/// Training uses `SequenceVAE` (= `SequenceVAEOf<Float>`); the gradient checks use `SequenceVAEOf<Double>`.
///
/// Architecture: word embedding (V, E), shared or one per side (`separateEmbeddings`); encoder RNN (E → Hₑ);
/// pooling → h (B, Hₑ); μ = h·W_μ [+ b_μ], log σ² = h·W_σ [+ b_σ] (B, Z); z = μ + σ ⊙ ε; decoder (an RNN, or the
/// gated convolutions of `GatedConvDecoder` for `decoderCell = cnn`, which take z the same way) with input
/// [emb(prev word); z] written as emb·W_ih + z·W_iz (the z part is computed once per sentence); optional initial
/// state from z: h₀ = z·W_zh + b_zh (`hidden`) or c₀ = z·W_zc, h₀ = tanh(c₀) (`cellTanh`); output softmax
/// (H_d → V), with z·W_zo added to every step's logits for SkipVAE (`latentToOutput`).
///
/// Parameter names (stable order): embedding, encoder.W_ih, encoder.W_hh, encoder.b_ih, [encoder.b_hh],
/// mu.W, [mu.b], logVariance.W, [logVariance.b], [decoder.embedding], decoder.W_ih, decoder.W_hh, decoder.b_ih,
/// [decoder.b_hh] (or the CNN's decoder.block1.… , decoder.block2.…), [decoder.W_iz], [decoder.W_zh, decoder.b_zh |
/// decoder.W_zc], output.W, [output.b], [output.W_z].
/// Initialisation, drawn from SplitMix64(seed) in that order: embedding tables U(−e, e) with e =
/// `embeddingInitScale` (0 = `initScale`), the CNN decoder's convolution weights U(±√(6/fan-in)) (Keras'
/// he_uniform, as Prokhorov et al.'s code), other matrices U(−a, a) with a = `initScale`, biases U(−a, a) when
/// `initBiases`, else 0.
///
/// Not thread-safe: one model object holds the workspaces of its last forward pass.
public final class SequenceVAEOf<S: BLASScalar> {
    public let config: VAEConfig
    public let parameters: [ParameterOf<S>]

    let embedding: ParameterOf<S>       // (V, E) the encoder's, and the decoder's unless separate
    let decoderEmbedding: ParameterOf<S>? // (V, E) when separateEmbeddings
    let encoder: RecurrentLayer<S>?     // E → Hₑ
    let muW: ParameterOf<S>?            // (Hₑ, Z)
    let muB: ParameterOf<S>?            // (Z)
    let logVarW: ParameterOf<S>?        // (Hₑ, Z)
    let logVarB: ParameterOf<S>?        // (Z)
    let decoder: RecurrentLayer<S>?     // E → H_d (recurrent decoders)
    let convDecoder: GatedConvDecoder<S>? // E → H_d channels (decoderCell = cnn)
    let latentToInput: ParameterOf<S>?  // (Z, G·H_d), or (Z, H_d) for the CNN decoder
    let latentToStateW: ParameterOf<S>? // (Z, H_d) W_zh, or W_zc for cellTanh
    let latentToStateB: ParameterOf<S>? // (H_d) hidden only
    let outputW: ParameterOf<S>         // (H_d, V)
    let outputB: ParameterOf<S>?        // (V) unless outputBias is off
    let latentToOutputW: ParameterOf<S>? // (Z, V) SkipVAE

    // Workspaces of the last forward pass (see SequenceVAE+Training.swift).
    var prepared = PreparedBatch()
    let encoderInput = Buffer<S>()   // (Tenc·B, E)
    let dEncoderInput = Buffer<S>()  // (Tenc·B, E)
    let features = Buffer<S>()       // (B, Hₑ)
    var poolArg: [Int32] = []        // (B, Hₑ)
    let mu = Buffer<S>()             // (B, Z)
    let logVar = Buffer<S>()         // (B, Z)
    let epsilon = Buffer<S>()        // (B, Z)
    let z = Buffer<S>()              // (B, Z)
    let dMu = Buffer<S>()            // (B, Z)
    let dLogVar = Buffer<S>()        // (B, Z)
    let dZ = Buffer<S>()             // (B, Z)
    let dFeatures = Buffer<S>()      // (B, Hₑ)
    let cosNormalized = Buffer<S>()  // (B, Hₑ)
    let cosNorms = Buffer<S>()       // (B)
    let dEncoderOut = Buffer<S>()    // (Tenc, B, Hₑ)
    let decoderInput = Buffer<S>()   // (Tdec·B, E)
    let dDecoderInput = Buffer<S>()  // (Tdec·B, E)
    let latentInput = Buffer<S>()    // (B, G·H_d)
    let dLatentInput = Buffer<S>()   // (B, G·H_d)
    let initialState = Buffer<S>()   // (B, H_d) h₀
    let initialCell = Buffer<S>()    // (B, H_d) c₀ (cellTanh)
    let dInitialState = Buffer<S>()  // (B, H_d)
    let dInitialCell = Buffer<S>()   // (B, H_d)
    let latentLogits = Buffer<S>()   // (B, V) z·W_zo (SkipVAE)
    let dLatentLogits = Buffer<S>()  // (B, V)
    let compactHidden = Buffer<S>()  // (N, H_d)
    let inputDropoutMask = Buffer<S>()  // (Tdec·B, E) 0 or 1/(1 − p) of the last training forward
    let outputDropoutMask = Buffer<S>() // (N, H_d)
    var dropoutActive = (input: false, output: false)
    let dCompactHidden = Buffer<S>() // (N, H_d)
    let logits = Buffer<S>()         // (N, V): logits → probabilities → dLogits
    var rowLoss: [Double] = []       // (N)
    let dDecoderOut = Buffer<S>()    // (Tdec, B, H_d)
    var klCoefficient: [Double] = [] // (B, Z) dLoss/dKL_bd of the last forward
    var cosineWeight = 0.0

    public init(config: VAEConfig, seed: UInt64) {
        precondition(config.vocabularySize > 4, "SequenceVAE: vocabularySize \(config.vocabularySize) ≤ 4")
        self.config = config
        let V = config.vocabularySize, E = config.embeddingSize, Z = config.latentSize
        let He = config.encoderHiddenSize, Hd = config.decoderHiddenSize
        let lm = config.languageModelOnly
        embedding = ParameterOf(name: "embedding", shape: [V, E])
        decoderEmbedding = config.separateEmbeddings ? ParameterOf(name: "decoder.embedding", shape: [V, E]) : nil
        encoder = lm ? nil : RecurrentLayer(prefix: "encoder", cell: config.encoderCell, inputSize: E, hiddenSize: He)
        let headBias = !lm && config.latentHeadBias
        muW = lm ? nil : ParameterOf(name: "mu.W", shape: [He, Z])
        muB = headBias ? ParameterOf(name: "mu.b", shape: [Z]) : nil
        logVarW = lm ? nil : ParameterOf(name: "logVariance.W", shape: [He, Z])
        logVarB = headBias ? ParameterOf(name: "logVariance.b", shape: [Z]) : nil
        if let cell = config.decoderCell.recurrentCell {
            decoder = RecurrentLayer(prefix: "decoder", cell: cell, inputSize: E, hiddenSize: Hd)
            convDecoder = nil
        } else {
            decoder = nil
            convDecoder = GatedConvDecoder(prefix: "decoder", inputSize: E, latentSize: lm || !config.latentAtEveryStep ? 0 : Z,
                                           channels: Hd, width: config.convolutionWidth)
        }
        let latentWidth = decoder?.gateWidth ?? convDecoder!.latentInputWidth
        latentToInput = (lm || !config.latentAtEveryStep) ? nil
            : ParameterOf(name: "decoder.W_iz", shape: [Z, latentWidth])
        let toState = !lm && config.latentInitializesDecoder && decoder != nil
        switch config.latentInitialState {
        case .hidden:
            latentToStateW = toState ? ParameterOf(name: "decoder.W_zh", shape: [Z, Hd]) : nil
            latentToStateB = toState ? ParameterOf(name: "decoder.b_zh", shape: [Hd]) : nil
        case .cellTanh:
            latentToStateW = toState ? ParameterOf(name: "decoder.W_zc", shape: [Z, Hd]) : nil
            latentToStateB = nil
        }
        outputW = ParameterOf(name: "output.W", shape: [Hd, V])
        outputB = config.outputBias ? ParameterOf(name: "output.b", shape: [V]) : nil
        latentToOutputW = (!lm && config.latentToOutput) ? ParameterOf(name: "output.W_z", shape: [Z, V]) : nil
        var list: [ParameterOf<S>] = [embedding]
        if let encoder { list += encoder.parameters }
        list += [muW, muB, logVarW, logVarB].compactMap { $0 }
        if let decoderEmbedding { list.append(decoderEmbedding) }
        list += decoder?.parameters ?? convDecoder!.parameters
        list += [latentToInput, latentToStateW, latentToStateB].compactMap { $0 }
        list += [outputW, outputB].compactMap { $0 }
        if let latentToOutputW { list.append(latentToOutputW) }
        parameters = list
        var rng = SplitMix64(seed: seed)
        let embeddingScale = config.embeddingInitScale > 0 ? config.embeddingInitScale : config.initScale
        for p in parameters {
            if p === embedding || p === decoderEmbedding {
                p.fillUniform(scale: embeddingScale, rng: &rng)
            } else if let bound = convDecoder?.heUniformBound(p) {
                p.fillUniform(scale: bound, rng: &rng)   // the CNN's weights: he_uniform, as Prokhorov et al.'s code
            } else if let convDecoder, p === latentToInput {
                p.fillUniform(scale: convDecoder.latentInputBound, rng: &rng)   // z's rows of their [emb; z] kernel
            } else if p.shape.count == 2 || config.initBiases {
                p.fillUniform(scale: config.initScale, rng: &rng)
            }
        }
    }

    /// The inference network's parameters (He et al. 2019's `vae.encoder.parameters()`): the encoder's embedding
    /// table, the encoder RNN and the μ / log σ² heads. A shared embedding table belongs to both sides.
    public var encoderParameters: [ParameterOf<S>] {
        guard let encoder else { return [] }
        return [embedding] + encoder.parameters + [muW, muB, logVarW, logVarB].compactMap { $0 }
    }

    /// The generative network's parameters: everything but the encoder's own (the shared table included).
    public var decoderParameters: [ParameterOf<S>] {
        let own = Set(encoderParameters.map { ObjectIdentifier($0) })
        return parameters.filter { !own.contains(ObjectIdentifier($0)) || ($0 === embedding && decoderEmbedding == nil) }
    }

    /// Width of z's part of every decoder position (z·W_iz): the RNN's G·H_d, the CNN's H_d.
    var latentInputWidth: Int { decoder?.gateWidth ?? convDecoder!.latentInputWidth }

    /// The table the decoder reads its input words from.
    var decoderTable: ParameterOf<S> { decoderEmbedding ?? embedding }

    /// Zeroes every parameter gradient (the one place gradients are reset).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func zeroGradients() {
        for p in parameters { p.zeroGradient() }
    }

    /// Total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The latent size Z (0 for the language-model baseline).
    public var latentSize: Int { config.languageModelOnly ? 0 : config.latentSize }

    /// Forward + backward of the objective at `step` (β and C schedules inside); gradients are accumulated.
    /// `rng` draws ε (B·Z normals, row-major) and then the word dropout (one uniform per decoder input word).
@_specialize(where S == Float)
    @_specialize(where S == Double)
    public func trainStep(_ sentences: [[Int32]], objective: ObjectiveConfig, step: Int,
                          rng: inout SplitMix64) -> StepStats {
        let stats = forward(sentences, objective: objective, step: step, rng: &rng, training: true)
        backward()
        return stats
    }

    /// Forward only: the same statistics without gradients (validation); z sampled with `rng`, no word dropout.
@_specialize(where S == Float)
    @_specialize(where S == Double)
    public func evaluate(_ sentences: [[Int32]], objective: ObjectiveConfig, step: Int,
                         rng: inout SplitMix64) -> StepStats {
        forward(sentences, objective: objective, step: step, rng: &rng, training: false)
    }
}

/// The Float32 model used by training (the API contract's `SequenceVAE`).
public typealias SequenceVAE = SequenceVAEOf<Float>
