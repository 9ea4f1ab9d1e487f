import Model

/// Everything a training run is configured by (nanoGPT's configurator style, one flat namespace of keys): the
/// model's settings stored once in `model` (`VAEConfig`) and the objective's in `objectiveConfig`
/// (`ObjectiveConfig`), read and written as `config.pooling`, `config.beta` through dynamic member lookup; then the
/// trainer's, the corpus's and the end-of-training evaluation's settings. `ConfigKey.all` at the end of this file
/// describes every key once (type, doc with the paper it follows, range, resumable, value for older runs): it is
/// the source of overrides (`--config FILE.yaml`, `--set key=value`), validation, the flat stored JSON, resume
/// rules, `--help-config` and the keys report specs accept. "VAEScope" in a doc marks a choice of ours.
@dynamicMemberLookup
public struct TrainConfig: Equatable, Sendable {
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

    // MARK: Model and objective (stored once: in VAEConfig and ObjectiveConfig)

    /// The model's settings (`VAEConfig`; its `vocabularySize` is set from the corpus when the model is built).
    /// Read and written as if they were TrainConfig's own (`config.pooling`), through `subscript(dynamicMember:)`.
    public var model = VAEConfig()
    /// The objective and its schedules (`ObjectiveConfig`), likewise (`config.beta`, `config.klTarget`).
    public var objectiveConfig = ObjectiveConfig()
    /// The objective's kind: `elbo` or `klTarget` (rec + β·|KL − C|, Prokhorov et al. 2019 §2); the key `objective`.
    public var objective: ObjectiveConfig.Kind {
        get { objectiveConfig.kind }
        set { objectiveConfig.kind = newValue }
    }

    public subscript<T>(dynamicMember key: WritableKeyPath<VAEConfig, T>) -> T {
        get { model[keyPath: key] }
        set { model[keyPath: key] = newValue }
    }

    public subscript<T>(dynamicMember key: WritableKeyPath<ObjectiveConfig, T>) -> T {
        get { objectiveConfig[keyPath: key] }
        set { objectiveConfig[keyPath: key] = newValue }
    }

    // MARK: Schedule and remedies of the trainer

    /// β rises over this many epochs, counted as epochs × training sentences / batchSize steps as He et al. 2019's
    /// `text.py` counts them (their `warm_up`: 10); 0 = use annealSteps.
    public var annealEpochs = 0.0
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
    public var iwSamples = EvaluationOptions().importanceSamples
    /// Samples of z stored per sentence (Prokhorov et al. 2019 average LogDetCov over 5).
    public var latentSamples = EvaluationOptions().latentSamples
    /// Sentences decoded from the prior per scheme (VAEScope).
    public var priorSamples = EvaluationOptions().priorSamples

    public init() {}

    /// The largest value of any size key (embedding, hidden, latent, vocabulary, batch, length).
    public static let sizeLimit = 1 << 20
    /// The most memory (GB) a model's parameters with their gradients and optimiser state may take.
    public static let memoryLimitGB = 16.0

    /// Bytes of the parameters × 4 (values, gradients, two Adam moments) at `vocabularySize`, in Double so that
    /// absurd sizes cannot overflow.
    public var estimatedTrainingBytes: Double {
        let V = Double(vocabularySize), E = Double(model.embeddingSize), He = Double(model.encoderHiddenSize)
        let Hd = Double(model.decoderHiddenSize), Z = Double(model.latentSize)
        let embeddings = V * E * (model.separateEmbeddings ? 2 : 1)
        let encoder = 4 * He * (E + He + 1) + 2 * He * Z
        let K = Double(model.convolutionWidth)
        let decoder = model.decoderCell == .cnn
            ? Hd * (E + Z + 1) + Hd * (Hd + 1) + 4 * (Hd * Hd / 4 + K * Hd * Hd / 16 + Hd * Hd / 4 + Hd)
            : 4 * Hd * (E + Hd + 1 + Z) + Z * Hd
        let output = Hd * V + V + (model.latentToOutput ? Z * V : 0)
        return (embeddings + encoder + decoder + output) * 4 * 4
    }

