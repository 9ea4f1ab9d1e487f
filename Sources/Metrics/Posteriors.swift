/// The diagonal Gaussian posteriors q(z|x) = N(μ(x), diag σ²(x)) of one split: N rows of dimension d,
/// row-major Float32 as the model saves them.
public struct Posteriors: Sendable {
    /// N, the number of sentences.
    public let count: Int
    /// d, the latent dimension.
    public let dimension: Int
    /// μ, (N, d) row-major.
    public let mu: [Float]
    /// log σ², (N, d) row-major.
    public let logVar: [Float]

    /// Checks that μ and log σ² are both N×d and finite.
    public init(mu: [Float], logVar: [Float], dimension: Int) throws(MetricsError) {
        guard dimension > 0 else { throw .shape("latent dimension \(dimension) must be positive") }
        guard mu.count % dimension == 0 else {
            throw .shape("μ has \(mu.count) values, not a multiple of dimension \(dimension)")
        }
        guard logVar.count == mu.count else {
            throw .shape("log σ² has \(logVar.count) values but μ has \(mu.count)")
        }
        if let i = mu.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite("μ[\(i / dimension)][\(i % dimension)] = \(mu[i])")
        }
        if let i = logVar.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite("log σ²[\(i / dimension)][\(i % dimension)] = \(logVar[i])")
        }
        self.count = mu.count / dimension
        self.dimension = dimension
        self.mu = mu
        self.logVar = logVar
    }

    /// Checks that `z` holds N×d values (one sample per sentence) for these posteriors.
    func checkSample(_ z: [Float]) throws(MetricsError) {
        guard z.count == count * dimension else {
            throw .shape("z has \(z.count) values, expected N×d = \(count)×\(dimension)")
        }
        if let i = z.firstIndex(where: { !$0.isFinite }) {
            throw .nonFinite("z[\(i / dimension)][\(i % dimension)] = \(z[i])")
        }
    }
}
