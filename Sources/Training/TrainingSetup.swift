import Corpus
import Foundation
import Model
import RunStore
import Tensor

/// A run ready to train: the store row, the corpus, the model, the optimiser and the state, either fresh or
/// restored from the "last" checkpoint.
public struct TrainingSetup {
    var run: Run
    var config: TrainConfig
    var corpus: Corpus
    var model: SequenceVAE
    var optimizer: OptimizerState
    var state: TrainState

    /// The run's config JSON: the TrainConfig fields plus `corpusDirectory` (absolute), read back by resume
    /// and by `vaescope eval`.
    static func storedConfigJSON(_ config: TrainConfig, corpusDirectory: String) throws -> String {
        let data = try JSONEncoder().encode(config)
        guard var object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TrainingError.store("cannot encode the configuration as a JSON object")
        }
        object["corpusDirectory"] = corpusDirectory
        let out = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads a stored config JSON: the TrainConfig and the corpus directory (nil if absent).
    public static func parseStoredConfig(_ json: String, run: String) throws -> (TrainConfig, String?) {
        do {
            let config = try TrainConfig.fromJSON(json)
            let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            return (config, object?["corpusDirectory"] as? String)
        } catch {
            throw TrainingError.corruptCheckpoint(name: run, reason: "stored configuration unreadable: \(error)")
        }
    }

    public static func corpusOptions(_ c: TrainConfig) -> CorpusOptions {
        CorpusOptions(maxVocabularySize: c.vocabularySize, minCount: c.minCount, maxLength: c.maxLength,
                      longLines: c.skipLongLines ? .skip : .error)
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Creates run `request.name` (duplicate name → `runExists`).
    static func start(_ request: TrainRequest, config requested: TrainConfig, store: RunStore) throws -> TrainingSetup {
        var config = requested
        if let e = request.evaluateAtEnd { config.evaluateAtEnd = e }
        try config.validate()
        guard let directory = request.corpusDirectory else {
            throw TrainingError.store("a new run needs --corpus DIR")
        }
        if (try? store.run(named: request.name)) != nil {
            throw TrainingError.runExists(name: request.name, database: store.path)
        }
        let corpus = try Corpus.load(directory: directory, options: corpusOptions(config))
        guard !corpus.train.isEmpty else { throw TrainingError.emptySplit(split: "train") }
        let json = try storedConfigJSON(config, corpusDirectory: absolute(directory))
        var run = Run(name: request.name, config: json, corpusName: corpus.name,
                      corpusHash: corpus.contentHashHex, seed: config.seed)
        do { run = try store.createRun(run) } catch RunStoreError.duplicateName {
            throw TrainingError.runExists(name: request.name, database: store.path)
        }
        try store.acquireLease(of: run)
        let model = SequenceVAE(config: config.vaeConfig(vocabularySize: corpus.vocabulary.count),
                                seed: Seeds.model(config.seed))
        return TrainingSetup(run: run, config: config, corpus: corpus, model: model,
                             optimizer: OptimizerState(config: config), state: TrainState(seed: config.seed))
    }

    /// Restores run `request.name` from its "last" checkpoint; scalars logged after it are dropped (a crash
    /// may have left some), so the continuation logs exactly what an uninterrupted run would have.
    static func resume(_ request: TrainRequest, overrides: [String], force: Bool, store: RunStore) throws -> TrainingSetup {
        let run: Run
        do { run = try store.run(named: request.name) } catch RunStoreError.unknownRun {
            throw TrainingError.runNotFound(name: request.name, database: store.path)
        }
        guard [.interrupted, .running, .failed].contains(run.status) else {
            throw TrainingError.cannotResume(name: run.name, status: run.status.rawValue)
        }
        // One writer per run: a run another live process is training cannot be resumed (its rows would mix).
        try store.acquireLease(of: run, force: force)
        var (config, storedDirectory) = try parseStoredConfig(run.config, run: run.name)
        for pair in overrides {
            let key = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? pair
            let name = try ConfigKey.named(key.trimmingCharacters(in: .whitespaces)).name
            guard TrainRequest.resumableKeys.contains(name) else { throw TrainingError.notResumable(key: name) }
        }
        try config.apply(overrides: overrides)
        if let e = request.evaluateAtEnd { config.evaluateAtEnd = e }
        try config.validate()
        guard let directory = request.corpusDirectory ?? storedDirectory else {
            throw TrainingError.store("run '\(run.name)' stores no corpus directory; pass --corpus DIR")
        }
        let corpus = try Corpus.load(directory: directory, options: corpusOptions(config))
        if !run.corpusHash.isEmpty, corpus.contentHashHex != run.corpusHash {
            throw TrainingError.corpusChanged(run: run.name, directory: directory)
        }
        let model = SequenceVAE(config: config.vaeConfig(vocabularySize: corpus.vocabulary.count),
                                seed: Seeds.model(config.seed))
        let optimizer: OptimizerState, state: TrainState
        if let checkpoint = try store.checkpoint(tag: "last", of: run.id) {
            (optimizer, state) = try TrainingCheckpoint.restore(checkpoint, into: model, run: run.name)
        } else {
            // Killed before its first checkpoint: start again from step 0 (the fresh model above is the run's
            // initialisation), dropping whatever was logged, so the run equals an uninterrupted one.
            (optimizer, state) = (OptimizerState(config: config), TrainState(seed: config.seed))
        }
        try store.deleteScalars(of: run.id, afterStep: state.step)
        try store.setConfig(try storedConfigJSON(config, corpusDirectory: absolute(directory)), of: run.id)
        try store.setStatus(.running, of: run.id)
        var resumed = run
        resumed.status = .running
        return TrainingSetup(run: resumed, config: config, corpus: corpus, model: model, optimizer: optimizer,
                             state: state)
    }
}
