import Corpus
import Foundation
import Model
import RunStore

/// What `vaescope train` asks for: a new run (`resume == false`: name, corpus, config) or the continuation of
/// an interrupted one (`resume == true`: name; the config and corpus path come from the store).
public struct TrainRequest: Sendable {
    public var name: String
    public var databasePath: String
    /// Required for a new run; on resume it overrides the stored directory (same content hash required).
    public var corpusDirectory: String?
    /// The resolved configuration of a new run (ignored on resume).
    public var config: TrainConfig
    public var resume: Bool
    /// `key=value` changes allowed on resume: the budget and the end-of-training evaluation only
    /// (`TrainRequest.resumableKeys`); anything else would break the exact continuation.
    public var resumeOverrides: [String]
    /// Take over the run's lease even if its holder looks alive (`--force`, for a holder known to be gone).
    public var force = false

    public static var resumableKeys: Set<String> { Set(ConfigKey.all.filter(\.resumable).map(\.name)) }

    public init(name: String, databasePath: String, corpusDirectory: String? = nil, config: TrainConfig = .init(),
                resume: Bool = false, resumeOverrides: [String] = []) {
        self.name = name
        self.databasePath = databasePath
        self.corpusDirectory = corpusDirectory
        self.config = config
        self.resume = resume
        self.resumeOverrides = resumeOverrides
    }
}

/// What the end-of-training evaluation receives: the model with the BEST checkpoint's weights loaded.
public struct EvaluationContext {
    public let runName: String
    public let databasePath: String
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
