import Training
import Model

/// The VAE as seen by the likelihood estimators and the probe: q(z|x) from `encode`, log p(x|z) from
/// `logLikelihood`. A language model without z has an empty posterior (Z = 0).
extension SequenceVAE: LatentLikelihoodModel {
    public func posterior(_ sentences: [[Int32]]) -> PosteriorBatch {
        guard latentSize > 0, !sentences.isEmpty else {
            return PosteriorBatch(mu: [], logVariance: [], batchSize: sentences.count, latentSize: 0)
        }
        let e = encode(sentences)
        return PosteriorBatch(mu: e.mu, logVariance: e.logVariance, batchSize: e.batchSize, latentSize: e.latentSize)
    }
}
