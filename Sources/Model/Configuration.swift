/// The architecture of a sequence VAE (Bowman et al. 2016; Prokhorov et al. 2019; Long et al. 2019).
/// Every field has a default and says which paper setting it follows.
public struct VAEConfig: Codable, Equatable, Sendable {
    public enum Cell: String, Codable, CaseIterable, Sendable { case lstm, gru }
    /// The decoder: a recurrent cell, or Prokhorov et al. 2019's gated causal convolutions (`GatedConvDecoder`).
    public enum DecoderCell: String, Codable, CaseIterable, Sendable {
        case lstm, gru
        /// Two residual bottleneck blocks of gated causal convolutions (Prokhorov et al. 2019 §3, Dauphin et al.
        /// 2016): `decoderHiddenSize` outer channels, a quarter of them inside, filter width `convolutionWidth`.
        case cnn
        /// The recurrent cell, nil for the convolutional decoder.
        public var recurrentCell: Cell? {
            switch self {
            case .lstm: .lstm
            case .gru: .gru
            case .cnn: nil
            }
        }
    }
    /// How z sets the decoder's initial state when `latentInitializesDecoder` is on.
    public enum LatentInitialState: String, Codable, CaseIterable, Sendable {
        /// h₀ = z·W + b, c₀ = 0 (Bowman et al. 2016).
        case hidden
        /// c₀ = z·W (no bias), h₀ = tanh(c₀) (He et al. 2019's `dec_lstm.py`); a GRU gets h₀ = tanh(z·W).
        case cellTanh
    }
    /// How the encoder's hidden states become the feature h that feeds μ and log σ² (Long et al. 2019 §4.1).
    public enum Pooling: String, Codable, CaseIterable, Sendable {
        /// The hidden state at each sentence's true last token (Bowman et al. 2016).
        case last
        /// Mean over the unpadded time steps.
        case mean
        /// Element-wise max over the unpadded time steps.
        case max
        /// Per dimension the element of largest |value|, keeping its sign.
        case absMax
    }

    /// Vocabulary size including <pad>, <unk>, <bos>, <eos>; set from the corpus.
    public var vocabularySize: Int = 10_000
    /// Word embedding size (Prokhorov et al. 2019 use 256).
    public var embeddingSize: Int = 256
    /// Encoder hidden size (Prokhorov et al. 2019 / Bowman et al. use 512).
    public var encoderHiddenSize: Int = 512
    /// Decoder hidden size (Prokhorov et al. 2019 use 512).
    public var decoderHiddenSize: Int = 512
    /// Latent size (He et al. 2019 and Long et al. 2019 use 32).
    public var latentSize: Int = 32
    /// Encoder recurrent cell (LSTM in all three papers).
    public var encoderCell: Cell = .lstm
    /// Decoder: LSTM (all three papers), GRU or CNN (Prokhorov et al. 2019 compare the three).
    public var decoderCell: DecoderCell = .lstm
    /// Filter width of the CNN decoder's causal convolutions (Prokhorov et al. 2019's code: 20).
    public var convolutionWidth: Int = 20
    /// Encoder feature pooling; `.last` is the collapse-prone default of Bowman et al.
    public var pooling: Pooling = .last
    /// The encoder reads <bos> w_1 … w_L <eos> rather than the words alone, so that `last` is the state after
    /// <eos> (He et al. 2019's code, on which Long et al. 2019 build: every sentence's last state is then read after
    /// the same token, the lack of dispersion Long et al. study).
    public var encoderReadsBoundaries: Bool = true
    /// z is concatenated to the decoder input at every step (Prokhorov et al. 2019's coupling).
    public var latentAtEveryStep: Bool = true
    /// z also sets the decoder's initial hidden state through a linear map (Bowman et al. 2016).
    public var latentInitializesDecoder: Bool = false
    /// How z sets the initial state when `latentInitializesDecoder` (Bowman et al.: `hidden`; He et al.: `cellTanh`).
    public var latentInitialState: LatentInitialState = .hidden
    /// The encoder and the decoder have their own embedding tables (He et al. 2019) instead of sharing one.
    public var separateEmbeddings: Bool = false
    /// μ and log σ² heads have a bias (He et al. 2019's encoder has none).
    public var latentHeadBias: Bool = true
    /// SkipVAE (Dieng et al. 2019): z also enters the output layer at every step through its own weights,
    /// logits = h_t·W_o + z·W_zo + b.
    public var latentToOutput: Bool = false
    /// The output softmax layer has a bias (He et al. 2019's `pred_linear` has none).
    public var outputBias: Bool = true
    /// A plain LSTM language model without z: the baseline of Long et al. Table 1.
    public var languageModelOnly: Bool = false
    /// Parameters drawn from U(−a, a) (He et al. 2019: a = 0.01 for every parameter but the embeddings).
    public var initScale: Double = 0.1
    /// Embedding tables drawn from U(−a, a); 0 = `initScale` (He et al. 2019: 0.1).
    public var embeddingInitScale: Double = 0
    /// Biases drawn from U(−initScale, initScale) too, instead of 0 (He et al. 2019 initialise every parameter).
    public var initBiases: Bool = false

