import Corpus
import Foundation
import Model
import RunStore
import XCTest
@testable import Evaluation
@testable import Training

final class TrainerTests: XCTestCase {
    /// Train scalars without the wall-clock ones, and every valid scalar, as comparable tuples.
    func curve(_ db: String, _ name: String) throws -> [String] {
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let run = try store.run(named: name)
        return try store.scalars(of: run.id).filter { $0.key != "tokens_per_s" && $0.key != "train_seconds" }
            .map { "\($0.split) \($0.step) \($0.epoch ?? -1) \($0.key) \($0.value.bitPattern)" }.sorted()
    }

    func runRecord(_ db: String, _ name: String) throws -> Run {
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        return try store.run(named: name)
    }

    func testRunCompletesAndLogsEverything() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        let outcome = try Trainer.train(TrainRequest(name: "r", databasePath: db, corpusDirectory: corpus,
                                                     config: TinyCorpus.config()))
        XCTAssertEqual(outcome.status, .completed)
        XCTAssertEqual(outcome.step, 18)   // 48 sentences / 8 × 3 epochs
        let store = try RunStore(path: db, mode: .readOnly)
        let run = try store.run(named: "r")
        XCTAssertEqual(run.status, .completed)
        XCTAssertNotNil(run.finishedAt)
        XCTAssertEqual(try TrainConfig.fromJSON(run.config), TinyCorpus.config())
        let keys = Set(try store.scalarKeys(of: run.id).map { "\($0.split)/\($0.key)" })
        for k in ["loss", "reconstruction", "kl", "beta", "lr", "grad_norm", "tokens_per_s"] {
            XCTAssertTrue(keys.contains("train/\(k)"), k)
        }
        for k in ["reconstruction", "kl", "elbo", "ppl_bound", "active_units", "mi", "mean_pairwise_cosine"] {
            XCTAssertTrue(keys.contains("valid/\(k)"), k)
        }
        XCTAssertEqual(try store.scalars(of: run.id, key: "elbo", split: "valid").map(\.step), [6, 12, 18])
        XCTAssertEqual(try store.scalars(of: run.id, key: "loss", split: "train").map(\.step), Array(stride(from: 2, through: 18, by: 2)))
        XCTAssertNotNil(try store.checkpoint(tag: "best", of: run.id))
        XCTAssertEqual(try store.checkpoint(tag: "last", of: run.id)?.step, 18)
        // The bound is consistent with the logged ELBO: log ppl_bound · tokens = −ELBO · sentences.
        let elbo = try XCTUnwrap(store.scalars(of: run.id, key: "elbo", split: "valid").last?.value)
        let ppl = try XCTUnwrap(store.scalars(of: run.id, key: "ppl_bound", split: "valid").last?.value)
        XCTAssertGreaterThan(ppl, 1)
        XCTAssertLessThan(elbo, 0)
        try store.close()
    }

    func testValidateEveryAndValidationSentences() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 2)
        c.validateEvery = 4
        c.validationSentences = 5
        _ = try Trainer.train(TrainRequest(name: "v", databasePath: db, corpusDirectory: corpus, config: c))
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let run = try store.run(named: "v")
        // Every 4 steps and at the epoch ends (6, 12), each step once.
        XCTAssertEqual(try store.scalars(of: run.id, key: "elbo", split: "valid").map(\.step), [4, 6, 8, 12])
        XCTAssertEqual(try store.checkpoint(tag: "last", of: run.id)?.step, 12)
    }

    func testSchedulesAreLoggedAtTheirSteps() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 2)
        c.logEvery = 1
        c.annealSteps = 7
        c.beta0 = 0.2
        _ = try Trainer.train(TrainRequest(name: "elbo", databasePath: db, corpusDirectory: corpus, config: c))
        c.objective = .klTarget
        c.klTarget = 2
        c.klTargetWarmupSteps = 5
        _ = try Trainer.train(TrainRequest(name: "target", databasePath: db, corpusDirectory: corpus, config: c))
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let elbo = try store.run(named: "elbo"), target = try store.run(named: "target")
        let betas = try store.scalars(of: elbo.id, key: "beta", split: "train")
        XCTAssertEqual(betas.count, 12)
        for p in betas {   // the row at step s holds the β used by update s (schedule index s − 1)
            XCTAssertEqual(p.value, beta(at: p.step - 1, objective: c.objectiveConfig), accuracy: 1e-12, "step \(p.step)")
        }
        XCTAssertEqual(betas.first?.value ?? 0, 0.2, accuracy: 1e-12)
        XCTAssertEqual(betas.last?.value ?? 0, 1, accuracy: 1e-12)
        XCTAssertTrue(try store.scalars(of: elbo.id, key: "C", split: "train").isEmpty)
        let cs = try store.scalars(of: target.id, key: "C", split: "train")
        XCTAssertEqual(cs.count, 12)
        for p in cs {
            XCTAssertEqual(p.value, klTarget(at: p.step - 1, objective: c.objectiveConfig), accuracy: 1e-12)
        }
        XCTAssertEqual(cs.last?.value ?? 0, 2, accuracy: 1e-12)
        let kls = try store.scalars(of: target.id, key: "kl", split: "train")
        let gaps = try store.scalars(of: target.id, key: "kl_target_gap", split: "train")
        for (k, (g, cv)) in zip(kls, zip(gaps, cs)) { XCTAssertEqual(g.value, abs(k.value - cv.value), accuracy: 1e-9) }
    }

    func testSameSeedGivesSameRunAndOtherSeedDiffers() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 2)
        c.wordDropout = 0.2
        for name in ["a", "b"] {
            _ = try Trainer.train(TrainRequest(name: name, databasePath: db, corpusDirectory: corpus, config: c))
        }
        c.seed = 1
        _ = try Trainer.train(TrainRequest(name: "c", databasePath: db, corpusDirectory: corpus, config: c))
        let a = try curve(db, "a")
        XCTAssertFalse(a.isEmpty)
        XCTAssertEqual(a, try curve(db, "b"))
        XCTAssertNotEqual(a, try curve(db, "c"))
    }

    /// Stop mid-epoch (step 5) and exactly at an epoch boundary (step 12), resume each time: the curves and
    /// the final weights equal those of an uninterrupted run.
    func testResumeAfterInterruptionEqualsUninterruptedRun() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 3)
        c.logEvery = 3   // windows straddle the interruptions
        c.wordDropout = 0.1
        _ = try Trainer.train(TrainRequest(name: "whole", databasePath: db, corpusDirectory: corpus, config: c))

        let first = try Trainer.train(TrainRequest(name: "cut", databasePath: db, corpusDirectory: corpus, config: c),
                                      hooks: TrainHooks(shouldStop: { $0 == 5 }))
        XCTAssertEqual(first.status, .interrupted)
        XCTAssertEqual(try runRecord(db, "cut").status, .interrupted)
        let second = try Trainer.train(TrainRequest.resume(name: "cut", databasePath: db),
                                       hooks: TrainHooks(shouldStop: { $0 == 12 }))
        XCTAssertEqual(second.step, 12)
        let third = try Trainer.train(TrainRequest.resume(name: "cut", databasePath: db))
        XCTAssertEqual(third.status, .completed)
        XCTAssertEqual(try curve(db, "cut"), try curve(db, "whole"))

        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let w1 = try XCTUnwrap(store.checkpoint(tag: "last", of: store.run(named: "whole").id))
        let w2 = try XCTUnwrap(store.checkpoint(tag: "last", of: store.run(named: "cut").id))
        XCTAssertEqual(w1.weights, w2.weights)
        XCTAssertEqual(w1.optimizerState, w2.optimizerState)
    }

    func testResumeRejectsCompletedRunsAndArchitectureChanges() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        _ = try Trainer.train(TrainRequest(name: "r", databasePath: db, corpusDirectory: corpus,
                                           config: TinyCorpus.config(epochs: 1)), hooks: TrainHooks(shouldStop: { $0 == 2 }))
        XCTAssertThrowsError(try Trainer.train(TrainRequest.resume(name: "r", databasePath: db,
                                                            overrides: ["latentSize=8"]))) { error in
            XCTAssertEqual(error as? TrainingError, .notResumable(key: "latentSize"))
        }
        XCTAssertThrowsError(try Trainer.train(TrainRequest.resume(name: "nope", databasePath: db))) { error in
            XCTAssertEqual(error as? TrainingError, .runNotFound(name: "nope", database: db))
        }
        let done = try Trainer.train(TrainRequest.resume(name: "r", databasePath: db, overrides: ["epochs=2"]))
        XCTAssertEqual(done.status, .completed)
        XCTAssertEqual(done.step, 12)
        XCTAssertThrowsError(try Trainer.train(TrainRequest.resume(name: "r", databasePath: db))) { error in
            XCTAssertEqual(error as? TrainingError, .cannotResume(name: "r", status: "completed"))
        }
    }

    func testDuplicateNameIsAClearError() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        let request = TrainRequest(name: "dup", databasePath: db, corpusDirectory: corpus, config: TinyCorpus.config(epochs: 1))
        _ = try Trainer.train(request)
        XCTAssertThrowsError(try Trainer.train(request)) { error in
            XCTAssertEqual(error as? TrainingError, .runExists(name: "dup", database: db))
            XCTAssertTrue(error.localizedDescription.contains("already exists"))
        }
    }

    func testNonFiniteLossMarksDivergedAndKeepsEarlierRows() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        let hooks = TrainHooks(inspectStep: { step, stats in if step == 9 { stats.loss = .nan } })
        XCTAssertThrowsError(try Trainer.train(TrainRequest(name: "nan", databasePath: db, corpusDirectory: corpus,
                                                            config: TinyCorpus.config()), hooks: hooks)) { error in
            XCTAssertEqual(error as? TrainingError, .diverged(run: "nan", step: 9, quantity: "loss"))
            XCTAssertFalse(error.localizedDescription.contains("\n"))
        }
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let run = try store.run(named: "nan")
        XCTAssertEqual(run.status, .diverged)
        XCTAssertNotNil(run.finishedAt)
        // Rows at 2, 4, 6, 8 plus the partial window (step 9); the epoch-1 validation at step 6 is kept.
        XCTAssertEqual(try store.scalars(of: run.id, key: "loss", split: "train").map(\.step), [2, 4, 6, 8, 9])
        XCTAssertEqual(try store.scalars(of: run.id, key: "elbo", split: "valid").map(\.step), [6])
    }

    func testHugeLearningRateDivergesCleanly() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 20)
        c.optimizer = .sgd
        c.learningRate = 1e30
        c.gradientClip = 1e30
        do {
            _ = try Trainer.train(TrainRequest(name: "boom", databasePath: db, corpusDirectory: corpus, config: c))
            XCTFail("a learning rate of 1e30 should diverge")
        } catch let error as TrainingError {
            guard case .diverged = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try runRecord(db, "boom").status, .diverged)
    }

    func testMissingSplitAndLongLineAreClearErrors() throws {
        let corpus = try TinyCorpus.write(lines: ["a b c", String(repeating: "w ", count: 30)])
        var c = TinyCorpus.config(epochs: 1)
        c.maxLength = 10
        XCTAssertThrowsError(try Trainer.train(TrainRequest(name: "long", databasePath: TinyCorpus.database(),
                                                            corpusDirectory: corpus, config: c))) { error in
            XCTAssertTrue(error.localizedDescription.contains("train.txt"), error.localizedDescription)
        }
        XCTAssertThrowsError(try Trainer.train(TrainRequest(name: "none", databasePath: TinyCorpus.database(),
                                                            corpusDirectory: "/nonexistent/corpus", config: c)))
    }

    /// `--no-eval` takes one route for new and resumed runs: the request says it, the stored configuration records it.
    func testNoEvalIsOneRouteForNewAndResumedRuns() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 2)
        c.evaluateAtEnd = true
        var evaluated = 0
        let hook: EndOfTrainingEvaluation = { _ in evaluated += 1; return "evaluated" }
        _ = try Trainer.train(TrainRequest(name: "n", databasePath: db, corpusDirectory: corpus, config: c, evaluateAtEnd: false),
                              hooks: TrainHooks(evaluate: hook))
        XCTAssertEqual(evaluated, 0)
        XCTAssertFalse(try TrainConfig.fromJSON(try runRecord(db, "n").config).evaluateAtEnd, "recorded in the run")
        _ = try Trainer.train(TrainRequest(name: "r", databasePath: db, corpusDirectory: corpus, config: c),
                              hooks: TrainHooks(shouldStop: { $0 == 3 }, evaluate: hook))
        _ = try Trainer.train(TrainRequest.resume(name: "r", databasePath: db, evaluateAtEnd: false), hooks: TrainHooks(evaluate: hook))
        XCTAssertEqual(evaluated, 0, "resumed with --no-eval: not evaluated either")
        XCTAssertFalse(try TrainConfig.fromJSON(try runRecord(db, "r").config).evaluateAtEnd)
    }

    func testEvaluationHookRunsOnBestCheckpoint() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 2)
        c.evaluateAtEnd = true
        var seen: (String, Int)?
        let hooks = TrainHooks(evaluate: { context in
            seen = (context.run.name, context.step)
            XCTAssertEqual(context.store.mode, .readWrite, "the trainer hands over its own open store")
            return "evaluated"
        })
        let outcome = try Trainer.train(TrainRequest(name: "e", databasePath: db, corpusDirectory: corpus, config: c),
                                        hooks: hooks)
        XCTAssertEqual(outcome.evaluationSummary, "evaluated")
        XCTAssertEqual(seen?.0, "e")
        XCTAssertEqual(seen?.1, (outcome.bestEpoch.map { ($0 + 1) * 6 }))
    }

    func testKLTargetBestCheckpointComesAfterCIsReached() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 3)
        c.objective = .klTarget
        c.betaSchedule = .constant
        c.klTarget = 2
        c.klTargetWarmupSteps = 10
        c.validateEvery = 2
        _ = try Trainer.train(TrainRequest(name: "k", databasePath: db, corpusDirectory: corpus, config: c))
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let run = try store.run(named: "k")
        // Validations at 2, 4, …, 18; those before step 10 (C still rising) never become "best".
        let best = try XCTUnwrap(store.checkpoint(tag: "best", of: run.id))
        XCTAssertGreaterThanOrEqual(best.step, 10)
        // A run that ends before C is reached has no best; evaluation then takes the last weights.
        c.klTargetWarmupSteps = 1_000
        _ = try Trainer.train(TrainRequest(name: "k2", databasePath: db, corpusDirectory: corpus, config: c))
        let run2 = try store.run(named: "k2")
        XCTAssertNil(try store.checkpoint(tag: "best", of: run2.id))
        XCTAssertEqual(try store.checkpoint(tag: "last", of: run2.id)?.step, 18)
    }
}
