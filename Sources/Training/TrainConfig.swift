import Model

/// Everything a training run is configured by, in one flat struct (nanoGPT's configurator style): the fields of
/// `VAEConfig` and `ObjectiveConfig` under the same names (the objective's kind is `objective`), then the
/// training, corpus and evaluation settings. Every default says which paper setting it follows; "VAEScope" marks
/// a choice of ours. Overrides go through `ConfigKey` (`--config FILE.yaml`, then `--set key=value`), which
/// checks names and types; the resolved struct is stored with the run as JSON.
public struct TrainConfig: Codable, Equatable, Sendable {
    public enum OptimizerKind: String, Codable, CaseIterable, Sendable { case adam, sgd }
    /// How the training split is cut into batches.
    public enum Batching: String, Codable, CaseIterable, Sendable {
        /// Each epoch: shuffle, sort stably by length, cut into batches, shuffle the batch order (VAEScope).
        case sorted
        /// Batches of sentences of exactly equal length, made once; each epoch shuffles their order (He et al.
        /// 2019's `create_data_batch`).
        case equalLength
    }
    public enum EvalSplit: String, Codable, CaseIterable, Sendable { case valid, test }

    // MARK: Model (VAEConfig)

    /// Word embedding size (Prokhorov et al. 2019: 256).
    public var embeddingSize = 256
    /// Encoder hidden size (Bowman et al. 2016, Prokhorov et al. 2019: 512).
    public var encoderHiddenSize = 512
    /// Decoder hidden size (Prokhorov et al. 2019: 512).
    public var decoderHiddenSize = 512
    /// Latent size (He et al. 2019, Long et al. 2019: 32).
    public var latentSize = 32
    /// Encoder cell (LSTM in all three papers).
    public var encoderCell = VAEConfig.Cell.lstm
    /// Decoder cell (LSTM in all three papers).
    public var decoderCell = VAEConfig.Cell.lstm
    /// Encoder feature pooling (Long et al. 2019 §4.1); `last` is Bowman et al.'s collapse-prone default.
    public var pooling = VAEConfig.Pooling.last
    /// The encoder reads <bos> w_1 … w_L <eos>, so `last` is the state after <eos> (He et al. 2019's code, used by
    /// Long et al. 2019); false = the words alone. Runs stored before this key existed read as false.
    public var encoderReadsBoundaries = true
    /// z concatenated to every decoder input (Prokhorov et al. 2019's coupling).
    public var latentAtEveryStep = true
    /// z also sets the decoder's initial state (Bowman et al. 2016).
    public var latentInitializesDecoder = false
    /// How: h₀ = z·W + b (`hidden`, Bowman et al.) or c₀ = z·W, h₀ = tanh(c₀) (`cellTanh`, He et al. 2019).
    public var latentInitialState = VAEConfig.LatentInitialState.hidden
    /// Encoder and decoder have their own embedding tables (He et al. 2019) instead of one shared table.
    public var separateEmbeddings = false
    /// μ and log σ² heads have a bias (He et al. 2019: none).
    public var latentHeadBias = true
    /// The output softmax layer has a bias (He et al. 2019: none).
    public var outputBias = true
    /// SkipVAE (Dieng et al. 2019): z enters the output layer at every step through its own weights.
    public var latentToOutput = false
    /// Train the LSTM language model without z (Long et al. 2019 Table 1 baseline).
    public var languageModelOnly = false
    /// Uniform initialisation U(−a, a) of the weights (He et al. 2019: 0.01 for every non-embedding parameter).
    public var initScale = 0.1
    /// Uniform initialisation of the embedding tables, 0 = initScale (He et al. 2019: 0.1).
    public var embeddingInitScale = 0.0
    /// Biases drawn from U(−initScale, initScale) instead of 0 (He et al. 2019 initialise every parameter).
    public var initBiases = false

    // MARK: Objective (ObjectiveConfig)

