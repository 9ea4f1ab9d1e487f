import Corpus
import Foundation
import Model
import RunStore
import Tensor

/// The training loop: length-grouped batches → `SequenceVAE.trainStep` → clip → optimiser step; training
/// scalars every `logEvery` steps, validation scalars and checkpoints every epoch.
///
/// Determinism: initialisation, each epoch's batch order and each validation pass draw from streams derived
/// from (seed, epoch) (`Seeds`); ε and word dropout from `TrainState.rng`, saved in every checkpoint. So the same
/// seed and thread count give the same run, and a resumed run continues exactly where it stopped.
public enum Trainer {
    /// Trains (or resumes) `request.name` in `request.databasePath`. Returns when the budget is done (status
    /// completed) or a stop was requested (status interrupted, checkpoint "last" written). A non-finite loss
    /// or gradient norm marks the run diverged and throws `TrainingError.diverged`; other errors mark it
    /// failed and are rethrown.
    public static func train(_ request: TrainRequest, hooks: TrainHooks = .init()) throws -> TrainOutcome {
        let store = try RunStore(path: request.databasePath)
        defer { try? store.close() }
        let setup = request.resume ? try TrainingSetup.resume(request, store: store)
                                   : try TrainingSetup.start(request, store: store)
        BLAS.setThreads(setup.config.threads)
        var loop = TrainingLoop(setup: setup, store: store, hooks: hooks)
        if hooks.handleSignals { StopSignal.install() }
        defer { if hooks.handleSignals { StopSignal.uninstall() } }
        do {
            return try loop.run()
        } catch let error as TrainingError {
            if case .diverged = error {} else if case .evaluationFailed = error {} else {
                try? store.setStatus(.failed, of: setup.run.id, finishedAt: Date())
            }
            throw error
        } catch {
            try? store.setStatus(.failed, of: setup.run.id, finishedAt: Date())
            throw error
        }
    }
}

struct TrainingLoop {
    var setup: TrainingSetup
    let store: RunStore
    let hooks: TrainHooks
    let objective: ObjectiveConfig
    let batcher: LengthBatcher
    var windowStart = Date()
    /// Seconds of the current window spent validating and checkpointing, left out of its tokens/s.
    var windowPaused: TimeInterval = 0
    let processStart = Date()
    let processStartStep: Int

    init(setup: TrainingSetup, store: RunStore, hooks: TrainHooks) {
        self.setup = setup
        self.store = store
        self.hooks = hooks
        objective = setup.config.objectiveConfig
        batcher = LengthBatcher(sentences: setup.corpus.train, batchSize: setup.config.batchSize)
        processStartStep = setup.state.step
    }

    var config: TrainConfig { setup.config }
    var runID: UUID { setup.run.id }

    /// Total optimiser steps of the budget (epochs × batches, capped by maxSteps).
    var totalSteps: Int {
        let all = config.epochs * batcher.batchCount
        return config.maxSteps > 0 ? min(all, config.maxSteps) : all
    }

    var budgetReached: Bool { config.maxSteps > 0 && setup.state.step >= config.maxSteps }

    mutating func run() throws -> TrainOutcome {
        epochs: while setup.state.epoch < config.epochs {
            var orderRNG = SplitMix64(seed: Seeds.batchOrder(config.seed, epoch: setup.state.epoch))
            let batches = batcher.epoch(using: &orderRNG)
            while setup.state.nextBatch < batches.count {
                if budgetReached { break epochs }
                let batch = batches[setup.state.nextBatch].map { setup.corpus.train[$0] }
                try step(batch)
                if config.validateEvery > 0, setup.state.step % config.validateEvery == 0,
                   setup.state.nextBatch < batches.count {
                    try validateAndCheckpoint()
                }
                if stopRequested() {
                    return try interrupt()
                }
            }
            try endOfEpoch()
        }
        if setup.state.lastValidationStep != setup.state.step { try validateAndCheckpoint() }
        try flushWindow()
        try store.setStatus(.completed, of: runID, finishedAt: Date())
        var outcome = outcome(status: .completed)
        outcome.evaluationSummary = try evaluateAtEnd()
        return outcome
    }

