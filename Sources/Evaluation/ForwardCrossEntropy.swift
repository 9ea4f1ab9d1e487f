import Training
import Foundation
import Corpus
import Metrics
import Model
import Tensor

/// Forward cross-entropy (Prokhorov et al. 2019 Table 3; Zhao et al. 2018): how well do the model's samples cover
/// the data? For each decoding scheme, N sentences are decoded from z ~ N(0, I) (a fixed seed, the same for every
/// run), a language model (the run's architecture with `languageModelOnly`) is trained on them, and its NLL on the
/// test split is reported with the generated corpus's vocabulary size, %<unk>, mean length and self-BLEU-4. As in
/// Prokhorov et al.'s experiment_table_3.py, this is done for `options.forwardCrossEntropyCorpora` corpora (3) per
/// scheme, each from its own prior draws and with its own language model: the NLL is their mean ± sd, the corpus
/// statistics their means.
///
/// The loop is deliberately minimal: Adam (lr 1e-3), gradient norm clipped at 5, length-grouped batches of
/// `options.batchSize`, `options.forwardCrossEntropyEpochs` epochs, seeded from `options.seed`. Empty generated
/// sentences are kept in the statistics but not trained on. Self-BLEU-4 (Texygen's definition, `BLEU.selfBLEU`)
/// is over all N sentences of each generated corpus, the sample the FCE uses (with `--fce prokhorov`, the size of
/// Prokhorov et al.'s corpora), averaged over the corpora; its cost is linear in N.
public struct ForwardCrossEntropy {
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
        let copies = options.forwardCrossEntropyCorpora
        // Copy c draws its codes from the fixed generation seed + c: every run is scored on the same draws.
        let codes: [[Float]] = (0..<copies).map { c in
            var codeRng = SplitMix64(seed: EvaluationOptions.fixedGenerationSeed &+ UInt64(c))
            return size > 0 ? Gaussian.standardSamples(count: n, size: size, using: &codeRng) : []
        }
        let evaluator = Evaluator(model: model, corpus: corpus, options: options, progress: progress)
        let test = corpus.sentences(.test)
        let tokens = test.reduce(0) { $0 + $1.count + 1 }
        return try options.schemes.map { scheme in
            let label = EvaluationOptions.label(scheme)
            var nlls: [Double] = [], perplexities: [Double] = [], stats: [CorpusStatistics] = [], selfBLEUs: [Double] = []
            for c in 0..<copies {
                // Copy 0 keeps the single-corpus seeds, so one corpus gives what it always gave.
                let tag = c == 0 ? label : "\(label)/copy\(c + 1)"
                var rng = Evaluator.generator(options.seed, "fce-generate/" + tag)
                let generated = evaluator.decodeAll(codes[c], count: n, scheme: scheme, rng: &rng,
                                                    label: "FCE: generating, \(scheme)" + (copies > 1 ? ", corpus \(c + 1)/\(copies)" : ""),
                                                    unit: "sentences")
                let lm = try train(on: generated.filter { !$0.isEmpty }, label: tag)
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
                nlls.append(test.isEmpty ? .nan : nll / Double(test.count))
                perplexities.append(tokens == 0 ? .nan : exp(nll / Double(tokens)))
                stats.append(CorpusStatistics(generated, unknownID: Vocabulary.unk))
                if let b = BLEU.selfBLEU(generated, maxOrder: 4) { selfBLEUs.append(b) }
            }
            func mean(_ xs: [Double]) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }
            let m = mean(nlls)
            let sd = nlls.count > 1 ? (nlls.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(nlls.count - 1)).squareRoot() : 0
            var result = ForwardCrossEntropyResult(
                scheme: label, sentences: n, nll: m, perplexity: mean(perplexities),
                vocabularySize: Int(mean(stats.map { Double($0.vocabularySize) }).rounded()),
                unknownPercent: mean(stats.map(\.unknownPercent)), meanLength: mean(stats.map(\.meanLength)),
                selfBLEU: selfBLEUs.isEmpty ? nil : mean(selfBLEUs))
            result.nllSD = sd
            result.corpora = copies
            return result
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
