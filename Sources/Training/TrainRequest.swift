import Corpus
import Foundation
import Model
import RunStore

/// What `vaescope train` asks for: a new run with its configuration, or the continuation of an interrupted one
/// (whose configuration comes from the store; only resumable keys may change).
public struct TrainRequest: Sendable {
    public enum Kind: Sendable {
        /// A new run with this resolved configuration.
        case new(TrainConfig)
        /// Continue the run: `overrides` (`key=value`) may change the budget and the end-of-training evaluation
        /// only (`TrainRequest.resumableKeys`; anything else would break the exact continuation); `force` takes
        /// over the run's lease even if its holder looks alive (`--force`, for a holder known to be gone).
        case resume(overrides: [String], force: Bool)
    }

    public var name: String
    public var databasePath: String
    /// Required for a new run; on resume it overrides the stored directory (same content hash required).
    public var corpusDirectory: String?
    public var kind: Kind
    /// `false`: no evaluation at the end, whatever the configuration says (`--no-eval`, for new and resumed runs
    /// alike; recorded in the run's configuration as `evaluateAtEnd=false`); nil: as configured.
    public var evaluateAtEnd: Bool?

    public static var resumableKeys: Set<String> { Set(ConfigKey.all.filter(\.resumable).map(\.name)) }

    /// A new run.
    public init(name: String, databasePath: String, corpusDirectory: String? = nil, config: TrainConfig = .init(),
                evaluateAtEnd: Bool? = nil) {
        self.name = name
        self.databasePath = databasePath
        self.corpusDirectory = corpusDirectory
        self.kind = .new(config)
        self.evaluateAtEnd = evaluateAtEnd
    }

    /// The continuation of run `name`.
    public static func resume(name: String, databasePath: String, corpusDirectory: String? = nil, overrides: [String] = [],
                              force: Bool = false, evaluateAtEnd: Bool? = nil) -> TrainRequest {
        var r = TrainRequest(name: name, databasePath: databasePath, corpusDirectory: corpusDirectory, evaluateAtEnd: evaluateAtEnd)
        r.kind = .resume(overrides: overrides, force: force)
        return r
    }
}

/// What the end-of-training evaluation receives: the model with the BEST checkpoint's weights loaded.
public struct EvaluationContext {
    /// The trainer's open store (read-write) and the run in it.
    public let store: RunStore
    public let run: Run
    public let model: SequenceVAE
    public let corpus: Corpus
    /// The best checkpoint's step.
    public let step: Int
    /// "best", or "last" when the run has no best checkpoint.
    public var checkpointTag = "best"
    public let config: TrainConfig
}

/// The evaluation run at the end of training (issue 4's `evaluateRun`); returns a summary to print.
public typealias EndOfTrainingEvaluation = (EvaluationContext) throws -> String

/// Ways to observe and steer a run from outside (the command line, tests).
public struct TrainHooks {
    public var progress: TrainProgress
    /// Install SIGINT/SIGTERM handlers for the duration of the run (the command line does; tests don't).
    public var handleSignals: Bool
    /// Asked after every step with the number of steps done; `true` stops the run exactly as Ctrl-C does
    /// (checkpoint "last" written, run marked interrupted).
    public var shouldStop: ((Int) -> Bool)?
    /// Sees (and may alter) each step's statistics before they are checked; tests inject NaN here.
    public var inspectStep: ((Int, inout StepStats) -> Void)?
    /// Run at the end on the best checkpoint when `config.evaluateAtEnd`; nil skips it.
    public var evaluate: EndOfTrainingEvaluation?

    public init(progress: TrainProgress = .silent, handleSignals: Bool = false, shouldStop: ((Int) -> Bool)? = nil,
                inspectStep: ((Int, inout StepStats) -> Void)? = nil, evaluate: EndOfTrainingEvaluation? = nil) {
        self.progress = progress
        self.handleSignals = handleSignals
        self.shouldStop = shouldStop
        self.inspectStep = inspectStep
        self.evaluate = evaluate
    }
}

/// How a run ended (errors, including divergence, are thrown instead).
public struct TrainOutcome: Sendable {
    public var name: String
    public var runID: UUID
    public var status: RunStatus
    public var step: Int
    public var epoch: Int
    public var bestValidELBO: Double?
    public var bestEpoch: Int?
    /// The end-of-training evaluation's summary, when it ran.
    public var evaluationSummary: String?

    public var description: String {
        var s = "run '\(name)' \(status.rawValue) at step \(step) (\(epoch) complete epochs)"
        if let e = bestValidELBO, let b = bestEpoch {
            s += String(format: "; best validation ELBO %.3f nats/sentence at epoch %d", e, b + 1)
        }
        return s
    }
}