    func stopRequested() -> Bool {
        (hooks.handleSignals && StopSignal.requested) || (hooks.shouldStop?(setup.state.step) ?? false)
    }

    /// One optimiser step on `batch`.
    mutating func step(_ batch: [[Int32]]) throws {
        let model = setup.model
        model.zeroGradients()
        var stats = model.trainStep(batch, objective: objective, step: setup.state.step, rng: &setup.state.rng)
        hooks.inspectStep?(setup.state.step, &stats)
        guard stats.loss.isFinite, stats.reconstruction.isFinite, stats.kl.isFinite else {
            try diverge(quantity: "loss")
        }
        let norm = clipGradientNorm(model.parameters, maxNorm: config.gradientClip)
        guard norm.isFinite else { try diverge(quantity: "gradient norm") }
        setup.optimizer.step(model.parameters, learningRate: config.learningRate)
        setup.state.step += 1
        setup.state.nextBatch += 1
        setup.state.window.add(stats, gradientNorm: norm)
        let window = setup.state.window
        // The rate of this window, taken before a flush restarts its clock.
        let tokensPerSecond = Double(window.tokens) / max(1e-9, windowSeconds(until: Date()))
        if setup.state.step % config.logEvery == 0 { try flushWindow() }
        let elapsed = Date().timeIntervalSince(processStart)
        let done = Double(setup.state.step - processStartStep)
        hooks.progress.update(epoch: setup.state.epoch, epochs: config.epochs, step: setup.state.step,
                              totalSteps: totalSteps, loss: window.loss / Double(max(1, window.steps)),
                              kl: window.kl / Double(max(1, window.steps)),
                              tokensPerSecond: tokensPerSecond,
                              stepsPerSecond: elapsed > 0 ? done / elapsed : 0)
    }

    /// Training seconds of the current window: wall time since it started minus validation pauses.
    func windowSeconds(until now: Date) -> TimeInterval {
        now.timeIntervalSince(windowStart) - windowPaused
    }

    /// Writes the window's means as one transaction of "train" scalars at the current step, then clears it.
    mutating func flushWindow() throws {
        let now = Date()
        let rows = setup.state.window.rows(step: setup.state.step, epoch: setup.state.epoch,
                                           learningRate: config.learningRate,
                                           seconds: windowSeconds(until: now))
        windowStart = now
        windowPaused = 0
        setup.state.window = ScalarWindow()
        guard !rows.isEmpty else { return }
        try store.appendScalars(rows.map {
            ScalarPoint(step: setup.state.step, epoch: setup.state.epoch, split: "train", key: $0.key, value: $0.value)
        }, to: runID)
    }

    /// Flushes what is logged, marks the run diverged and throws. The step's update is not applied.
    func diverge(quantity: String) throws -> Never {
        var copy = self
        try? copy.flushWindow()
        try? store.setStatus(.diverged, of: runID, finishedAt: Date())
        hooks.progress.line("diverged at step \(setup.state.step): \(quantity) is not finite")
        throw TrainingError.diverged(run: setup.run.name, step: setup.state.step, quantity: quantity)
    }

    mutating func interrupt() throws -> TrainOutcome {
        try store.saveCheckpoint(try TrainingCheckpoint.make(tag: "last", model: setup.model,
                                                             optimizer: setup.optimizer, state: setup.state), of: runID)
        try store.setStatus(.interrupted, of: runID, finishedAt: Date())
        hooks.progress.line("stopping: checkpoint written at step \(setup.state.step)")
        return outcome(status: .interrupted)
    }

    mutating func endOfEpoch() throws {
        try validateAndCheckpoint(advanceEpoch: true)
    }