    /// The model architecture; `vocabularySize` is the corpus vocabulary's actual size.
    public func vaeConfig(vocabularySize: Int) -> VAEConfig {
        var c = model
        c.vocabularySize = vocabularySize
        return c
    }

    /// Checks every key's range (`ConfigKey.range`), then what involves several keys; throws naming the key.
    public func validate() throws {
        func check(_ ok: Bool, _ key: String, _ expected: String) throws {
            if !ok { throw TrainingError.invalidValue(key: key, expected: expected) }
        }
        for key in ConfigKey.all {
            if let range = key.range { try check(range.check(self), key.name, range.expected) }
        }
        try check(!aggressive || optimizer == .sgd, "aggressive",
                  "false unless optimizer=sgd (He et al. 2019's aggressive training steps encoder and decoder by SGD)")
        try check(!aggressive || !model.languageModelOnly, "aggressive", "false for the language model (no encoder)")
        try check(model.decoderCell != .cnn || !model.latentInitializesDecoder, "latentInitializesDecoder",
                  "false for decoderCell=cnn (a convolution has no initial state; z enters every position)")
        try check(model.decoderCell != .cnn || model.latentAtEveryStep || model.latentToOutput || model.languageModelOnly,
                  "latentAtEveryStep", "true for decoderCell=cnn (z enters the convolutional decoder through its inputs only)")
        try check(model.decoderCell != .cnn || model.decoderHiddenSize >= 4, "decoderHiddenSize",
                  "an integer ≥ 4 for decoderCell=cnn (a quarter of the channels form the bottleneck)")
        // Bounds before anything is allocated: each size, and the whole model's training memory.
        for (key, value) in [("embeddingSize", model.embeddingSize), ("encoderHiddenSize", model.encoderHiddenSize),
                             ("decoderHiddenSize", model.decoderHiddenSize), ("latentSize", model.latentSize),
                             ("vocabularySize", vocabularySize), ("batchSize", batchSize), ("maxLength", maxLength)] {
            try check(value <= Self.sizeLimit, key, "an integer ≤ \(Self.sizeLimit)")
        }
        let gigabytes = estimatedTrainingBytes / 1e9
        try check(gigabytes <= Self.memoryLimitGB, "embeddingSize",
                  String(format: "sizes whose model fits in %.0f GB to train (these need about %.0f GB: embeddingSize, "
                         + "encoderHiddenSize, decoderHiddenSize, latentSize, vocabularySize)", Self.memoryLimitGB, gigabytes))
    }
}

