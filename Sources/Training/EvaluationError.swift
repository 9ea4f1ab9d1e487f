import Foundation

/// Errors of `vaescope eval` and the evaluation functions: one line naming the file, run or option, and the fix.
public enum EvaluationError: Error, LocalizedError, Equatable {
    case unreadableProbe(path: String, reason: String)
    case malformedProbe(path: String, line: Int, reason: String)
    case invalidScheme(String)
    case invalidOption(String)
    case runNotFound(name: String, database: String)
    case noCheckpoint(run: String, database: String)
    case missingCorpus(run: String, reason: String)
    case incompatibleModel(run: String, reason: String)
    case store(run: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case let .unreadableProbe(path, reason):
            return "cannot read probe pairs file '\(path)': \(reason)"
        case let .malformedProbe(path, line, reason):
            return "probe pairs file '\(path)', line \(line): \(reason) (expected a TSV with header "
                + "phenomenon, category, condition, grammatical, ungrammatical)"
        case let .invalidScheme(text):
            return "unknown decoding scheme '\(text)': use greedy, top-k:K (K ≥ 1) or nucleus:P (0 < P ≤ 1), comma separated"
        case let .invalidOption(reason):
            return "invalid evaluation option: \(reason)"
        case let .runNotFound(name, database):
            return "no run named '\(name)' in '\(database)': see `vaescope runs list --db \(database)`"
        case let .noCheckpoint(run, database):
            return "run '\(run)' in '\(database)' has no checkpoint to evaluate: train it first (vaescope train)"
        case let .missingCorpus(run, reason):
            return "cannot rebuild the corpus of run '\(run)': \(reason) (pass --corpus DIR)"
        case let .incompatibleModel(run, reason):
            return "the checkpoint of run '\(run)' does not fit its configuration: \(reason)"
        case let .store(run, reason):
            return "writing the evaluation of run '\(run)': \(reason)"
        }
    }
}
