import Foundation

/// Everything that can go wrong while building a report site, each message naming the file, run, key or
/// metric involved and what to do about it.
public enum SiteError: Error, LocalizedError, Equatable {
    /// A report spec could not be parsed or names something that does not exist; `location` is `file:line:column`.
    case spec(location: String, message: String)
    /// A template file is missing or does not parse.
    case template(name: String, message: String)
    /// The output directory (or its temporary sibling) could not be written.
    case output(path: String, message: String)
    /// Reading a store or a run failed.
    case load(store: String, message: String)
    /// Computing a metric failed for a run.
    case metric(run: String, metric: String, message: String)

    public var errorDescription: String? {
        switch self {
        case .spec(let location, let message): return "\(location): \(message)"
        case .template(let name, let message): return "template '\(name)': \(message)"
        case .output(let path, let message): return "writing \(path): \(message)"
        case .load(let store, let message): return "reading \(store): \(message)"
        case .metric(let run, let metric, let message): return "metric '\(metric)' of run '\(run)': \(message)"
        }
    }
}