    /// `elbo` (rec + β·KL) or `klTarget` (rec + β·|KL − C|, Prokhorov et al. 2019 §2).
    public var objective = ObjectiveConfig.Kind.elbo
    /// Constant β of the ELBO, and the weight of |KL − C| for klTarget (Prokhorov et al.: 1).
    public var beta = 1.0
    /// β schedule: constant, linear (Bowman et al. 2016) or cyclical (Fu et al. 2019).
    public var betaSchedule = ObjectiveConfig.BetaSchedule.linear
    /// Starting β of the annealing (He et al. 2019 anneal from 0.1).
    public var beta0 = 0.1
    /// Steps over which β rises to 1, or the span of all cycles (VAEScope; He et al. 2019 count epochs: annealEpochs).
    public var annealSteps = 10_000
    /// β rises over this many epochs, counted as epochs × training sentences / batchSize steps as He et al. 2019's
    /// `text.py` counts them (their `warm_up`: 10); 0 = use annealSteps.
    public var annealEpochs = 0.0
    /// Cycles M of the cyclical schedule (Fu et al. 2019: 4).
    public var cycles = 4
    /// Fraction R of each cycle over which β rises (Fu et al. 2019: 0.5).
    public var cycleRampFraction = 0.5
    /// Target rate C in nats of the klTarget objective (Prokhorov et al. 2019 use 3 … 100; 15 is mid-range).
    public var klTarget = 15.0
    /// Steps over which C rises linearly from 0 to klTarget (Burgess et al. 2018's capacity increase, which
    /// Prokhorov et al. 2019 follow).
    public var klTargetWarmupSteps = 5_000
    /// Free-bits threshold λ in nats, 0 = off (Kingma et al. 2016).
    public var freeBits = 0.0
    /// Free bits per latent dimension (Kingma et al. 2016) or per sentence.
    public var freeBitsMode = ObjectiveConfig.FreeBitsMode.perDimension
    /// Probability of replacing a decoder input by <unk>, 0 = off (Bowman et al. 2016 word dropout).
    public var wordDropout = 0.0
    /// Dropout on the decoder's input word embeddings, 0 = off (He et al. 2019 `dec_dropout_in`: 0.5).
    public var decoderInputDropout = 0.0
    /// Dropout on the decoder's hidden states before the softmax, 0 = off (He et al. 2019 `dec_dropout_out`: 0.5).
    public var decoderOutputDropout = 0.0
    /// Weight of the encoder features' mean pairwise cosine in the loss, 0 = off (Long et al. 2019 §4.2).
    public var cosineRegularizer = 0.0
    /// Aggressive inference-network training (He et al. 2019, Algorithm 1): before each decoder update, encoder-only
    /// updates on random batches until the encoder's loss stops falling (checked every 15, at most 99); the phase
    /// ends at the first epoch whose validation MI does not rise. Needs optimizer sgd (their code's).
    public var aggressive = false

    // MARK: Training

    /// Seed of initialisation, batch order, ε and word dropout; same seed and threads give the same run.
    public var seed: UInt64 = 0
    /// Passes over the training split (VAEScope: 30; He et al. 2019 train up to 100 with early stopping).
    public var epochs = 30
    /// Stop after this many optimiser steps in total, 0 = no limit (VAEScope, for budgets and tests).
    public var maxSteps = 0
    /// Sentences per batch (He et al. 2019: 32).
    public var batchSize = 32
    /// sorted (length-grouped, remade each epoch) or equalLength (He et al. 2019: equal lengths, made once).
    public var batching = Batching.sorted
    /// Optimiser: adam (Kingma & Ba 2015, the usual choice for text VAEs) or sgd (He et al. 2019).
    public var optimizer = OptimizerKind.adam
    /// Learning rate (Adam's customary 1e-3; He et al. 2019 use 1.0 with SGD).
    public var learningRate = 0.001
    /// Momentum of SGD (He et al. 2019: plain SGD, 0).
    public var momentum = 0.0
    /// Maximum global gradient L2 norm (He et al. 2019: 5).
    public var gradientClip = 5.0
    /// Epochs without a validation improvement before the learning rate is multiplied by lrDecayFactor and the
    /// best checkpoint reloaded, 0 = never (He et al. 2019: 2).
    public var lrDecayPatience = 0
    /// Factor of each learning-rate decay (He et al. 2019: 0.5).
    public var lrDecayFactor = 0.5
    /// No decay before this epoch (0-based, as their `epoch >= 15`) (He et al. 2019: 15).
    public var lrDecayMinEpoch = 0
    /// Stop training after this many decays, 0 = never (He et al. 2019's early stopping: 5).
    public var maxLRDecays = 0
    /// Log the training scalars (means over the window) every this many steps (VAEScope).
    public var logEvery = 50
    /// Also validate (and checkpoint) every this many steps, 0 = at epoch ends only (VAEScope; PTB epochs are long).
    public var validateEvery = 0
    /// Validate on the first N sentences of the validation split, 0 = all of it (VAEScope, for budgets).
    public var validationSentences = 0
    /// OpenBLAS threads (VAEScope: 1, deterministic and quiet on a shared 2-core machine).
    public var threads = 1
    /// Run `eval` on the best checkpoint when training ends (issue 4); `--no-eval` turns it off.
    public var evaluateAtEnd = true

