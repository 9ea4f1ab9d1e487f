import Foundation

/// Errors of the Training module: one line each, naming the key, file or run and the fix.
public enum TrainingError: Error, LocalizedError, Equatable {
    case unknownKey(key: String, suggestion: String?)
    case unknownPreset(name: String, known: [String])
    case wrongType(key: String, value: String, expected: String)
    case invalidValue(key: String, expected: String)
    case malformedOverride(String)
    case unreadableConfig(path: String, reason: String)
    case invalidConfigFile(path: String, reason: String)
    indirect case inConfigFile(path: String, TrainingError)
    case runExists(name: String, database: String)
    case runNotFound(name: String, database: String)
    case corruptCheckpoint(name: String, reason: String)
    case cannotResume(name: String, status: String)
    case diverged(run: String, step: Int, quantity: String)
    case emptySplit(split: String)
    case notResumable(key: String)
    case corpusChanged(run: String, directory: String)
    case evaluationFailed(run: String, reason: String)
    case store(String)

    public var errorDescription: String? {
        switch self {
        case .unknownKey(let key, let suggestion):
            let hint = suggestion.map { " — did you mean '\($0)'?" } ?? ""
            return "unknown configuration key '\(key)'\(hint) (vaescope train --help-config lists every key)"
        case .unknownPreset(let name, let known):
            return "unknown preset '\(name)' (presets: \(known.joined(separator: ", ")))"
        case .wrongType(let key, let value, let expected):
            return "configuration key '\(key)' expects \(expected), got '\(value)'"
        case .invalidValue(let key, let expected):
            return "configuration key '\(key)' must be \(expected)"
        case .malformedOverride(let pair):
            return "--set expects key=value, got '\(pair)'"
        case .unreadableConfig(let path, let reason):
            return "cannot read configuration file \(path): \(reason)"
        case .invalidConfigFile(let path, let reason):
            return "configuration file \(path): \(reason)"
        case .inConfigFile(let path, let error):
            return "\(path): \(error.errorDescription ?? "\(error)")"
        case .runExists(let name, let database):
            return "a run named '\(name)' already exists in \(database); choose another --name or --resume it"
        case .runNotFound(let name, let database):
            return "no run named '\(name)' in \(database) (vaescope runs list shows them)"
        case .corruptCheckpoint(let name, let reason):
            return "checkpoint of run '\(name)' cannot be read: \(reason)"
        case .cannotResume(let name, let status):
            return "run '\(name)' is \(status); only interrupted or running runs can be resumed"
        case .diverged(let run, let step, let quantity):
            return "run '\(run)' diverged at step \(step) (\(quantity) is not finite); marked diverged, earlier logs kept — lower learningRate"
        case .emptySplit(let split):
            return "the \(split) split has no sentences"
        case .notResumable(let key):
            return "configuration key '\(key)' cannot change on resume (only \(TrainRequest.resumableKeys.sorted().joined(separator: ", ")))"
        case .corpusChanged(let run, let directory):
            return "corpus \(directory) differs from the one run '\(run)' was trained on (content hash); resume needs the same files"
        case .evaluationFailed(let run, let reason):
            return "run '\(run)' completed, but the evaluation at the end failed: \(reason) (retry with vaescope eval \(run))"
        case .store(let message):
            return message
        }
    }
}
