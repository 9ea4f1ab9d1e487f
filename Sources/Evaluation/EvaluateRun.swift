import Training
import Foundation
import Corpus
import Model
import RunStore

/// Evaluates a run of an open store (opened read-write by the caller, who looked the run up): loads the
/// checkpoint chosen by `options.checkpoint` (best, or "last" if it has none) and the configuration, rebuilds the
/// corpus (the directory stored in the run's config, or `options.corpusDirectory`; the content hash must match),
/// evaluates it (see `Evaluator`) and writes everything into the store (see `EvaluationStore`).
public func evaluateRun(_ stored: StoredRun, options: EvaluationOptions = .init(),
                        progress: EvaluationProgress = .standardError) throws -> EvaluationSummary {
    try options.validate()
    let store = stored.store, run = stored.run, databasePath = store.path
    let (config, storedDirectory) = try TrainingSetup.parseStoredConfig(run.config, run: run.name)
    guard let directory = options.corpusDirectory ?? storedDirectory else {
        throw EvaluationError.missingCorpus(run: run.name, reason: "its configuration stores no corpus directory")
    }
    let corpus: Corpus
    do { corpus = try Corpus.load(directory: directory, options: TrainingSetup.corpusOptions(config)) } catch {
        throw EvaluationError.missingCorpus(run: run.name, reason: "\(directory): \(error.localizedDescription)")
    }
    if !run.corpusHash.isEmpty, corpus.contentHashHex != run.corpusHash {
        throw EvaluationError.missingCorpus(
            run: run.name, reason: "\(directory) has content hash \(corpus.contentHashHex), the run was trained on \(run.corpusHash)")
    }
    let preferred = try options.checkpoint == .best ? store.checkpoint(tag: "best", of: run.id) : nil
    guard let checkpoint = try preferred ?? store.checkpoint(tag: "last", of: run.id) else {
        throw EvaluationError.noCheckpoint(run: run.name, database: databasePath)
    }
    let model = SequenceVAE(config: config.vaeConfig(vocabularySize: corpus.vocabulary.count), seed: 0)
    do { try TrainingCheckpoint.loadWeights(checkpoint, into: model, run: run.name) } catch {
        throw EvaluationError.incompatibleModel(run: run.name, reason: error.localizedDescription)
    }
    return try evaluate(run: run, store: store, model: model, corpus: corpus, step: checkpoint.step, checkpointTag: checkpoint.tag,
                        options: options, progress: progress)
}

/// Opens the store at `databasePath` read-write, looks the run up by name or UUID and evaluates it
/// (`evaluateRun(_:options:progress:)`): what `vaescope eval NAME --db FILE` does.
public func evaluateRun(named name: String, databasePath: String, options: EvaluationOptions = .init(),
                        progress: EvaluationProgress = .standardError) throws -> EvaluationSummary {
    try options.validate()
    let store = try RunStore(path: databasePath)
    defer { try? store.close() }
    let run: Run
    do { run = try store.run(named: name) } catch RunStoreError.unknownRun {
        throw EvaluationError.runNotFound(name: name, database: databasePath)
    }
    return try evaluateRun(StoredRun(store: store, run: run), options: options, progress: progress)
}

func evaluate(run: Run, store: RunStore, model: SequenceVAE, corpus: Corpus, step: Int, checkpointTag: String = "best",
              options: EvaluationOptions, progress: EvaluationProgress) throws -> EvaluationSummary {
    let started = Date()
    var result = try Evaluator(model: model, corpus: corpus, options: options, progress: progress)
        .run(runName: run.name, step: step)
    result.summary.seconds = Date().timeIntervalSince(started)
    do {
        try EvaluationStore.write(result, sentences: options.sentences(of: corpus), vocabulary: corpus.vocabulary,
                                  run: run.id, store: store, checkpointTag: checkpointTag)
    } catch {
        throw EvaluationError.store(run: run.name, reason: error.localizedDescription)
    }
    return result.summary
}

extension EvaluationOptions {
    /// The evaluated sentences: the split, or its first `maxSentences`.
    func sentences(of corpus: Corpus) -> [[Int32]] {
        let all = corpus.sentences(split)
        return maxSentences.map { Array(all.prefix($0)) } ?? all
    }

    /// The options the trainer's configuration asks for at the end of training (split, K, S, N).
    public init(trainConfig config: TrainConfig) {
        self.init()
        split = config.evalSplit == .valid ? .valid : .test
        importanceSamples = config.iwSamples
        latentSamples = config.latentSamples
        priorSamples = config.priorSamples
        batchSize = config.batchSize
    }
}

/// The trainer's end-of-training hook (`TrainHooks.evaluate`): evaluates the best checkpoint already loaded
/// in the context's model and returns the summary to print.
public func endOfTrainingEvaluation(progress: EvaluationProgress = .standardError,
                                    adjust: @escaping (inout EvaluationOptions) -> Void = { _ in }) -> EndOfTrainingEvaluation {
    { context in
        var options = EvaluationOptions(trainConfig: context.config)
        adjust(&options)
        try options.validate()
        // The trainer's own open store and run: nothing is opened again or looked up by name.
        return try evaluate(run: context.run, store: context.store, model: context.model, corpus: context.corpus,
                            step: context.step, checkpointTag: context.checkpointTag, options: options,
                            progress: progress).description
    }
}