    // MARK: Corpus

    /// Maximum vocabulary size including the 4 specials (PTB as prepared by Mikolov et al.: 10k words).
    public var vocabularySize = 10_000
    /// Minimum count of a training word to enter the vocabulary (PTB: 1, it is already capped).
    public var minCount = 1
    /// Maximum sentence length in tokens without <bos>/<eos> (VAEScope: above PTB's longest, 82).
    public var maxLength = 100
    /// Skip lines longer than maxLength instead of failing (VAEScope: fail, issue 3 asks for a clear error).
    public var skipLongLines = false

    // MARK: Evaluation at the end (issue 4)

    /// Split evaluated at the end (He et al. 2019 report the test split).
    public var evalSplit = EvalSplit.test
    /// Importance samples K of the IW-NLL (He et al. 2019: 500).
    public var iwSamples = 500
    /// Samples of z stored per sentence (Prokhorov et al. 2019 average LogDetCov over 5).
    public var latentSamples = 5
    /// Sentences decoded from the prior per scheme (VAEScope).
    public var priorSamples = 100

    public init() {}

    /// The largest value of any size key (embedding, hidden, latent, vocabulary, batch, length).
    public static let sizeLimit = 1 << 20
    /// The most memory (GB) a model's parameters with their gradients and optimiser state may take.
    public static let memoryLimitGB = 16.0

    /// Bytes of the parameters × 4 (values, gradients, two Adam moments) at `vocabularySize`, in Double so that
    /// absurd sizes cannot overflow.
    public var estimatedTrainingBytes: Double {
        let V = Double(vocabularySize), E = Double(embeddingSize), He = Double(encoderHiddenSize)
        let Hd = Double(decoderHiddenSize), Z = Double(latentSize)
        let embeddings = V * E * (separateEmbeddings ? 2 : 1)
        let encoder = 4 * He * (E + He + 1) + 2 * He * Z
        let decoder = 4 * Hd * (E + Hd + 1 + Z) + Z * Hd
        let output = Hd * V + V + (latentToOutput ? Z * V : 0)
        return (embeddings + encoder + decoder + output) * 4 * 4
    }

    /// The model architecture; `vocabularySize` is the corpus vocabulary's actual size.
    public func vaeConfig(vocabularySize: Int) -> VAEConfig {
        var c = VAEConfig()
        c.vocabularySize = vocabularySize
        c.embeddingSize = embeddingSize
        c.encoderHiddenSize = encoderHiddenSize
        c.decoderHiddenSize = decoderHiddenSize
        c.latentSize = latentSize
        c.encoderCell = encoderCell
        c.decoderCell = decoderCell
        c.pooling = pooling
        c.encoderReadsBoundaries = encoderReadsBoundaries
        c.latentAtEveryStep = latentAtEveryStep
        c.latentInitializesDecoder = latentInitializesDecoder
        c.latentInitialState = latentInitialState
        c.separateEmbeddings = separateEmbeddings
        c.latentHeadBias = latentHeadBias
        c.outputBias = outputBias
        c.latentToOutput = latentToOutput
        c.languageModelOnly = languageModelOnly
        c.initScale = initScale
        c.embeddingInitScale = embeddingInitScale
        c.initBiases = initBiases
        return c
    }

    /// The objective with its schedules.
    public var objectiveConfig: ObjectiveConfig {
        var o = ObjectiveConfig()
        o.kind = objective
        o.beta = beta
        o.betaSchedule = betaSchedule
        o.beta0 = beta0
        o.annealSteps = annealSteps
        o.cycles = cycles
        o.cycleRampFraction = cycleRampFraction
        o.klTarget = klTarget
        o.klTargetWarmupSteps = klTargetWarmupSteps
        o.freeBits = freeBits
        o.freeBitsMode = freeBitsMode
        o.wordDropout = wordDropout
        o.decoderInputDropout = decoderInputDropout
        o.decoderOutputDropout = decoderOutputDropout
        o.cosineRegularizer = cosineRegularizer
        return o
    }

