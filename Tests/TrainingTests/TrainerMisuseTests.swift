import Foundation
import GRDB
import RunStore
import XCTest
@testable import Evaluation
@testable import Training

/// Issue 20, the trainer's side: one writer per run, runs killed before their first checkpoint, absurd sizes.
final class TrainerMisuseTests: XCTestCase {
    /// `train --resume r` while another process trains r used to run both and duplicate rows. Here the other
    /// process is simulated by a lease of a live pid (1) on this host.
    func testResumeOfARunAnotherProcessTrainsIsRefused() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        _ = try Trainer.train(TrainRequest(name: "r", databasePath: db, corpusDirectory: corpus, config: TinyCorpus.config()),
                              hooks: TrainHooks(shouldStop: { $0 == 3 }))
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO run_leases SELECT id, ?, 1, ?, ? FROM runs WHERE name = 'r'",
                           arguments: [RunLease.currentHost, Date(), Date()])
        }
        try queue.close()
        let before = try He2019Tests.curve(db, "r")
        XCTAssertThrowsError(try Trainer.train(TrainRequest.resume(name: "r", databasePath: db))) { error in
            XCTAssertTrue(error.localizedDescription.contains("pid 1"), error.localizedDescription)
        }
        XCTAssertEqual(try He2019Tests.curve(db, "r"), before, "a refused resume wrote rows")
        let forced = TrainRequest.resume(name: "r", databasePath: db, force: true)
        XCTAssertEqual(try Trainer.train(forced).status, .completed)
        // The finished run released its lease.
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        XCTAssertNil(try store.lease(of: store.run(named: "r").id))
    }

    /// A run killed before its first checkpoint could be neither resumed nor restarted; now --resume starts it
    /// again from step 0 and the result equals an uninterrupted run.
    func testRunWithoutCheckpointResumesFromStepZero() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        let c = TinyCorpus.config(epochs: 2)
        _ = try Trainer.train(TrainRequest(name: "whole", databasePath: db, corpusDirectory: corpus, config: c))
        _ = try Trainer.train(TrainRequest(name: "killed", databasePath: db, corpusDirectory: corpus, config: c),
                              hooks: TrainHooks(shouldStop: { $0 == 4 }))
        // What a SIGKILL at step 4 leaves: rows logged so far, status running, no checkpoint.
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            try db.execute(sql: "DELETE FROM checkpoints WHERE run_id = (SELECT id FROM runs WHERE name = 'killed')")
            try db.execute(sql: "UPDATE runs SET status = 'running' WHERE name = 'killed'")
        }
        try queue.close()
        let outcome = try Trainer.train(TrainRequest.resume(name: "killed", databasePath: db))
        XCTAssertEqual(outcome.status, .completed)
        XCTAssertEqual(try He2019Tests.curve(db, "killed"), try He2019Tests.curve(db, "whole"))
    }

    /// `--set embeddingSize=100000000` used to fail to allocate terabytes and leave the run running forever.
    func testAbsurdSizesAreRefusedBeforeAnythingIsAllocatedOrStored() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        for overrides in [["embeddingSize=100000000"], ["encoderHiddenSize=200000", "decoderHiddenSize=200000"],
                          ["latentSize=2000000"]] {
            XCTAssertThrowsError(try TrainConfig.resolve(overrides: overrides)) { error in
                XCTAssertFalse(error.localizedDescription.contains("\n"))
            }
            var c = TinyCorpus.config()
            try c.apply(overrides: overrides)
            XCTAssertThrowsError(try Trainer.train(TrainRequest(name: "huge", databasePath: db, corpusDirectory: corpus, config: c)))
        }
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        XCTAssertEqual(try store.runs().count, 0)
    }

    /// Issue 15: every evaluated value says which checkpoint it comes from (its step is the scalars' step).
    func testEvaluationRecordsItsCheckpoint() throws {
        let corpus = try TinyCorpus.write(), db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 2)
        c.evaluateAtEnd = true
        c.iwSamples = 2
        c.latentSamples = 1
        c.priorSamples = 2
        let outcome = try Trainer.train(TrainRequest(name: "e", databasePath: db, corpusDirectory: corpus, config: c),
                                        hooks: TrainHooks(evaluate: endOfTrainingEvaluation(progress: .silent)))
        let store = try RunStore(path: db, mode: .readOnly)
        defer { try? store.close() }
        let run = try store.run(named: "e")
        let flag = try XCTUnwrap(store.scalars(of: run.id, key: "eval.checkpointIsLast", split: "test").last)
        XCTAssertEqual(flag.value, 0, "the best checkpoint")
        let best = try XCTUnwrap(store.checkpoint(tag: "best", of: run.id))
        XCTAssertEqual(flag.step, best.step)
        XCTAssertEqual(try store.scalars(of: run.id, key: "eval.iwNLL", split: "test").last?.step, best.step)
        _ = outcome
    }
}
