/// The posterior parameters of a batch: q(z|x_i) = N(μ_i, diag(exp(logVariance_i))).
public struct PosteriorBatch: Sendable, Equatable {
    /// (B, Z) row-major.
    public var mu: [Float]
    /// (B, Z) row-major, log σ².
    public var logVariance: [Float]
    public var batchSize: Int
    public var latentSize: Int

    public init(mu: [Float], logVariance: [Float], batchSize: Int, latentSize: Int) {
        precondition(mu.count == batchSize * latentSize && logVariance.count == mu.count,
                     "PosteriorBatch: μ and log σ² must both be (B, Z)")
        self.mu = mu
        self.logVariance = logVariance
        self.batchSize = batchSize
        self.latentSize = latentSize
    }

    /// Row i of μ.
    public func mu(_ i: Int) -> ArraySlice<Float> { mu[(i * latentSize)..<((i + 1) * latentSize)] }
    /// Row i of log σ².
    public func logVariance(_ i: Int) -> ArraySlice<Float> {
        logVariance[(i * latentSize)..<((i + 1) * latentSize)]
    }
}

/// What the likelihood estimators and the syntactic probe need from a latent-variable sentence model:
/// the Gaussian posterior q(z|x) and the decoder's log p(x|z). `SequenceVAE` conforms; tests use small
/// stand-ins whose marginal likelihood is known exactly.
public protocol LatentLikelihoodModel {
    /// Z, the size of z.
    var latentSize: Int { get }
    /// q(z|x) for each sentence (word ids without <bos>/<eos>).
    func posterior(_ sentences: [[Int32]]) -> PosteriorBatch
    /// log p(x_i|z_i) per row, in nats, summed over the target tokens including <eos>;
    /// `z` is (B, Z) with B == sentences.count.
    func logLikelihood(_ sentences: [[Int32]], z: [Float]) -> [Double]
}