    /// Checks value ranges; throws naming the key.
    public func validate() throws {
        func check(_ ok: Bool, _ key: String, _ expected: String) throws {
            if !ok { throw TrainingError.invalidValue(key: key, expected: expected) }
        }
        try check(embeddingSize >= 1, "embeddingSize", "an integer ≥ 1")
        try check(encoderHiddenSize >= 1, "encoderHiddenSize", "an integer ≥ 1")
        try check(decoderHiddenSize >= 1, "decoderHiddenSize", "an integer ≥ 1")
        try check(latentSize >= 1, "latentSize", "an integer ≥ 1")
        try check(initScale > 0, "initScale", "a number > 0")
        try check(embeddingInitScale >= 0, "embeddingInitScale", "a number ≥ 0 (0 = initScale)")
        try check(annealEpochs >= 0, "annealEpochs", "a number ≥ 0 (0 = use annealSteps)")
        try check(lrDecayPatience >= 0, "lrDecayPatience", "an integer ≥ 0 (0 = never decay)")
        try check(lrDecayFactor > 0 && lrDecayFactor < 1, "lrDecayFactor", "a number in (0, 1)")
        try check(lrDecayMinEpoch >= 0, "lrDecayMinEpoch", "an integer ≥ 0")
        try check(maxLRDecays >= 0, "maxLRDecays", "an integer ≥ 0 (0 = never stop early)")
        try check(!aggressive || optimizer == .sgd, "aggressive",
                  "false unless optimizer=sgd (He et al. 2019's aggressive training steps encoder and decoder by SGD)")
        try check(!aggressive || !languageModelOnly, "aggressive", "false for the language model (no encoder)")
        try check(beta >= 0, "beta", "a number ≥ 0")
        try check(beta0 >= 0, "beta0", "a number ≥ 0")
        try check(annealSteps >= 0, "annealSteps", "an integer ≥ 0")
        try check(cycles >= 1, "cycles", "an integer ≥ 1")
        try check(cycleRampFraction > 0 && cycleRampFraction <= 1, "cycleRampFraction", "a number in (0, 1]")
        try check(klTarget >= 0, "klTarget", "a number ≥ 0")
        try check(klTargetWarmupSteps >= 0, "klTargetWarmupSteps", "an integer ≥ 0")
        try check(freeBits >= 0, "freeBits", "a number ≥ 0")
        try check(wordDropout >= 0 && wordDropout <= 1, "wordDropout", "a number in [0, 1]")
        try check(decoderInputDropout >= 0 && decoderInputDropout < 1, "decoderInputDropout", "a number in [0, 1)")
        try check(decoderOutputDropout >= 0 && decoderOutputDropout < 1, "decoderOutputDropout", "a number in [0, 1)")
        try check(cosineRegularizer >= 0, "cosineRegularizer", "a number ≥ 0")
        try check(epochs >= 1, "epochs", "an integer ≥ 1")
        try check(maxSteps >= 0, "maxSteps", "an integer ≥ 0 (0 = no limit)")
        try check(batchSize >= 1, "batchSize", "an integer ≥ 1")
        try check(learningRate > 0 && learningRate.isFinite, "learningRate", "a finite number > 0")
        try check(momentum >= 0 && momentum < 1, "momentum", "a number in [0, 1)")
        try check(gradientClip > 0, "gradientClip", "a number > 0")
        try check(logEvery >= 1, "logEvery", "an integer ≥ 1")
        try check(validateEvery >= 0, "validateEvery", "an integer ≥ 0 (0 = epoch ends only)")
        try check(validationSentences >= 0, "validationSentences", "an integer ≥ 0 (0 = the whole split)")
        try check(threads >= 1, "threads", "an integer ≥ 1")
        try check(vocabularySize >= 5, "vocabularySize", "an integer ≥ 5 (4 specials and a word)")
        try check(minCount >= 1, "minCount", "an integer ≥ 1")
        try check(maxLength >= 1, "maxLength", "an integer ≥ 1")
        try check(iwSamples >= 1, "iwSamples", "an integer ≥ 1")
        // Bounds before anything is allocated: each size, and the whole model's training memory.
        for (key, value) in [("embeddingSize", embeddingSize), ("encoderHiddenSize", encoderHiddenSize),
                             ("decoderHiddenSize", decoderHiddenSize), ("latentSize", latentSize),
                             ("vocabularySize", vocabularySize), ("batchSize", batchSize), ("maxLength", maxLength)] {
            try check(value <= Self.sizeLimit, key, "an integer ≤ \(Self.sizeLimit)")
        }
        let gigabytes = estimatedTrainingBytes / 1e9
        try check(gigabytes <= Self.memoryLimitGB, "embeddingSize",
                  String(format: "sizes whose model fits in %.0f GB to train (these need about %.0f GB: embeddingSize, "
                         + "encoderHiddenSize, decoderHiddenSize, latentSize, vocabularySize)", Self.memoryLimitGB, gigabytes))
        try check(latentSamples >= 1, "latentSamples", "an integer ≥ 1")
        try check(priorSamples >= 0, "priorSamples", "an integer ≥ 0")
    }
}
