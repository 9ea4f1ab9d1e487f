import Corpus
import Foundation
import Model
import RunStore
import Tensor
import XCTest
@testable import Evaluation
@testable import Training

/// He et al. 2019's recipe (`--preset he2019`), aggressive inference-network training, the learning-rate decay
/// with early stopping, equal-length batching and the epoch-counted β schedule.
final class He2019Tests: XCTestCase {
    /// Every value of the preset, checked against the list in issue 13 (itself read from jxhe/vae-lagging-encoder).
    func testPresetMatchesHeEtAl2019PointByPoint() throws {
        let c = try TrainConfig.resolve(preset: "he2019")
        XCTAssertTrue(c.separateEmbeddings)
        XCTAssertEqual(c.initScale, 0.01)
        XCTAssertEqual(c.embeddingInitScale, 0.1)
        XCTAssertTrue(c.initBiases)
        XCTAssertTrue(c.latentInitializesDecoder)
        XCTAssertEqual(c.latentInitialState, .cellTanh)
        XCTAssertTrue(c.latentAtEveryStep)
        XCTAssertFalse(c.latentHeadBias)
        XCTAssertFalse(c.outputBias)
        XCTAssertTrue(c.encoderReadsBoundaries)
        XCTAssertEqual(c.optimizer, .sgd)
        XCTAssertEqual(c.learningRate, 1.0)
        XCTAssertEqual(c.momentum, 0)
        XCTAssertEqual(c.gradientClip, 5)
        XCTAssertEqual(c.decoderInputDropout, 0.5)
        XCTAssertEqual(c.decoderOutputDropout, 0.5)
        XCTAssertEqual(c.objective, .elbo)
        XCTAssertEqual(c.betaSchedule, .linear)
        XCTAssertEqual(c.beta0, 0.1)
        XCTAssertEqual(c.annealEpochs, 10)
        XCTAssertEqual(c.lrDecayPatience, 2)
        XCTAssertEqual(c.lrDecayFactor, 0.5)
        XCTAssertEqual(c.lrDecayMinEpoch, 15)
        XCTAssertEqual(c.maxLRDecays, 5)
        XCTAssertEqual(c.epochs, 100)
        XCTAssertEqual(c.batchSize, 32)
        XCTAssertEqual(c.batching, .equalLength)
        XCTAssertEqual(c.validateEvery, 0)
        XCTAssertEqual(c.validationSentences, 0)
        XCTAssertEqual(c.iwSamples, 500)
        // Nothing else differs from the defaults: a value added to the preset must be added above too.
        var expected = TrainConfig()
        expected.separateEmbeddings = true
        expected.initScale = 0.01
        expected.embeddingInitScale = 0.1
        expected.initBiases = true
        expected.latentInitializesDecoder = true
        expected.latentInitialState = .cellTanh
        expected.latentHeadBias = false
        expected.outputBias = false
        expected.optimizer = .sgd
        expected.learningRate = 1
        expected.decoderInputDropout = 0.5
        expected.decoderOutputDropout = 0.5
        expected.annealEpochs = 10
        expected.lrDecayPatience = 2
        expected.lrDecayMinEpoch = 15
        expected.maxLRDecays = 5
        expected.epochs = 100
        expected.batching = .equalLength
        XCTAssertEqual(c, expected)
    }

    func testPresetComesBeforeConfigAndSet() throws {
        let c = try TrainConfig.resolve(preset: "he2019", overrides: ["learningRate=0.5", "pooling=max"])
        XCTAssertEqual(c.learningRate, 0.5)
        XCTAssertEqual(c.pooling, .max)
        XCTAssertEqual(c.optimizer, .sgd)
        XCTAssertThrowsError(try TrainConfig.resolve(preset: "he2020")) { error in
            XCTAssertEqual(error.localizedDescription, "unknown preset 'he2020' (presets: he2019)")
        }
    }

