import XCTest
import Corpus
import Model
import RunStore
@testable import Evaluation
@testable import Training

/// Trains a tiny run into a temporary store, evaluates it through the trainer's hook and through
/// `evaluateRun(named:)`, and checks that every record kind reached the store.
final class EvaluationEndToEndTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vaescope-eval-\(UUID().uuidString)")
        let corpus = directory.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        let subjects = ["the cat", "the dog", "a bird", "the cats", "the dogs"]
        let verbs = ["runs", "sleeps", "sings", "eats"]
        var train: [String] = []
        for (i, s) in subjects.enumerated() { for (j, v) in verbs.enumerated() where (i + j) % 5 != 0 { train.append("\(s) \(v)") } }
        try train.joined(separator: "\n").write(to: corpus.appendingPathComponent("train.txt"), atomically: true, encoding: .utf8)
        try "the cat sleeps\na bird runs\nthe dogs eats".write(to: corpus.appendingPathComponent("valid.txt"), atomically: true, encoding: .utf8)
        try "the dog sings\nthe cats runs\na bird eats\nthe zebra runs".write(to: corpus.appendingPathComponent("test.txt"), atomically: true, encoding: .utf8)
        try """
        phenomenon\tcategory\tcondition\tgrammatical\tungrammatical
        agreement\tsimple_agrmt\tsing\tthe cat runs\tthe cat run
        agreement\tsimple_agrmt\tplur\tthe cats sing\tthe cats sings
        reflexive\treflexives\tsing\tthe dog eats\tthe dog eat
        """.write(to: directory.appendingPathComponent("pairs.tsv"), atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func tinyConfig() -> TrainConfig {
        var c = TrainConfig()
        c.embeddingSize = 8
        c.encoderHiddenSize = 12
        c.decoderHiddenSize = 12
        c.latentSize = 3
        c.batchSize = 4
        c.epochs = 2
        c.annealSteps = 4
        c.logEvery = 2
        c.iwSamples = 4
        c.latentSamples = 2
        c.priorSamples = 4
        return c
    }

    func testTrainedRunLeavesEveryRecordKindInTheStore() throws {
        let db = directory.appendingPathComponent("runs.sqlite").path
        let corpus = directory.appendingPathComponent("corpus").path
        let hook = endOfTrainingEvaluation(progress: .silent) { options in
            options.interpolationPairs = 1
            options.schemes = [.greedy, .topK(3)]
        }
        let outcome = try Trainer.train(TrainRequest(name: "tiny", databasePath: db, corpusDirectory: corpus,
                                                     config: tinyConfig()), hooks: TrainHooks(evaluate: hook))
        XCTAssertTrue(outcome.evaluationSummary?.contains("IW-NLL (K=4)") ?? false, outcome.evaluationSummary ?? "no summary")

        // Evaluate again from the store alone, with the probe and the forward cross-entropy.
        var options = EvaluationOptions()
        options.importanceSamples = 6
        options.latentSamples = 3
        options.priorSamples = 4
        options.interpolationPairs = 2
        options.schemes = [.greedy, .nucleus(0.9)]
        options.probePath = directory.appendingPathComponent("pairs.tsv").path
        options.forwardCrossEntropy = .sentences(8)
        options.forwardCrossEntropyEpochs = 1
        let summary = try evaluateRun(named: "tiny", databasePath: db, options: options, progress: .silent)
        XCTAssertEqual(summary.sentences, 4)
        XCTAssertEqual(summary.tokens, 4 * 3 + 4)
        XCTAssertEqual(summary.importanceSamples, 6)
        XCTAssertTrue(summary.iwNLL.isFinite && summary.iwNLL > 0)
        XCTAssertLessThanOrEqual(summary.iwNLL, -summary.elbo + 0.5, "the IW bound is not much looser than the ELBO")
        XCTAssertNotNil(summary.mutualInformationMinibatch)
        XCTAssertNotNil(summary.mutualInformationMixture)
        XCTAssertEqual(summary.probe.map(\.category), ["simple_agrmt", "reflexives"])
        XCTAssertEqual(summary.forwardCrossEntropy.map(\.scheme), ["greedy", "nucleus-0.9"])
        XCTAssertEqual(summary.forwardCrossEntropy.map(\.corpora), [3, 3], "Prokhorov et al.'s three generated corpora")
        XCTAssertTrue(summary.forwardCrossEntropy.allSatisfy { $0.nllSD.isFinite && $0.nllSD >= 0 })
        // The first corpus is the one a single-corpus FCE uses; two corpora give their mean ± sd.
        options.forwardCrossEntropyCorpora = 1
        let one = try evaluateRun(named: "tiny", databasePath: db, options: options, progress: .silent).forwardCrossEntropy[0]
        options.forwardCrossEntropyCorpora = 2
        let two = try evaluateRun(named: "tiny", databasePath: db, options: options, progress: .silent).forwardCrossEntropy[0]
        XCTAssertEqual(one.nllSD, 0)
        XCTAssertEqual(abs(one.nll - two.nll), two.nllSD / 2.0.squareRoot(), accuracy: 1e-9, "two corpora: mean ± sd of the first and another")
        options.forwardCrossEntropyCorpora = 3
        _ = try evaluateRun(named: "tiny", databasePath: db, options: options, progress: .silent)

        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let run = try store.run(named: "tiny")
        let contents = try store.contents(of: run.id)
        XCTAssertEqual(contents.sentences["test"], 4)
        XCTAssertEqual(contents.latents["test"], LatentShape(count: 4, latentSize: 3, samples: 3, featureSize: 12))
        XCTAssertEqual(contents.decodedTexts["reconstruction-mean"], 4)
        XCTAssertEqual(contents.decodedTexts["reconstruction-sample"], 4)
        XCTAssertEqual(contents.decodedTexts["prior-sample"], 4 * 2, "N draws per scheme, replacing the hook's")
        XCTAssertEqual(contents.decodedTexts["interpolation"], 2 * 7 * 2, "pairs × 7 points × schemes")
        let sentences = try store.sentences(split: "test", of: run.id)
        XCTAssertEqual(sentences.last?.text, "the <unk> runs")

        let scalars = try store.scalars(of: run.id, split: "test").filter { $0.key.hasPrefix("eval.") }
        XCTAssertEqual(scalars.filter { $0.key == "eval.iwNLL" }.count, 1, "a second evaluation replaces the first")
        XCTAssertEqual(scalars.first { $0.key == "eval.iwSamples" }?.value, 6)
        for key in ["eval.mi.minibatch", "eval.mi.mixture", "eval.activeUnits", "eval.rate", "eval.distortion",
                    "eval.probe.reflexives.p1bar", "eval.fce.greedy.nll", "eval.fce.nucleus-0.9.vocabularySize"] {
            XCTAssertTrue(scalars.contains { $0.key == key }, "missing scalar \(key)")
        }
        let results = try store.results(of: run.id, split: "test")
        XCTAssertTrue(results.contains { $0.name == "iw-nll" && $0.parameters == "{\"K\":6,\"N\":4}" })
        XCTAssertTrue(results.contains { $0.name == "iw-nll" && $0.parameters == "{\"K\":4,\"N\":4}" }, "the hook's K = 4 row stays")
        XCTAssertTrue(results.contains { $0.name == "probe-p2bar" })
        XCTAssertTrue(results.contains { $0.name == "fce-mean-length" })

        XCTAssertEqual(Set(try store.decodedTexts(of: run.id, split: "test", kind: .priorSample).map(\.zIndex)), [0, 1, 2, 3])

        // Prior draws come from a fixed seed, whatever the evaluation seed: the same z, the same greedy texts.
        let model = try loadBest(store: store, run: run)
        let corpusValue = try Corpus.load(directory: corpus, options: TrainingSetup.corpusOptions(tinyConfig()))
        var quick = EvaluationOptions()
        quick.importanceSamples = 1
        quick.priorSamples = 4
        quick.schemes = [.greedy]
        let first = try Evaluator(model: model, corpus: corpusValue, options: quick).run(runName: "tiny", step: 0)
        quick.seed = 77
        let second = try Evaluator(model: model, corpus: corpusValue, options: quick).run(runName: "tiny", step: 0)
        XCTAssertEqual(first.priorCodes, second.priorCodes)
        XCTAssertEqual(first.decoded.filter { $0.kind == .priorSample }, second.decoded.filter { $0.kind == .priorSample })
        XCTAssertEqual(first.decoded.filter { $0.kind == .reconstructionMean },
                       second.decoded.filter { $0.kind == .reconstructionMean }, "greedy from μ is deterministic")
    }

    /// Prokhorov et al. 2019's gated CNN decoder through the whole pipeline: trained, checkpointed, reloaded, and
    /// evaluated with IW-NLL, every decoding scheme, the probe and the forward cross-entropy, as the RNN decoders.
    func testCNNDecoderRunIsEvaluatedLikeTheRecurrentOnes() throws {
        let db = directory.appendingPathComponent("cnn.sqlite").path
        let corpus = directory.appendingPathComponent("corpus").path
        var config = tinyConfig()
        config.decoderCell = .cnn
        config.convolutionWidth = 3
        _ = try Trainer.train(TrainRequest(name: "cnn", databasePath: db, corpusDirectory: corpus, config: config,
                                           evaluateAtEnd: false))
        var options = EvaluationOptions()
        options.importanceSamples = 6
        options.priorSamples = 3
        options.interpolationPairs = 1
        options.schemes = [.greedy, .topK(3), .nucleus(0.9)]
        options.probePath = directory.appendingPathComponent("pairs.tsv").path
        options.forwardCrossEntropy = .prokhorov   // 4 test sentences → one batch of 2,048
        options.forwardCrossEntropyCorpora = 1
        options.forwardCrossEntropyEpochs = 1
        let summary = try evaluateRun(named: "cnn", databasePath: db, options: options, progress: .silent)
        XCTAssertTrue(summary.iwNLL.isFinite && summary.iwNLL > 0)
        XCTAssertLessThanOrEqual(summary.iwNLL, -summary.elbo + 0.5, "the IW bound is not much looser than the ELBO")
        XCTAssertEqual(summary.probe.map(\.category), ["simple_agrmt", "reflexives"])
        XCTAssertEqual(summary.forwardCrossEntropy.map(\.scheme), ["greedy", "top-k-3", "nucleus-0.9"])
        XCTAssertEqual(summary.forwardCrossEntropy.map(\.sentences), [2_048, 2_048, 2_048], "Prokhorov et al.'s corpus size")
        XCTAssertTrue(summary.forwardCrossEntropy.allSatisfy { ($0.selfBLEU ?? -1) > 0 }, "self-BLEU over all 2,048")
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let run = try store.run(named: "cnn")
        let contents = try store.contents(of: run.id)
        XCTAssertEqual(contents.decodedTexts["reconstruction-mean"], 4)
        XCTAssertEqual(contents.decodedTexts["prior-sample"], 3 * 3)
        let model = try loadBest(store: store, run: run)
        XCTAssertEqual(model.config.decoderCell, .cnn)
        XCTAssertTrue(model.parameters.contains { $0.name == "decoder.block2.g2.W" && $0.shape == [3 * 3, 3] })
    }

    func loadBest(store: RunStore, run: Run) throws -> SequenceVAE {
        let (config, _) = try TrainingSetup.parseStoredConfig(run.config, run: run.name)
        let corpus = try Corpus.load(directory: directory.appendingPathComponent("corpus").path,
                                     options: TrainingSetup.corpusOptions(config))
        let model = SequenceVAE(config: config.vaeConfig(vocabularySize: corpus.vocabulary.count), seed: 1)
        guard let best = try store.checkpoint(tag: "best", of: run.id) else { throw EvaluationError.noCheckpoint(run: run.name, database: store.path) }
        try TrainingCheckpoint.loadWeights(best, into: model, run: run.name)
        return model
    }

    func testLanguageModelRunIsEvaluatedExactly() throws {
        let db = directory.appendingPathComponent("lm.sqlite").path
        var config = tinyConfig()
        config.languageModelOnly = true
        config.evaluateAtEnd = false
        _ = try Trainer.train(TrainRequest(name: "lm", databasePath: db,
                                           corpusDirectory: directory.appendingPathComponent("corpus").path, config: config))
        var options = EvaluationOptions()
        options.priorSamples = 3
        options.schemes = [.greedy]
        let summary = try evaluateRun(named: "lm", databasePath: db, options: options, progress: .silent)
        XCTAssertEqual(summary.importanceSamples, 0, "no latent: the likelihood is exact")
        XCTAssertEqual(summary.rate, 0)
        XCTAssertEqual(summary.iwNLL, summary.distortion, accuracy: 1e-9)
        XCTAssertNil(summary.mutualInformationMixture)
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let contents = try store.contents(of: try store.run(named: "lm").id)
        XCTAssertNil(contents.latents["test"])
        XCTAssertEqual(contents.decodedTexts["prior-sample"], 3)

        // --checkpoint picks the weights: "last" is the final step, "best" the best validation's step.
        let lm = try store.run(named: "lm")
        let lastStep = try XCTUnwrap(store.checkpoint(tag: "last", of: lm.id)?.step)
        let bestStep = try XCTUnwrap(store.checkpoint(tag: "best", of: lm.id)?.step)
        options.checkpoint = .last
        XCTAssertEqual(try evaluateRun(named: "lm", databasePath: db, options: options, progress: .silent).step, lastStep)
        options.checkpoint = .best
        XCTAssertEqual(try evaluateRun(named: "lm", databasePath: db, options: options, progress: .silent).step, bestStep)
    }

    func testUnknownRunAndMissingCorpusAreOneLineErrors() throws {
        let db = directory.appendingPathComponent("empty.sqlite").path
        XCTAssertThrowsError(try evaluateRun(named: "nope", databasePath: db, progress: .silent)) { error in
            XCTAssertEqual(error as? EvaluationError, .runNotFound(name: "nope", database: db))
        }
    }
}
