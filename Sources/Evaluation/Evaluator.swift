import Training
import Foundation
import Corpus
import Metrics
import Model
import RunStore
import Tensor

/// Computes everything issue 4 asks of a trained model on one split, in memory (see `EvaluationStore` for
/// writing it). Seeds: q(z|x) samples, MI and sampling decoders from `options.seed`; prior draws from
/// `options.priorSeed` (fixed across runs); each decoding scheme gets its own generator derived from the seed
/// and the scheme's label, so adding a scheme changes no other scheme's output.
public struct Evaluator {
    public let model: SequenceVAE
    public let corpus: Corpus
    public let options: EvaluationOptions
    public let progress: EvaluationProgress

    public init(model: SequenceVAE, corpus: Corpus, options: EvaluationOptions, progress: EvaluationProgress = .silent) {
        self.model = model
        self.corpus = corpus
        self.options = options
        self.progress = progress
    }

    /// A generator for one purpose: SplitMix64(seed ⊕ FNV-1a(purpose)).
    static func generator(_ seed: UInt64, _ purpose: String) -> SplitMix64 {
        SplitMix64(seed: seed ^ FNV1a64.hash(purpose))
    }

    public func run(runName: String, step: Int) throws -> EvaluationResult {
        try options.validate()
        let started = Date()
        let sentences = options.sentences(of: corpus)
        let latentSize = model.latentSize

        // 1. Posteriors and features.
        var latents: LatentRecords? = nil
        var posterior = PosteriorBatch(mu: [], logVariance: [], batchSize: sentences.count, latentSize: 0)
        if latentSize > 0 {
            let encoded = encodeAll(sentences)
            latents = encoded
            posterior = PosteriorBatch(mu: encoded.mu, logVariance: encoded.logVariance,
                                       batchSize: encoded.count, latentSize: latentSize)
        }

        // 2. Likelihood: IW-NLL, or the exact NLL of a model without z.
        let estimate = likelihood(sentences, posterior: posterior)

        // 3. Mutual information and active units.
        var miMinibatch: Double? = nil, miMixture: Double? = nil, activeUnits: Int? = nil
        if latentSize > 0, !sentences.isEmpty {
            (miMinibatch, miMixture) = try mutualInformation(posterior)
            activeUnits = LatentMetrics.activeUnits(mu: posterior.mu, dimension: latentSize).count
        }

        // 4. S samples of z per sentence, and reconstructions.
        var decoded: [DecodedRecord] = []
        if var records = latents {
            var rng = Self.generator(options.seed, "latent-samples")
            var samples: [Float] = []
            samples.reserveCapacity(records.count * options.latentSamples * latentSize)
            for i in 0..<records.count {
                samples += Gaussian.sample(posterior, row: i, count: options.latentSamples, using: &rng)
            }
            records.samplesPerSentence = options.latentSamples
            records.samples = samples
            latents = records
            decoded += reconstructions(records)
        }

        // 5–6. Prior samples and interpolations by each scheme.
        var priorRng = SplitMix64(seed: options.priorSeed)
        let priorCodes = latentSize > 0
            ? Gaussian.standardSamples(count: options.priorSamples, size: latentSize, using: &priorRng) : []
        let interpolationCodes = latentSize > 0
            ? Interpolation.paths(between: priorCodes, latentSize: latentSize, pairs: options.interpolationPairs,
                                  points: options.interpolationPoints) : []
        for scheme in options.schemes {
            let label = EvaluationOptions.label(scheme)
            var rng = Self.generator(options.seed, "prior/" + label)
            let prior = decodeAll(priorCodes, count: options.priorSamples, scheme: scheme, rng: &rng,
                                  label: "prior samples, \(scheme)", unit: "draws")
            decoded += prior.enumerated().map { DecodedRecord(kind: .priorSample, scheme: scheme, zIndex: $0, ids: $1) }
            if latentSize > 0, !interpolationCodes.isEmpty {
                var irng = Self.generator(options.seed, "interpolation/" + label)
                let count = interpolationCodes.count / latentSize
                let paths = decodeAll(interpolationCodes, count: count, scheme: scheme, rng: &irng,
                                      label: "interpolations, \(scheme)", unit: "points")
                let points = options.interpolationPoints
                decoded += paths.enumerated().map {
                    DecodedRecord(kind: .interpolation, scheme: scheme, zIndex: $0, pairIndex: $0 / points,
                                  pointIndex: $0 % points, ids: $1)
                }
            }
        }

        // 7. Syntactic probe.
        var probe: [ProbeCategoryResult] = []
        if let path = options.probePath {
            let pairs = try SyntacticProbe.load(path: path)
            let task = progress.start("syntactic probe", total: pairs.count, unit: "pairs")
            probe = SyntacticProbe.run(pairs, model: model, batchSize: options.batchSize,
                                       encode: corpus.vocabulary.encode, progress: task.update)
            task.finish()
        }

        // 8. Forward cross-entropy.
        var fce: [ForwardCrossEntropyResult] = []
        if let size = options.forwardCrossEntropy {
            fce = try ForwardCrossEntropy(model: model, corpus: corpus, options: options, progress: progress)
                .run(sentencesPerScheme: size.resolve(testSentences: corpus.sentences(.test).count))
        }

        let summary = EvaluationSummary(
            run: runName, split: options.split, step: step, sentences: sentences.count,
            tokens: estimate.perSentenceTokens.reduce(0, +), importanceSamples: latentSize > 0 ? estimate.samples : 0,
            iwNLL: estimate.meanNLL, iwPerplexity: estimate.perplexity, elbo: estimate.elbo, rate: estimate.rate,
            distortion: estimate.distortion, mutualInformationMinibatch: miMinibatch,
            mutualInformationBatchSize: options.mutualInformationBatchSize, mutualInformationMixture: miMixture,
            activeUnits: activeUnits, probe: probe, forwardCrossEntropy: fce,
            seconds: Date().timeIntervalSince(started))
        return EvaluationResult(summary: summary, options: options, latents: latents, priorCodes: priorCodes,
                                interpolationCodes: interpolationCodes, decoded: decoded,
                                perSentenceNLL: estimate.perSentenceNLL)
    }

