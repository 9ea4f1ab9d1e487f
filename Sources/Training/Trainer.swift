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
        let setup: TrainingSetup
        switch request.kind {
        case .new(let config): setup = try TrainingSetup.start(request, config: config, store: store)
        case .resume(let overrides, let force): setup = try TrainingSetup.resume(request, overrides: overrides, force: force, store: store)
        }
        defer { try? store.releaseLease(of: setup.run) }
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
    var lastHeartbeat = Date()
    /// Seconds of the current window spent validating and checkpointing, left out of its tokens/s.
    var windowPaused: TimeInterval = 0
    let processStart = Date()
    let processStartStep: Int

    init(setup: TrainingSetup, store: RunStore, hooks: TrainHooks) {
        self.setup = setup
        self.store = store
        self.hooks = hooks
        objective = Self.objective(setup.config, trainingSentences: setup.corpus.train.count)
        batcher = LengthBatcher(sentences: setup.corpus.train, batchSize: setup.config.batchSize,
                                equalLength: setup.config.batching == .equalLength)
        processStartStep = setup.state.step
        if setup.state.aggressive == nil { self.setup.state.aggressive = setup.config.aggressive }
    }

    /// The objective with `annealEpochs` turned into steps as He et al. 2019's `text.py` counts an epoch:
    /// training sentences / batch size (not the number of batches, which equal-length batching makes larger).
    static func objective(_ config: TrainConfig, trainingSentences: Int) -> ObjectiveConfig {
        var o = config.objectiveConfig
        if config.annealEpochs > 0 {
            o.annealSteps = max(1, Int((config.annealEpochs * Double(trainingSentences) / Double(config.batchSize)).rounded()))
        }
        return o
    }

    /// The learning rate in force (decayed on plateaus).
    var learningRate: Double { setup.state.learningRate ?? config.learningRate }

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
                try step(batch, epochBatches: batches)
                if config.validateEvery > 0, setup.state.step % config.validateEvery == 0,
                   setup.state.nextBatch < batches.count {
                    try validateAndCheckpoint()
                }
                if stopRequested() {
                    return try interrupt()
                }
            }
            try endOfEpoch()
            if setup.state.stoppedEarly { break epochs }
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

    /// One optimiser step on `batch` (in the aggressive phase: encoder-only inner steps first, then a decoder-only
    /// step on `batch`). `epochBatches` are the epoch's batches, from which the inner steps draw.
    mutating func step(_ batch: [[Int32]], epochBatches: [[Int]]) throws {
        try heartbeatIfDue()
        let model = setup.model
        let aggressive = setup.state.aggressive ?? false
        if aggressive {
            let taken = try aggressiveInnerSteps(first: batch, epochBatches: epochBatches)
            setup.state.innerSteps += taken
            setup.state.windowInnerSteps += taken
        }
        model.zeroGradients()
        var stats = model.trainStep(batch, objective: objective, step: setup.state.step, rng: &setup.state.rng)
        hooks.inspectStep?(setup.state.step, &stats)
        guard stats.loss.isFinite, stats.reconstruction.isFinite, stats.kl.isFinite else {
            try diverge(quantity: "loss")
        }
        let norm = clipGradientNorm(model.parameters, maxNorm: config.gradientClip)
        guard norm.isFinite else { try diverge(quantity: "gradient norm") }
        setup.optimizer.step(aggressive ? model.decoderParameters : model.parameters, learningRate: learningRate)
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

    /// He et al. 2019's aggressive inner loop (`text.py`, Algorithm 1): encoder-only SGD steps, the first on `first`,
    /// then on batches drawn uniformly with replacement from the epoch's batches; every `checkEvery` steps the
    /// loss per word of those steps is compared with that of the previous `checkEvery`, and the loop stops when it
    /// rose; at most `maxInnerSteps`. Gradients are clipped over every parameter, as theirs. Returns the steps taken.
    static let maxInnerSteps = 99
    static let checkEvery = 15

    mutating func aggressiveInnerSteps(first: [[Int32]], epochBatches: [[Int]]) throws -> Int {
        let model = setup.model
        let encoderParameters = model.encoderParameters
        var batch = first
        var previous = Double.greatestFiniteMagnitude, current = 0.0, words = 0
        var taken = 0
        for sub in 1...Self.maxInnerSteps {
            model.zeroGradients()
            let stats = model.trainStep(batch, objective: objective, step: setup.state.step, rng: &setup.state.rng)
            guard stats.loss.isFinite else { try diverge(quantity: "loss (aggressive inner step)") }
            try heartbeatIfDue()
            words += stats.tokens
            current += stats.loss * Double(batch.count)
            let norm = clipGradientNorm(model.parameters, maxNorm: config.gradientClip)
            guard norm.isFinite else { try diverge(quantity: "gradient norm (aggressive inner step)") }
            setup.optimizer.step(encoderParameters, learningRate: learningRate)
            taken += 1
            let pick = LengthBatcher.uniform(epochBatches.count, using: &setup.state.rng)
            batch = epochBatches[pick].map { setup.corpus.train[$0] }
            if sub % Self.checkEvery == 0 {
                current /= Double(max(1, words))
                if previous - current < 0 { break }
                previous = current
                current = 0
                words = 0
            }
        }
        return taken
    }

    /// Renews the run's lease when `RunLease.heartbeatInterval` has passed (one writer per run).
    mutating func heartbeatIfDue() throws {
        let now = Date()
        guard now.timeIntervalSince(lastHeartbeat) >= RunLease.heartbeatInterval else { return }
        lastHeartbeat = now
        try store.heartbeat(of: setup.run)
    }

    /// Training seconds of the current window: wall time since it started minus validation pauses.
    func windowSeconds(until now: Date) -> TimeInterval {
        now.timeIntervalSince(windowStart) - windowPaused
    }

    /// Writes the window's means as one transaction of "train" scalars at the current step, then clears it.
    mutating func flushWindow() throws {
        let now = Date()
        let seconds = windowSeconds(until: now)
        var rows = setup.state.window.rows(step: setup.state.step, epoch: setup.state.epoch,
                                           learningRate: learningRate, seconds: seconds)
        if !rows.isEmpty {
            setup.state.trainingSeconds += max(0, seconds)
            rows.append(("train_seconds", setup.state.trainingSeconds))
            if config.aggressive {
                rows.append(("inner_steps", Double(setup.state.windowInnerSteps) / Double(setup.state.window.steps)))
                rows.append(("updates", Double(setup.state.step + setup.state.innerSteps)))
                rows.append(("aggressive", (setup.state.aggressive ?? false) ? 1 : 0))
            }
        }
        windowStart = now
        windowPaused = 0
        setup.state.window = ScalarWindow()
        setup.state.windowInnerSteps = 0
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
        var notes: [String] = []
        if advanceEpoch, v.sentences > 0 {
            if let note = try endAggressivePhaseIfMIStalled(v, epoch: epoch) { notes.append(note) }
            if let note = try decayOnPlateau(loss: -v.elbo, epoch: epoch) { notes.append(note) }
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
        for note in notes { hooks.progress.line(note) }
    }

    /// He et al. 2019: at each epoch end in the aggressive phase, the phase ends when the validation MI did not
    /// rise (`cur_mi - pre_mi < 0`, with pre_mi starting at 0). Logs `aggressive_ended_at` (the step).
    mutating func endAggressivePhaseIfMIStalled(_ v: ValidationResult, epoch: Int) throws -> String? {
        guard setup.state.aggressive == true, let mi = v.mutualInformation else { return nil }
        defer { setup.state.previousMI = mi }
        guard mi - setup.state.previousMI < 0 else { return nil }
        setup.state.aggressive = false
        setup.state.aggressiveEndedStep = setup.state.step
        try store.appendScalars([ScalarPoint(step: setup.state.step, epoch: epoch, split: "train",
                                             key: "aggressive_ended_at", value: Double(setup.state.step))], to: runID)
        return String(format: "aggressive phase ends at step %d: validation MI %.3f did not rise (was %.3f); "
                      + "%d encoder-only updates so far", setup.state.step, mi, setup.state.previousMI,
                      setup.state.innerSteps)
    }

    /// He et al. 2019's learning-rate decay (`text.py`): a validation loss above the plateau reference counts an
    /// epoch without improvement, otherwise it becomes the reference; after `lrDecayPatience` such epochs (from
    /// epoch `lrDecayMinEpoch` on) the rate is multiplied by `lrDecayFactor`, the best checkpoint's weights are
    /// reloaded, the optimiser restarts and the reference becomes the current loss; after `maxLRDecays` decays
    /// training stops. Logs `lr_decay` (the decay count) at the step.
    mutating func decayOnPlateau(loss: Double, epoch: Int) throws -> String? {
        guard config.lrDecayPatience > 0, loss.isFinite else { return nil }
        var note: String?
        if let reference = setup.state.plateauLoss, loss > reference {
            setup.state.epochsNotImproved += 1
            if setup.state.epochsNotImproved >= config.lrDecayPatience, epoch >= config.lrDecayMinEpoch {
                setup.state.plateauLoss = loss
                setup.state.epochsNotImproved = 0
                setup.state.learningRate = learningRate * config.lrDecayFactor
                setup.state.lrDecays += 1
                if let best = try store.checkpoint(tag: "best", of: runID) {
                    try TrainingCheckpoint.loadWeights(best, into: setup.model, run: setup.run.name)
                }
                setup.optimizer = OptimizerState(config: config)
                try store.appendScalars([ScalarPoint(step: setup.state.step, epoch: epoch, split: "train",
                                                     key: "lr_decay", value: Double(setup.state.lrDecays))], to: runID)
                note = String(format: "learning rate decayed to %g (decay %d), best checkpoint reloaded",
                              learningRate, setup.state.lrDecays)
            }
        } else {
            setup.state.epochsNotImproved = 0
            setup.state.plateauLoss = loss
        }
        if config.maxLRDecays > 0, setup.state.lrDecays >= config.maxLRDecays {
            setup.state.stoppedEarly = true
            note = (note.map { $0 + "; " } ?? "") + "early stop after \(setup.state.lrDecays) learning-rate decays"
        }
        return note
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
            var context = EvaluationContext(store: store, run: setup.run, model: model,
                                            corpus: setup.corpus, step: best.step, config: config)
            context.checkpointTag = best.tag
            return try evaluate(context)
        } catch {
            throw TrainingError.evaluationFailed(run: setup.run.name, reason: error.localizedDescription)
        }
    }
}
