import Foundation
import Metrics
import Model
import Tensor

/// The per-epoch evaluation on the validation split (logged with split "valid").
///
/// - reconstruction, kl: means over sentences of −log p(x|z) (one z ~ q(z|x)) and KL(q(z|x) ‖ N(0, I));
/// - elbo = −(reconstruction + kl), nats per sentence (higher is better; picks the "best" checkpoint);
/// - ppl_bound = exp((Σ rec + Σ KL) / Σ tokens), tokens including <eos>: an upper bound on the perplexity;
/// - active_units: dimensions with Var_x(μ_d) ≥ 0.01 (Burda et al. 2016; sample variance, N − 1);
/// - mi: He et al. 2019's minibatch estimator of I(x; z), batches of `batchSize` in the pass's order, one z per
///   sentence; its sampling noise is about √(Z/2)/√N nats (≈ 0.23 for Z = 32, N = 300), so a collapsed model
///   reads ±0.2 rather than 0 on a small split. Draws are the same for every pass of an epoch (common random
///   numbers: differences between passes reflect the model, not the draws);
/// - mean_pairwise_cosine: of the pooled encoder features h over the whole split (Long et al. 2019 §4.2).
/// AU, MI and the cosine are absent for the language-model baseline (no posterior) and when N < 2.
public struct ValidationResult: Equatable, Sendable {
    public var sentences = 0, tokens = 0
    public var reconstruction = 0.0, kl = 0.0
    public var activeUnits: Int?
    public var mutualInformation: Double?
    public var meanPairwiseCosine: Double?

    public var elbo: Double { -(reconstruction + kl) }
    public var perplexityBound: Double {
        tokens > 0 ? exp((reconstruction + kl) * Double(sentences) / Double(tokens)) : .nan
    }

    public var rows: [(key: String, value: Double)] {
        var r: [(String, Double)] = [("reconstruction", reconstruction), ("kl", kl), ("elbo", elbo),
                                     ("ppl_bound", perplexityBound)]
        if let activeUnits { r.append(("active_units", Double(activeUnits))) }
        if let mutualInformation { r.append(("mi", mutualInformation)) }
        if let meanPairwiseCosine { r.append(("mean_pairwise_cosine", meanPairwiseCosine)) }
        return r
    }
}

public enum Validation {
    /// Evaluates `sentences` in batches of `batchSize` sorted by length (deterministic order); `rng` draws
    /// the z of the reconstruction term and of the MI estimator. The objective's schedules are taken at `step`.
    public static func run(model: SequenceVAE, sentences: [[Int32]], batchSize: Int, objective: ObjectiveConfig,
                           step: Int, rng: inout SplitMix64) -> ValidationResult {
        var result = ValidationResult()
        guard !sentences.isEmpty else { return result }
        let order = sentences.indices.sorted { (sentences[$0].count, $0) < (sentences[$1].count, $1) }
        let latent = !model.config.languageModelOnly
        var mu: [Float] = [], logVariance: [Float] = [], z: [Float] = [], features: [Float] = []
        var featureSize = 0, latentSize = 0
        var recSum = 0.0, klSum = 0.0
        var start = 0
        while start < order.count {
            let batch = order[start..<min(order.count, start + batchSize)].map { sentences[$0] }
            start += batch.count
            let stats = model.evaluate(batch, objective: objective, step: step, rng: &rng)
            recSum += stats.reconstruction * Double(batch.count)
            klSum += stats.kl * Double(batch.count)
            result.tokens += stats.tokens
            guard latent else { continue }
            let e = model.encode(batch)
            latentSize = e.latentSize
            featureSize = e.featureSize
            mu += e.mu
            logVariance += e.logVariance
            features += e.features
            for i in e.mu.indices {
                let sigma = exp(0.5 * Double(e.logVariance[i]))
                z.append(Float(Double(e.mu[i]) + sigma * rng.nextGaussian()))
            }
        }
        result.sentences = sentences.count
        result.reconstruction = recSum / Double(sentences.count)
        result.kl = klSum / Double(sentences.count)
        if latent, latentSize > 0, sentences.count >= 2 {
            result.activeUnits = LatentMetrics.activeUnits(mu: mu, dimension: latentSize).count
            if let p = try? Posteriors(mu: mu, logVar: logVariance, dimension: latentSize) {
                result.mutualInformation = try? LatentMetrics.mutualInformationMinibatch(p, z: z, batchSize: batchSize)
            }
            if featureSize > 0, features.allSatisfy(\.isFinite) {
                result.meanPairwiseCosine = Dispersion.meanPairwiseCosine(features, dimension: featureSize)
            }
        }
        return result
    }
}