extension ConfigKey {
    /// Every key, in the order of `TrainConfig`'s fields: adding a setting is a field above and an entry here
    /// (plus its use); validation, resume, the stored JSON, `--help-config` and report specs follow from it.
    public static var all: [ConfigKey] {
        [
            .int("embeddingSize", \.embeddingSize, "word embedding size (Prokhorov et al. 2019: 256)")
                .valid("an integer ≥ 1") { $0.embeddingSize >= 1 },
            .int("encoderHiddenSize", \.encoderHiddenSize, "encoder hidden size (Bowman et al., Prokhorov et al.: 512)")
                .valid("an integer ≥ 1") { $0.encoderHiddenSize >= 1 },
            .int("decoderHiddenSize", \.decoderHiddenSize, "decoder hidden size (Prokhorov et al. 2019: 512)")
                .valid("an integer ≥ 1") { $0.decoderHiddenSize >= 1 },
            .int("latentSize", \.latentSize, "latent size Z (He et al. 2019, Long et al. 2019: 32)")
                .valid("an integer ≥ 1") { $0.latentSize >= 1 },
            .choice("encoderCell", \.encoderCell, "encoder cell (LSTM in all three papers)"),
            .choice("decoderCell", \.decoderCell, "decoder: lstm (all three papers), gru, or cnn: gated causal convolutions (Prokhorov et al. 2019)"),
            .int("convolutionWidth", \.convolutionWidth, "filter width of the cnn decoder's causal convolutions (Prokhorov et al. 2019: 20)")
                .valid("an integer in 1 … 1000") { $0.convolutionWidth >= 1 && $0.convolutionWidth <= 1000 }
                .before("20"),
            .choice("pooling", \.pooling, "encoder feature pooling (Long et al. 2019 §4.1; last = Bowman et al.)"),
            .bool("encoderReadsBoundaries", \.encoderReadsBoundaries, "encoder reads <bos> words <eos>; last = state after <eos> (He et al. 2019 code)")
                .before("false"),
            .bool("latentAtEveryStep", \.latentAtEveryStep, "z concatenated to every decoder input (Prokhorov et al.)"),
            .bool("latentInitializesDecoder", \.latentInitializesDecoder, "z sets the decoder's initial state (Bowman et al.)"),
            .choice("latentInitialState", \.latentInitialState, "hidden: h0 = zW + b (Bowman et al.); cellTanh: c0 = zW, h0 = tanh(c0) (He et al. 2019)")
                .before("hidden"),
            .bool("separateEmbeddings", \.separateEmbeddings, "encoder and decoder have their own embedding tables (He et al. 2019)")
                .before("false"),
            .bool("latentHeadBias", \.latentHeadBias, "mu and log-variance heads have a bias (He et al. 2019: false)")
                .before("true"),
            .bool("outputBias", \.outputBias, "the output softmax layer has a bias (He et al. 2019: false)")
                .before("true"),
            .bool("latentToOutput", \.latentToOutput, "SkipVAE: z enters the output layer at every step (Dieng et al. 2019)")
                .before("false"),
            .bool("languageModelOnly", \.languageModelOnly, "LSTM language model without z (Long et al. Table 1 baseline)"),
            .double("initScale", \.initScale, "uniform initialisation U(-a, a) of the weights (He et al. 2019: 0.01)")
                .valid("a number > 0") { $0.initScale > 0 },
            .double("embeddingInitScale", \.embeddingInitScale, "uniform initialisation of embeddings, 0 = initScale (He et al. 2019: 0.1)")
                .valid("a number ≥ 0 (0 = initScale)") { $0.embeddingInitScale >= 0 }
                .before("0"),
            .bool("initBiases", \.initBiases, "biases drawn from U(-initScale, initScale), not 0 (He et al. 2019: true)")
                .before("false"),
            .choice("objective", \.objective, "elbo, or klTarget: rec + β|KL − C| (Prokhorov et al. 2019 §2)"),
            .double("beta", \.beta, "constant β; weight of |KL − C| for klTarget (Prokhorov et al.: 1)")
                .valid("a number ≥ 0") { $0.beta >= 0 },
            .choice("betaSchedule", \.betaSchedule, "β schedule: linear (Bowman et al.), cyclical (Fu et al. 2019)"),
            .double("beta0", \.beta0, "starting β of the annealing (He et al. 2019: 0.1)")
                .valid("a number ≥ 0") { $0.beta0 >= 0 },
            .int("annealSteps", \.annealSteps, "steps over which β rises to 1, or span of all cycles (VAEScope)")
                .valid("an integer ≥ 0") { $0.annealSteps >= 0 },
            .double("annealEpochs", \.annealEpochs, "β rises over this many epochs of train/batchSize steps, 0 = annealSteps (He et al. 2019: 10)")
                .valid("a number ≥ 0 (0 = use annealSteps)") { $0.annealEpochs >= 0 }
                .before("0"),
            .int("cycles", \.cycles, "cycles M of the cyclical schedule (Fu et al. 2019: 4)")
                .valid("an integer ≥ 1") { $0.cycles >= 1 },
            .double("cycleRampFraction", \.cycleRampFraction, "fraction R of a cycle over which β rises (Fu et al.: 0.5)")
                .valid("a number in (0, 1]") { $0.cycleRampFraction > 0 && $0.cycleRampFraction <= 1 },
            .double("klTarget", \.klTarget, "target rate C in nats for klTarget (Prokhorov et al. use 3 … 100)")
                .valid("a number ≥ 0") { $0.klTarget >= 0 },
            .int("klTargetWarmupSteps", \.klTargetWarmupSteps, "steps over which C rises linearly from 0 (Burgess et al. 2018)")
                .valid("an integer ≥ 0") { $0.klTargetWarmupSteps >= 0 },
            .double("freeBits", \.freeBits, "free-bits threshold λ in nats, 0 = off (Kingma et al. 2016)")
                .valid("a number ≥ 0") { $0.freeBits >= 0 },
            .choice("freeBitsMode", \.freeBitsMode, "free bits per dimension (Kingma et al. 2016) or per sentence"),
            .double("wordDropout", \.wordDropout, "decoder input word dropout rate, 0 = off (Bowman et al. 2016)")
                .valid("a number in [0, 1]") { $0.wordDropout >= 0 && $0.wordDropout <= 1 },
            .double("decoderInputDropout", \.decoderInputDropout, "dropout on decoder input embeddings, 0 = off (He et al. 2019: 0.5)")
                .valid("a number in [0, 1)") { $0.decoderInputDropout >= 0 && $0.decoderInputDropout < 1 }
                .before("0"),
            .double("decoderOutputDropout", \.decoderOutputDropout, "dropout on decoder states before the softmax, 0 = off (He et al. 2019: 0.5)")
                .valid("a number in [0, 1)") { $0.decoderOutputDropout >= 0 && $0.decoderOutputDropout < 1 }
                .before("0"),
            .double("cosineRegularizer", \.cosineRegularizer, "weight of the features' pairwise cosine, 0 = off (Long et al. §4.2)")
                .valid("a number ≥ 0") { $0.cosineRegularizer >= 0 },
            .bool("aggressive", \.aggressive, "aggressive inference-network training (He et al. 2019 Algorithm 1; needs sgd)")
                .before("false"),
            .uint("seed", \.seed, "seed of init, batch order, ε and dropout (same seed + threads = same run)"),
            .int("epochs", \.epochs, "passes over train (VAEScope: 30; He et al. 2019: up to 100, early stopping)")
                .valid("an integer ≥ 1") { $0.epochs >= 1 }
                .resumableKey(),
            .int("maxSteps", \.maxSteps, "stop after this many steps in total, 0 = no limit (VAEScope)")
                .valid("an integer ≥ 0 (0 = no limit)") { $0.maxSteps >= 0 }
                .resumableKey(),
            .int("batchSize", \.batchSize, "sentences per batch (He et al. 2019: 32)")
                .valid("an integer ≥ 1") { $0.batchSize >= 1 },
            .choice("batching", \.batching, "sorted (VAEScope) or equalLength: equal lengths, made once (He et al. 2019)")
                .before("sorted"),
            .choice("optimizer", \.optimizer, "adam (Kingma & Ba 2015) or sgd (He et al. 2019)"),
            .double("learningRate", \.learningRate, "learning rate (Adam's customary 1e-3; He et al. SGD: 1.0)")
                .valid("a finite number > 0") { $0.learningRate > 0 && $0.learningRate.isFinite },
            .double("momentum", \.momentum, "SGD momentum (He et al. 2019: 0)")
                .valid("a number in [0, 1)") { $0.momentum >= 0 && $0.momentum < 1 },
            .double("gradientClip", \.gradientClip, "max global gradient L2 norm (He et al. 2019: 5)")
                .valid("a number > 0") { $0.gradientClip > 0 },
            .int("lrDecayPatience", \.lrDecayPatience, "epochs without improvement before a decay + best reload, 0 = never (He et al.: 2)")
                .valid("an integer ≥ 0 (0 = never decay)") { $0.lrDecayPatience >= 0 }
                .before("0"),
            .double("lrDecayFactor", \.lrDecayFactor, "learning-rate factor of each decay (He et al. 2019: 0.5)")
                .valid("a number in (0, 1)") { $0.lrDecayFactor > 0 && $0.lrDecayFactor < 1 }
                .before("0.5"),
            .int("lrDecayMinEpoch", \.lrDecayMinEpoch, "no decay before this 0-based epoch (He et al. 2019: 15)")
                .valid("an integer ≥ 0") { $0.lrDecayMinEpoch >= 0 }
                .before("0"),
            .int("maxLRDecays", \.maxLRDecays, "stop after this many decays, 0 = never (He et al. 2019: 5)")
                .valid("an integer ≥ 0 (0 = never stop early)") { $0.maxLRDecays >= 0 }
                .before("0"),
            .int("logEvery", \.logEvery, "log training scalars (window means) every K steps (VAEScope)")
                .valid("an integer ≥ 1") { $0.logEvery >= 1 },
            .int("validateEvery", \.validateEvery, "also validate + checkpoint every N steps, 0 = epoch ends only (VAEScope)")
                .valid("an integer ≥ 0 (0 = epoch ends only)") { $0.validateEvery >= 0 },
            .int("validationSentences", \.validationSentences, "validate on the first N valid sentences, 0 = all (VAEScope)")
                .valid("an integer ≥ 0 (0 = the whole split)") { $0.validationSentences >= 0 },
            .int("threads", \.threads, "OpenBLAS threads (VAEScope: 1)")
                .valid("an integer ≥ 1") { $0.threads >= 1 }
                .resumableKey(),
            .bool("evaluateAtEnd", \.evaluateAtEnd, "run eval on the best checkpoint at the end (issue 4)")
                .resumableKey(),
            .int("vocabularySize", \.vocabularySize, "max vocabulary incl. 4 specials (PTB of Mikolov et al.: 10k)")
                .valid("an integer ≥ 5 (4 specials and a word)") { $0.vocabularySize >= 5 },
            .int("minCount", \.minCount, "min training count of a vocabulary word (PTB: 1)")
                .valid("an integer ≥ 1") { $0.minCount >= 1 },
            .int("maxLength", \.maxLength, "max sentence length in tokens (VAEScope: 100 > PTB's longest, 82)")
                .valid("an integer ≥ 1") { $0.maxLength >= 1 },
            .bool("skipLongLines", \.skipLongLines, "skip longer lines instead of failing (VAEScope: fail)"),
            .choice("evalSplit", \.evalSplit, "split evaluated at the end (He et al. 2019: test)")
                .resumableKey(),
            .int("iwSamples", \.iwSamples, "importance samples K of the IW-NLL (He et al. 2019: 500)")
                .valid("an integer ≥ 1") { $0.iwSamples >= 1 }
                .resumableKey(),
            .int("latentSamples", \.latentSamples, "z samples stored per sentence (Prokhorov et al. 2019: 5)")
                .valid("an integer ≥ 1") { $0.latentSamples >= 1 }
                .resumableKey(),
            .int("priorSamples", \.priorSamples, "prior samples decoded per scheme (VAEScope)")
                .valid("an integer ≥ 0") { $0.priorSamples >= 0 }
                .resumableKey(),
        ]
    }
}