    /// Validation scalars at the current step, then checkpoints "best" (if the ELBO improved) and "last".
    /// Under the KL-target objective a checkpoint can be "best" only once C has reached its target: before that
    /// a lower rate buys a higher ELBO, and the best checkpoint would be a model that misses the asked-for C.
    mutating func validateAndCheckpoint(advanceEpoch: Bool = false) throws {
        let began = Date()
        defer { windowPaused += Date().timeIntervalSince(began) }
        var rng = SplitMix64(seed: Seeds.validation(config.seed, epoch: setup.state.epoch))
        let valid = config.validationSentences > 0 ? Array(setup.corpus.valid.prefix(config.validationSentences))
                                                   : setup.corpus.valid
        let v = Validation.run(model: setup.model, sentences: valid, batchSize: config.batchSize,
                               objective: objective, step: setup.state.step, rng: &rng)
        let epoch = setup.state.epoch
        if v.sentences > 0 {
            try store.appendScalars(v.rows.map {
                ScalarPoint(step: setup.state.step, epoch: epoch, split: "valid", key: $0.key, value: $0.value)
            }, to: runID)
        }
        setup.state.lastValidationStep = setup.state.step
        if advanceEpoch {
            setup.state.epoch += 1
            setup.state.nextBatch = 0
        }
        let eligible = objective.kind != .klTarget || setup.state.step >= objective.klTargetWarmupSteps
        let improved = eligible && v.sentences > 0 && v.elbo.isFinite
            && v.elbo > (setup.state.bestValidELBO ?? -.infinity)
        if improved {
            setup.state.bestValidELBO = v.elbo
            setup.state.bestEpoch = epoch
        }
        // With no validation split the latest weights stand in for the best.
        if improved || v.sentences == 0 {
            try store.saveCheckpoint(try TrainingCheckpoint.make(tag: "best", model: setup.model,
                                                                 optimizer: setup.optimizer, state: setup.state), of: runID)
        }
        try store.saveCheckpoint(try TrainingCheckpoint.make(tag: "last", model: setup.model,
                                                             optimizer: setup.optimizer, state: setup.state), of: runID)
        if v.sentences > 0 {
            var line = String(format: "epoch %d  step %d  valid rec %.3f  KL %.3f  ELBO %.3f  PPL≤ %.1f",
                              epoch + 1, setup.state.step, v.reconstruction, v.kl, v.elbo, v.perplexityBound)
            if let au = v.activeUnits { line += "  AU \(au)" }
            if let mi = v.mutualInformation { line += String(format: "  MI %.3f", mi) }
            if improved { line += "  (best)" }
            hooks.progress.line(line)
        }
    }

    func outcome(status: RunStatus) -> TrainOutcome {
        TrainOutcome(name: setup.run.name, runID: runID, status: status, step: setup.state.step,
                     epoch: setup.state.epoch, bestValidELBO: setup.state.bestValidELBO,
                     bestEpoch: setup.state.bestEpoch)
    }

    /// Loads the best checkpoint (the last if no validation qualified as best) and runs the evaluation hook (issue 4) when configured.
    func evaluateAtEnd() throws -> String? {
        guard config.evaluateAtEnd, let evaluate = hooks.evaluate else { return nil }
        do {
            guard let best = try store.checkpoint(tag: "best", of: runID) ?? store.checkpoint(tag: "last", of: runID)
            else { return nil }
            let model = SequenceVAE(config: setup.model.config, seed: 0)
            try TrainingCheckpoint.loadWeights(best, into: model, run: setup.run.name)
            return try evaluate(EvaluationContext(runName: setup.run.name, databasePath: store.path, model: model,
                                                  corpus: setup.corpus, step: best.step, config: config))
        } catch {
            throw TrainingError.evaluationFailed(run: setup.run.name, reason: error.localizedDescription)
        }
    }
}
