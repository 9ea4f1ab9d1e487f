/// Statistics of one batch (per-sentence means, nats).
public struct StepStats: Sendable, Equatable {
    /// The objective actually minimised (reconstruction + β·KL term [+ cosine regulariser], per sentence).
    public var loss: Double
    /// Mean over sentences of −log p(x|z), summed over target tokens incl. <eos>.
    public var reconstruction: Double
    /// Mean over sentences of KL(q(z|x) || N(0, I)) (without free bits).
    public var kl: Double
    /// Mean over sentences of the KL of each latent dimension (Z).
    public var klPerDimension: [Double]
    public var beta: Double
    /// Current C for `.klTarget`, nil for `.elbo`.
    public var klTarget: Double?
    /// Mean pairwise cosine of the encoder features h in the batch (0 for B < 2 or the LM baseline).
    public var meanPairwiseCosine: Double
    /// Target tokens (incl. <eos>).
    public var tokens: Int

    public init(loss: Double = 0, reconstruction: Double = 0, kl: Double = 0, klPerDimension: [Double] = [],
                beta: Double = 0, klTarget: Double? = nil, meanPairwiseCosine: Double = 0, tokens: Int = 0) {
        self.loss = loss
        self.reconstruction = reconstruction
        self.kl = kl
        self.klPerDimension = klPerDimension
        self.beta = beta
        self.klTarget = klTarget
        self.meanPairwiseCosine = meanPairwiseCosine
        self.tokens = tokens
    }
}

/// The encoder's output for a batch.
public struct Encoding: Sendable, Equatable {
    public var mu: [Float]          // (B, Z)
    public var logVariance: [Float] // (B, Z)
    public var features: [Float]    // (B, H) pooled encoder features h
    public var batchSize: Int
    public var latentSize: Int
    public var featureSize: Int

    public init(mu: [Float], logVariance: [Float], features: [Float], batchSize: Int, latentSize: Int, featureSize: Int) {
        self.mu = mu
        self.logVariance = logVariance
        self.features = features
        self.batchSize = batchSize
        self.latentSize = latentSize
        self.featureSize = featureSize
    }
}

/// Special vocabulary ids shared with the Corpus module.
enum SpecialToken {
    static let pad: Int32 = 0
    static let unk: Int32 = 1
    static let bos: Int32 = 2
    static let eos: Int32 = 3
}
