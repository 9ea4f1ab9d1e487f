import Training
import Foundation

/// The importance-weighted likelihood bound of a split (Burda et al. 2016; He et al. 2019 §5 with K = 500),
/// plus the ELBO's two terms estimated from the same samples.
public struct ImportanceWeightedEstimate: Codable, Equatable, Sendable {
    /// K, the number of samples from q(z|x) per sentence.
    public var samples: Int
    /// −log (1/K Σ_k p(x|z_k) p(z_k) / q(z_k|x)) per sentence, nats.
    public var perSentenceNLL: [Double]
    /// Target tokens of each sentence, its words plus <eos>.
    public var perSentenceTokens: [Int]
    /// Mean over sentences and samples of −log p(x|z_k), z_k ~ q(z|x): a K-sample estimate of the distortion.
    public var distortion: Double
    /// Mean over sentences of KL(q(z|x) ‖ N(0, I)) in closed form: the rate.
    public var rate: Double

    /// Per-sentence mean of the IW-NLL.
    public var meanNLL: Double { perSentenceNLL.isEmpty ? .nan : perSentenceNLL.reduce(0, +) / Double(perSentenceNLL.count) }
    /// exp(Σ NLL / Σ tokens), tokens including <eos>.
    public var perplexity: Double {
        let tokens = perSentenceTokens.reduce(0, +)
        return tokens == 0 ? .nan : exp(perSentenceNLL.reduce(0, +) / Double(tokens))
    }
    /// The ELBO per sentence, −(distortion + rate); it is ≤ −meanNLL up to sampling noise.
    public var elbo: Double { -(distortion + rate) }
}

/// KL(N(μ, σ²) ‖ N(0, I)) = ½ Σ_d (μ_d² + σ_d² − 1 − log σ_d²) for row `row`.
public func gaussianKL(_ posterior: PosteriorBatch, row: Int) -> Double {
    var sum = 0.0
    for (m, lv) in zip(posterior.mu(row), posterior.logVariance(row)) {
        let mu = Double(m), logVar = Double(lv)
        sum += mu * mu + exp(logVar) - 1 - logVar
    }
    return 0.5 * sum
}

/// Posteriors of all sentences, encoded `batchSize` at a time and concatenated in order.
public func posteriors(of sentences: [[Int32]], model: some LatentLikelihoodModel, batchSize: Int,
                       progress: ((Int) -> Void)? = nil) -> PosteriorBatch {
    let size = model.latentSize
    var mu: [Float] = [], logVariance: [Float] = []
    mu.reserveCapacity(sentences.count * size)
    logVariance.reserveCapacity(sentences.count * size)
    var start = 0
    while start < sentences.count {
        let end = min(sentences.count, start + max(1, batchSize))
        let batch = model.posterior(Array(sentences[start..<end]))
        mu += batch.mu
        logVariance += batch.logVariance
        start = end
        progress?(end)
    }
    return PosteriorBatch(mu: mu, logVariance: logVariance, batchSize: sentences.count, latentSize: size)
}

/// IW-NLL of every sentence with K samples from q(z|x).
///
/// log w_k = log p(x|z_k) + log N(z_k; 0, I) − log q(z_k|x), and NLL = −(logsumexp_k log w_k − log K), so
/// nothing under- or overflows. The K samples of a sentence are laid out as K consecutive rows (the sentence
/// repeated) and sent through `logLikelihood` in calls of at most `rowsPerCall` rows, so the decoder works on
/// matrix batches; when K < rowsPerCall the rows of several sentences share a call.
/// With K = 1 the estimate is the single-sample ELBO; as K → ∞ it tends to −log p(x). An empty sentence
/// list gives an empty result.
public func importanceWeightedNLL(
    model: some LatentLikelihoodModel, sentences: [[Int32]], posterior: PosteriorBatch, samples: Int,
    rowsPerCall: Int = 100, using rng: inout some RandomNumberGenerator, progress: ((Int) -> Void)? = nil
) -> ImportanceWeightedEstimate {
    precondition(samples >= 1, "importanceWeightedNLL: K must be at least 1")
    precondition(posterior.batchSize == sentences.count, "importanceWeightedNLL: one posterior per sentence")
    let size = model.latentSize
    let rowsPerCall = max(rowsPerCall, 1)
    var logWeights = [[Double]](repeating: [], count: sentences.count)
    var reconstructionSum = 0.0

    // Pending rows: (sentence, z, log p(z) − log q(z|x)).
    var rowSentences: [[Int32]] = [], rowOwners: [Int] = [], rowZ: [Float] = [], rowPriorMinusQ: [Double] = []
    func flush() {
        guard !rowSentences.isEmpty else { return }
        let logLikelihoods = model.logLikelihood(rowSentences, z: rowZ)
        for (r, ll) in logLikelihoods.enumerated() {
            logWeights[rowOwners[r]].append(ll + rowPriorMinusQ[r])
            reconstructionSum -= ll
        }
        rowSentences.removeAll(keepingCapacity: true)
        rowOwners.removeAll(keepingCapacity: true)
        rowZ.removeAll(keepingCapacity: true)
        rowPriorMinusQ.removeAll(keepingCapacity: true)
    }

    for i in sentences.indices {
        let z = Gaussian.sample(posterior, row: i, count: samples, using: &rng)
        let mu = posterior.mu(i), logVariance = posterior.logVariance(i)
        for k in 0..<samples {
            let zk = z[(k * size)..<((k + 1) * size)]
            rowSentences.append(sentences[i])
            rowOwners.append(i)
            rowZ += zk
            rowPriorMinusQ.append(Gaussian.standardLogDensity(zk) - Gaussian.logDensity(zk, mu: mu, logVariance: logVariance))
            if rowSentences.count == rowsPerCall { flush() }
        }
        progress?(i + 1)
    }
    flush()

    let logK = log(Double(samples))
    let nll = logWeights.map { -(logSumExp($0) - logK) }
    let rate = sentences.isEmpty ? 0 : sentences.indices.map { gaussianKL(posterior, row: $0) }.reduce(0, +)
        / Double(sentences.count)
    let distortion = sentences.isEmpty ? 0 : reconstructionSum / Double(sentences.count * samples)
    return ImportanceWeightedEstimate(samples: samples, perSentenceNLL: nll,
                                      perSentenceTokens: sentences.map { $0.count + 1 },
                                      distortion: distortion, rate: rate)
}
