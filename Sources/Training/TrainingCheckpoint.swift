import Foundation
import Model
import RunStore
import Tensor

/// The optimiser chosen by `TrainConfig.optimizer`, as a concrete Codable value (its moments go into the
/// checkpoint).
public enum OptimizerState: Codable {
    case adam(Adam)
    case sgd(SGD)

    public init(config: TrainConfig) {
        switch config.optimizer {
        case .adam: self = .adam(Adam())
        case .sgd: self = .sgd(SGD(momentum: config.momentum))
        }
    }

    public mutating func step(_ parameters: [Parameter], learningRate: Double) {
        switch self {
        case .adam(var o): o.step(parameters, learningRate: learningRate); self = .adam(o)
        case .sgd(var o): o.step(parameters, learningRate: learningRate); self = .sgd(o)
        }
    }
}

/// Encoding of a run's resumable state into a `RunStore.Checkpoint` and back: weights and optimiser state in
/// `BinaryCoder` blobs, the step RNG as JSON, `TrainState` as the `extra` JSON.
public enum TrainingCheckpoint {
    public static func make(tag: String, model: SequenceVAE, optimizer: OptimizerState,
                            state: TrainState) throws -> Checkpoint {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Checkpoint(tag: tag, step: state.step, epoch: state.epoch,
                          weights: try BinaryCoder.encode(model.weights()),
                          optimizerState: try BinaryCoder.encode(optimizer),
                          rngState: try encoder.encode(state.rng),
                          extra: String(decoding: try encoder.encode(state), as: UTF8.self))
    }

    /// Loads weights into `model` and returns the optimiser and state stored in `checkpoint`.
    public static func restore(_ checkpoint: Checkpoint, into model: SequenceVAE,
                               run: String) throws -> (OptimizerState, TrainState) {
        do {
            try model.load(try BinaryCoder.decode(ModelWeights.self, from: checkpoint.weights))
            let optimizer = try BinaryCoder.decode(OptimizerState.self, from: checkpoint.optimizerState)
            var state = try JSONDecoder().decode(TrainState.self, from: Data(checkpoint.extra.utf8))
            state.rng = try JSONDecoder().decode(SplitMix64.self, from: checkpoint.rngState)
            return (optimizer, state)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.corruptCheckpoint(name: run, reason: "\(error)".prefix(200).description)
        }
    }

    /// Loads only the weights (e.g. the best checkpoint for evaluation).
    public static func loadWeights(_ checkpoint: Checkpoint, into model: SequenceVAE, run: String) throws {
        do {
            try model.load(try BinaryCoder.decode(ModelWeights.self, from: checkpoint.weights))
        } catch {
            throw TrainingError.corruptCheckpoint(name: run, reason: "\(error)".prefix(200).description)
        }
    }
}