    /// The model the preset builds has exactly He et al.'s parameters: two embedding tables, no head or output
    /// bias, c₀ = W z without bias; every parameter drawn (no zero bias), embeddings within ±0.1, the rest ±0.01.
    func testPresetModelParametersAndInitialisation() throws {
        var c = try TrainConfig.resolve(preset: "he2019")
        c.embeddingSize = 8
        c.encoderHiddenSize = 6
        c.decoderHiddenSize = 6
        c.latentSize = 3
        let model = SequenceVAE(config: c.vaeConfig(vocabularySize: 20), seed: 1)
        XCTAssertEqual(model.parameters.map(\.name), [
            "embedding", "encoder.W_ih", "encoder.W_hh", "encoder.b_ih", "mu.W", "logVariance.W", "decoder.embedding",
            "decoder.W_ih", "decoder.W_hh", "decoder.b_ih", "decoder.W_iz", "decoder.W_zc", "output.W",
        ])
        for p in model.parameters {
            let bound: Float = p.name.hasSuffix("embedding") ? 0.1 : 0.01
            let values = p.value
            XCTAssertLessThanOrEqual(values.map(abs).max() ?? 1, bound, p.name)
            XCTAssertGreaterThan(values.map(abs).max() ?? 0, bound / 2, "\(p.name) is not drawn from ±\(bound)")
        }
        XCTAssertEqual(Set(model.encoderParameters.map(\.name)),
                       ["embedding", "encoder.W_ih", "encoder.W_hh", "encoder.b_ih", "mu.W", "logVariance.W"])
        XCTAssertEqual(Set(model.decoderParameters.map(\.name)),
                       ["decoder.embedding", "decoder.W_ih", "decoder.W_hh", "decoder.b_ih", "decoder.W_iz", "decoder.W_zc",
                        "output.W"])
    }

    func testAnnealEpochsAreCountedAsTheirCodeCountsThem() {
        var c = TinyCorpus.config()
        c.annealEpochs = 2.5
        c.batchSize = 8
        // 2.5 epochs × 48 sentences / 8 = 15 steps, whatever the number of (equal-length) batches.
        XCTAssertEqual(TrainingLoop.objective(c, trainingSentences: 48).annealSteps, 15)
        c.annealEpochs = 0
        XCTAssertEqual(TrainingLoop.objective(c, trainingSentences: 48).annealSteps, c.annealSteps)
    }

    func testEqualLengthBatchesAreMadeOnceAndShuffledInOrder() {
        let lengths = [3, 5, 3, 3, 7, 5, 3, 3, 3, 5]
        let batcher = LengthBatcher(lengths: lengths, batchSize: 2, equalLength: true)
        // Length 3: 6 sentences → 3 batches; length 5: 3 → 2; length 7: 1 → 1.
        XCTAssertEqual(batcher.batchCount, 6)
        var rng = SplitMix64(seed: 3)
        let a = batcher.epoch(using: &rng), b = batcher.epoch(using: &rng)
        for epoch in [a, b] {
            XCTAssertEqual(epoch.flatMap { $0 }.sorted(), Array(lengths.indices))
            for batch in epoch { XCTAssertEqual(Set(batch.map { lengths[$0] }).count, 1, "\(batch) mixes lengths") }
        }
        XCTAssertEqual(Set(a.map { $0 }), Set(b.map { $0 }), "the same batches every epoch")
        XCTAssertNotEqual(a, b, "in another order")
    }