    /// μ, log σ² and h of every sentence, `batchSize` at a time (samples are added later).
    func encodeAll(_ sentences: [[Int32]]) -> LatentRecords {
        let task = progress.start("encoding \(options.split.rawValue)", total: sentences.count)
        var mu: [Float] = [], logVariance: [Float] = [], features: [Float] = []
        var featureSize = 0
        var start = 0
        while start < sentences.count {
            let end = min(sentences.count, start + options.batchSize)
            let e = model.encode(Array(sentences[start..<end]))
            mu += e.mu
            logVariance += e.logVariance
            features += e.features
            featureSize = e.featureSize
            start = end
            task.update(end)
        }
        task.finish()
        return LatentRecords(count: sentences.count, latentSize: model.latentSize, featureSize: featureSize,
                             samplesPerSentence: 0, mu: mu, logVariance: logVariance, samples: [], features: features)
    }

    /// IW-NLL with K samples, or for a model without z the exact −log p(x) (then K is reported as 0).
    func likelihood(_ sentences: [[Int32]], posterior: PosteriorBatch) -> ImportanceWeightedEstimate {
        if model.latentSize == 0 {
            let task = progress.start("exact NLL (no latent)", total: sentences.count)
            var nll: [Double] = []
            var start = 0
            while start < sentences.count {
                let end = min(sentences.count, start + options.batchSize)
                nll += model.logLikelihood(Array(sentences[start..<end]), z: []).map { -$0 }
                start = end
                task.update(end)
            }
            task.finish()
            let mean = nll.isEmpty ? 0 : nll.reduce(0, +) / Double(nll.count)
            return ImportanceWeightedEstimate(samples: 0, perSentenceNLL: nll,
                                              perSentenceTokens: sentences.map { $0.count + 1 },
                                              distortion: mean, rate: 0)
        }
        var rng = Self.generator(options.seed, "importance-weighted")
        let task = progress.start("IW-NLL K=\(options.importanceSamples)", total: sentences.count)
        let estimate = importanceWeightedNLL(model: model, sentences: sentences, posterior: posterior,
                                             samples: options.importanceSamples,
                                             rowsPerCall: options.importanceRowsPerCall, using: &rng,
                                             progress: task.update)
        task.finish()
        return estimate
    }