    public init() {}
}

/// The training objective (all selectable): ELBO with an annealed weight β, the KL-target objective of
/// Prokhorov et al. 2019, free bits, word dropout and the pairwise-cosine regulariser of Long et al. 2019.
public struct ObjectiveConfig: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        /// rec + β·KL.
        case elbo
        /// rec + β·|KL − C| (Prokhorov et al. 2019 §2), with C raised linearly from 0 to its target (the capacity
        /// increase of Burgess et al. 2018).
        case klTarget
    }
    public enum BetaSchedule: String, Codable, CaseIterable, Sendable {
        case constant
        /// β from β₀ to 1 linearly over `annealSteps` steps (Bowman et al. 2016).
        case linear
        /// Fu et al. 2019: `cycles` cycles over `annealSteps`, β rising over a fraction `cycleRampFraction` of each.
        case cyclical
    }
    public enum FreeBitsMode: String, Codable, CaseIterable, Sendable {
        /// max(λ, KL_d) for each latent dimension (Kingma et al. 2016).
        case perDimension
        /// max(λ, KL) for the whole sentence's KL.
        case perSentence
    }

    public var kind: Kind = .elbo
    /// β for `.elbo` when the schedule is constant, and the weight of |KL − C| for `.klTarget` (Prokhorov: 1).
    public var beta: Double = 1.0
    public var betaSchedule: BetaSchedule = .linear
    /// Starting β of the annealing (He et al. 2019 anneal from 0.1).
    public var beta0: Double = 0.1
    /// Steps over which β rises (or the total span of the cycles).
    public var annealSteps: Int = 10_000
    /// Number of cycles M of the cyclical schedule (Fu et al. 2019 use 4).
    public var cycles: Int = 4
    /// Fraction R of each cycle over which β increases (Fu et al. 2019 use 0.5).
    public var cycleRampFraction: Double = 0.5
    /// The target rate C in nats for `.klTarget`.
    public var klTarget: Double = 15.0
    /// Steps over which C rises linearly from 0 to `klTarget` (Burgess et al. 2018).
    public var klTargetWarmupSteps: Int = 5_000
    /// Free-bits threshold λ in nats; 0 turns free bits off.
    public var freeBits: Double = 0.0
    public var freeBitsMode: FreeBitsMode = .perDimension
    /// Probability of replacing a decoder input word by <unk> (Bowman et al. 2016); 0 turns it off.
    public var wordDropout: Double = 0.0
    /// Dropout rate on the decoder's input word embeddings (not on z), inverted scaling 1/(1 − p); He et al.
    /// 2019 (`dec_dropout_in`) use 0.5. 0 turns it off.
    public var decoderInputDropout: Double = 0.0
    /// Dropout rate on the decoder's hidden states before the output layer (He et al. 2019 `dec_dropout_out`: 0.5).
    public var decoderOutputDropout: Double = 0.0
    /// Weight of the mean pairwise cosine of the encoder features in the loss (Long et al. 2019 §4.2); 0 = off.
    public var cosineRegularizer: Double = 0.0

    public init() {}
}