    /// Encoder-only inner steps leave the decoder untouched and change the encoder; their count follows the rule:
    /// a multiple of 15 (the loss per word rose over the last 15) or the cap of 99.
    func testAggressiveInnerStepsUpdateOnlyTheEncoderAndStopByTheRule() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 1)
        c.optimizer = .sgd
        c.learningRate = 0.5
        c.aggressive = true
        c.separateEmbeddings = true   // a shared table belongs to both sides and moves with the encoder
        let store = try RunStore(path: db)
        defer { try? store.close() }
        let setup = try TrainingSetup.start(TrainRequest(name: "a", databasePath: db, corpusDirectory: corpus, config: c),
                                            config: c, store: store)
        var loop = TrainingLoop(setup: setup, store: store, hooks: .init())
        let decoderBefore = setup.model.decoderParameters.map(\.value)
        let encoderBefore = setup.model.encoderParameters.map(\.value)
        var rng = SplitMix64(seed: 0)
        let batches = loop.batcher.epoch(using: &rng)
        let taken = try loop.aggressiveInnerSteps(first: batches[0].map { setup.corpus.train[$0] }, epochBatches: batches)
        XCTAssertTrue(taken == TrainingLoop.maxInnerSteps || taken % TrainingLoop.checkEvery == 0, "\(taken) steps")
        XCTAssertGreaterThan(taken, 0)
        XCTAssertTrue(setup.model.decoderParameters.map(\.value) == decoderBefore, "an inner step moved the decoder")
        XCTAssertFalse(setup.model.encoderParameters.map(\.value) == encoderBefore, "the encoder did not move")
    }

    /// Every scalar but the wall-clock ones, comparable across runs.
    static func curve(_ db: String, _ name: String) throws -> [String] {
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let run = try store.run(named: name)
        return try store.scalars(of: run.id).filter { $0.key != "tokens_per_s" && $0.key != "train_seconds" }
            .map { "\($0.split) \($0.step) \($0.key) \($0.value.bitPattern)" }.sorted()
    }

    func aggressiveConfig() -> TrainConfig {
        var c = TinyCorpus.config(epochs: 6)
        c.optimizer = .sgd
        c.learningRate = 0.5
        c.aggressive = true
        c.logEvery = 1
        return c
    }

    /// A whole run: inner steps are logged at every step while the phase lasts, each a multiple of 15 or 99 and
    /// some below the cap (the rule, not the cap, stopped them); the phase ends at an epoch end (MI did not
    /// rise), after which no inner step is taken.
    func testAggressivePhaseEndsWhenValidationMIStopsRising() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        _ = try Trainer.train(TrainRequest(name: "agg", databasePath: db, corpusDirectory: corpus, config: aggressiveConfig()))
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let run = try store.run(named: "agg")
        let ended = try XCTUnwrap(store.scalars(of: run.id, key: "aggressive_ended_at", split: "train").first)
        XCTAssertEqual(ended.step % 6, 0, "the phase ends at an epoch end")
        let inner = try store.scalars(of: run.id, key: "inner_steps", split: "train")
        XCTAssertEqual(inner.count, 36)
        let during = inner.filter { $0.step <= ended.step }, after = inner.filter { $0.step > ended.step }
        XCTAssertFalse(during.isEmpty)
        for p in during {
            let n = Int(p.value)
            XCTAssertTrue(n == 99 || (n > 0 && n % 15 == 0), "step \(p.step): \(n) inner steps")
        }
        XCTAssertTrue(during.contains { $0.value < 99 }, "the loss rule never stopped an inner loop")
        XCTAssertTrue(after.allSatisfy { $0.value == 0 })
        let updates = try XCTUnwrap(store.scalars(of: run.id, key: "updates", split: "train").last)
        XCTAssertEqual(Int(updates.value), 36 + during.reduce(0) { $0 + Int($1.value) })
    }

    /// Interrupted inside the aggressive phase (step 4, mid-epoch) and resumed: the same curves and weights as
    /// an uninterrupted run.
    func testResumeInTheAggressivePhaseEqualsUninterruptedRun() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        let c = aggressiveConfig()
        _ = try Trainer.train(TrainRequest(name: "whole", databasePath: db, corpusDirectory: corpus, config: c))
        let first = try Trainer.train(TrainRequest(name: "cut", databasePath: db, corpusDirectory: corpus, config: c),
                                      hooks: TrainHooks(shouldStop: { $0 == 4 }))
        XCTAssertEqual(first.status, .interrupted)
        _ = try Trainer.train(TrainRequest.resume(name: "cut", databasePath: db))
        XCTAssertEqual(try Self.curve(db, "cut"), try Self.curve(db, "whole"))
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let w1 = try XCTUnwrap(store.checkpoint(tag: "last", of: store.run(named: "whole").id))
        let w2 = try XCTUnwrap(store.checkpoint(tag: "last", of: store.run(named: "cut").id))
        XCTAssertEqual(w1.weights, w2.weights)
    }

    func testAggressiveNeedsSGD() {
        var c = TinyCorpus.config()
        c.aggressive = true
        XCTAssertThrowsError(try c.validate()) { error in
            XCTAssertTrue(error.localizedDescription.contains("optimizer=sgd"), error.localizedDescription)
        }
    }

    /// He et al.'s plateau rule on a given sequence of validation losses: decays after 2 epochs above the
    /// reference, not before epoch 3 here, with the best weights reloaded and the rate halved; early stop after 2.
    func testLearningRateDecayOnPlateauReloadsBestAndStopsEarly() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 1)
        c.optimizer = .sgd
        c.learningRate = 0.8
        c.lrDecayPatience = 2
        c.lrDecayMinEpoch = 3
        c.maxLRDecays = 2
        let store = try RunStore(path: db)
        defer { try? store.close() }
        let setup = try TrainingSetup.start(TrainRequest(name: "d", databasePath: db, corpusDirectory: corpus, config: c),
                                            config: c, store: store)
        var loop = TrainingLoop(setup: setup, store: store, hooks: .init())
        try loop.validateAndCheckpoint()   // saves "best" = the initial weights
        let best = setup.model.weights()
        let w = setup.model.parameters[1]
        w.value = w.value.map { $0 + 1 }   // training moved the weights away from the best
        var decayedAt: [Int] = []
        for (epoch, loss) in [10.0, 10.5, 11, 11.5, 11.6, 11.7].enumerated() {
            let before = loop.setup.state.lrDecays
            _ = try loop.decayOnPlateau(loss: loss, epoch: epoch)
            if loop.setup.state.lrDecays > before { decayedAt.append(epoch) }
            if epoch == 2 { XCTAssertFalse(setup.model.weights() == best) }
            if epoch == 3 { XCTAssertTrue(setup.model.weights() == best, "the best checkpoint is reloaded at a decay") }
        }
        // Epochs 1, 2 are above the reference 10 but epoch 2 is before the minimum; epoch 3 decays (reference
        // 11.5); 4 and 5 are above it → decay at 5, the second, which stops training.
        XCTAssertEqual(decayedAt, [3, 5])
        XCTAssertEqual(loop.learningRate, 0.2, accuracy: 1e-12)
        XCTAssertTrue(loop.setup.state.stoppedEarly)
    }

    /// A whole run with early stopping: it completes before its epoch budget once the decays are used up.
    func testEarlyStoppingEndsTheRunCompleted() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 40)
        c.optimizer = .sgd
        c.learningRate = 3   // large enough that validation stops improving within a few epochs
        c.lrDecayPatience = 1
        c.maxLRDecays = 1
        let outcome = try Trainer.train(TrainRequest(name: "early", databasePath: db, corpusDirectory: corpus, config: c))
        XCTAssertEqual(outcome.status, .completed)
        XCTAssertLessThan(outcome.epoch, 40)
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let run = try store.run(named: "early")
        XCTAssertEqual(try store.scalars(of: run.id, key: "lr_decay", split: "train").map(\.value), [1])
        // The decay comes at an epoch end and the run stops there: every logged step used the initial rate.
        XCTAssertEqual(Set(try store.scalars(of: run.id, key: "lr", split: "train").map(\.value)), [3])
    }

    /// Checkpoints written before the decay and aggressive fields existed still resume.
    func testOldTrainStateDecodes() throws {
        var state = TrainState(seed: 4)
        state.step = 7
        let encoder = JSONEncoder()
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: encoder.encode(state)) as? [String: Any])
        for key in ["learningRate", "lrDecays", "epochsNotImproved", "plateauLoss", "stoppedEarly", "aggressive",
                    "previousMI", "aggressiveEndedStep", "innerSteps", "windowInnerSteps", "trainingSeconds"] {
            object[key] = nil
        }
        let old = try JSONSerialization.data(withJSONObject: object)
        let decoded = try JSONDecoder().decode(TrainState.self, from: old)
        XCTAssertEqual(decoded.step, 7)
        XCTAssertEqual(decoded.lrDecays, 0)
        XCTAssertNil(decoded.aggressive)
    }
}