/// The stored JSON: one flat field per key of `ConfigKey.all` (numbers as numbers, flags as booleans, choices as
/// strings), as runs have always been stored; reading ignores fields that are not keys (e.g. `corpusDirectory`)
/// and leaves absent keys at their defaults (`fromJSON` supplies the values of keys older runs predate).
extension TrainConfig: Codable {
    struct Field: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Field.self)
        for key in ConfigKey.all {
            let text = key.value(in: self), field = Field(stringValue: key.name)
            switch key.type {
            case .integer: try c.encode(Int(text) ?? 0, forKey: field)
            case .unsigned: try c.encode(UInt64(text) ?? 0, forKey: field)
            case .number: try c.encode(Double(text) ?? 0, forKey: field)
            case .boolean: try c.encode(text == "true", forKey: field)
            case .choice: try c.encode(text, forKey: field)
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: Field.self)
        for key in ConfigKey.all {
            let field = Field(stringValue: key.name)
            guard c.contains(field) else { continue }
            let text: String
            switch key.type {
            case .integer: text = String(try c.decode(Int.self, forKey: field))
            case .unsigned: text = String(try c.decode(UInt64.self, forKey: field))
            case .number: text = ConfigKey.format(try c.decode(Double.self, forKey: field))
            case .boolean: text = String(try c.decode(Bool.self, forKey: field))
            case .choice: text = try c.decode(String.self, forKey: field)
            }
            guard key.set(&self, text) else {
                throw DecodingError.dataCorruptedError(forKey: field, in: c, debugDescription: "'\(text)' is not \(key.type)")
            }
        }
    }
}