    /// (He et al. minibatch, full-split mixture) through the Metrics module, one z ~ q(z|x) per sentence.
    func mutualInformation(_ posterior: PosteriorBatch) throws -> (Double, Double) {
        var rng = Self.generator(options.seed, "mutual-information")
        let z = MutualInformation.sampleRows(posterior, rows: 0..<posterior.batchSize, using: &rng)
        let task = progress.start("mutual information", total: 1, unit: "estimates")
        defer { task.finish() }
        return try Self.mutualInformation(posterior, z: z, batchSize: options.mutualInformationBatchSize)
    }

    /// Both estimators of the Metrics module on given samples z (N, Z).
    static func mutualInformation(_ posterior: PosteriorBatch, z: [Float], batchSize: Int) throws -> (minibatch: Double, mixture: Double) {
        let p = try Posteriors(mu: posterior.mu, logVar: posterior.logVariance, dimension: posterior.latentSize)
        return (try LatentMetrics.mutualInformationMinibatch(p, z: z, batchSize: batchSize),
                try LatentMetrics.mutualInformationMixture(p, z: z))
    }

    /// Greedy reconstructions from μ and from the first stored sample of z.
    func reconstructions(_ records: LatentRecords) -> [DecodedRecord] {
        var rng = Self.generator(options.seed, "reconstruction")
        let fromMean = decodeAll(records.mu, count: records.count, scheme: .greedy, rng: &rng,
                                 label: "reconstructions from μ", unit: "sentences")
        var out = fromMean.enumerated().map {
            DecodedRecord(kind: .reconstructionMean, scheme: .greedy, zIndex: $0, sourceIndex: $0, ids: $1)
        }
        guard records.samplesPerSentence > 0 else { return out }
        let size = records.latentSize, width = records.samplesPerSentence * size
        var firstSamples: [Float] = []
        firstSamples.reserveCapacity(records.count * size)
        for i in 0..<records.count { firstSamples += records.samples[(i * width)..<(i * width + size)] }
        let fromSample = decodeAll(firstSamples, count: records.count, scheme: .greedy, rng: &rng,
                                   label: "reconstructions from a sampled z", unit: "sentences")
        out += fromSample.enumerated().map {
            DecodedRecord(kind: .reconstructionSample, scheme: .greedy, zIndex: $0, sourceIndex: $0, ids: $1)
        }
        return out
    }

    /// Decodes `count` rows of `codes` (or `count` sentences of a model without z) in batches, each truncated
    /// at its first <eos> (the decoder already stops there; this guards the contract).
    func decodeAll(_ codes: [Float], count: Int, scheme: DecodingScheme, rng: inout SplitMix64,
                   label: String, unit: String) -> [[Int32]] {
        let size = model.latentSize
        let task = progress.start(label, total: count, unit: unit)
        var out: [[Int32]] = []
        out.reserveCapacity(count)
        var start = 0
        while start < count {
            let end = min(count, start + options.batchSize)
            let z = size > 0 ? Array(codes[(start * size)..<(end * size)]) : []
            let batch = model.decode(z: z, count: end - start, scheme: scheme, maxLength: options.maxDecodeLength, rng: &rng)
            out += batch.map { ids in Array(ids.prefix { $0 != Vocabulary.eos }) }
            start = end
            task.update(end)
        }
        task.finish()
        return out
    }
}
