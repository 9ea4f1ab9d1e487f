import Training
import Foundation
import Corpus
import Metrics
import Model
import Tensor

/// Forward cross-entropy (Prokhorov et al. 2019 Table 3; Zhao et al. 2018): how well do the model's samples cover
/// the data? For each decoding scheme, N sentences are decoded from z ~ N(0, I) (a fixed seed, the same for every
/// run), a language model (the run's architecture with `languageModelOnly`) is trained on them, and its NLL on the
/// test split is reported with the generated corpus's vocabulary size, %<unk>, mean length and self-BLEU-4.
///
/// The loop is deliberately minimal: Adam (lr 1e-3), gradient norm clipped at 5, length-grouped batches of
/// `options.batchSize`, `options.forwardCrossEntropyEpochs` epochs, seeded from `options.seed`. Empty generated
/// sentences are kept in the statistics but not trained on. Self-BLEU is over the first
/// `selfBLEULimit` generated sentences (it is quadratic in N).
public struct ForwardCrossEntropy {
    public static let selfBLEULimit = 1_000
    public static let learningRate = 1e-3
    public static let maxGradientNorm = 5.0

    public let model: SequenceVAE
    public let corpus: Corpus
    public let options: EvaluationOptions
    public let progress: EvaluationProgress

    public init(model: SequenceVAE, corpus: Corpus, options: EvaluationOptions, progress: EvaluationProgress) {
        self.model = model
        self.corpus = corpus
        self.options = options
        self.progress = progress
    }

    public func run(sentencesPerScheme n: Int) throws -> [ForwardCrossEntropyResult] {
        let size = model.latentSize
        var codeRng = SplitMix64(seed: EvaluationOptions.fixedGenerationSeed)
        let codes = size > 0 ? Gaussian.standardSamples(count: n, size: size, using: &codeRng) : []
        let evaluator = Evaluator(model: model, corpus: corpus, options: options, progress: progress)
        return try options.schemes.map { scheme in
            let label = EvaluationOptions.label(scheme)
            var rng = Evaluator.generator(options.seed, "fce-generate/" + label)
            let generated = evaluator.decodeAll(codes, count: n, scheme: scheme, rng: &rng,
                                                label: "FCE: generating, \(scheme)", unit: "sentences")
            let lm = try train(on: generated.filter { !$0.isEmpty }, label: label)
            let test = corpus.sentences(.test)
            let task = progress.start("FCE: scoring test, \(scheme)", total: test.count)
            var nll = 0.0
            var start = 0
            while start < test.count {
                let end = min(test.count, start + options.batchSize)
                nll -= lm.logLikelihood(Array(test[start..<end]), z: []).reduce(0, +)
                start = end
                task.update(end)
            }
            task.finish()
            let tokens = test.reduce(0) { $0 + $1.count + 1 }
            let stats = CorpusStatistics(generated, unknownID: Vocabulary.unk)
            return ForwardCrossEntropyResult(
                scheme: label, sentences: n, nll: test.isEmpty ? .nan : nll / Double(test.count),
                perplexity: tokens == 0 ? .nan : exp(nll / Double(tokens)),
                vocabularySize: stats.vocabularySize, unknownPercent: stats.unknownPercent,
                meanLength: stats.meanLength,
                selfBLEU: BLEU.selfBLEU(Array(generated.prefix(Self.selfBLEULimit)), maxOrder: 4))
        }
    }

    /// Trains the baseline language model on `sentences`.
    func train(on sentences: [[Int32]], label: String) throws -> SequenceVAE {
        var config = model.config
        config.languageModelOnly = true
        let seed = options.seed ^ FNV1a64.hash("fce-train/" + label)
        let lm = SequenceVAE(config: config, seed: seed)
        guard !sentences.isEmpty else { return lm }
        var rng = SplitMix64(seed: seed)
        var optimizer = Adam()
        let objective = ObjectiveConfig()
        let batcher = LengthBatcher(sentences: sentences, batchSize: options.batchSize)
        let epochs = options.forwardCrossEntropyEpochs
        let task = progress.start("FCE: training LM on \(label)", total: epochs * batcher.batchCount, unit: "steps")
        var step = 0
        for _ in 0..<epochs {
            for batch in batcher.epochBatches(sentences, using: &rng) {
                lm.zeroGradients()
                let stats = lm.trainStep(batch, objective: objective, step: step, rng: &rng)
                guard stats.loss.isFinite else {
                    throw EvaluationError.invalidOption("forward cross-entropy LM on \(label) diverged at step \(step)")
                }
                _ = clipGradientNorm(lm.parameters, maxNorm: Self.maxGradientNorm)
                optimizer.step(lm.parameters, learningRate: Self.learningRate)
                step += 1
                task.update(step)
            }
        }
        task.finish()
        return lm
    }
}
