import Foundation

/// Every error the run store reports: one line naming the file (or run) and the problem.
public enum RunStoreError: LocalizedError, Equatable, Sendable {
    /// The file exists but is not a SQLite database.
    case notADatabase(path: String)
    /// The store was written by a newer VAEScope; it is never migrated down.
    case newerSchema(path: String, found: Int, supported: Int)
    /// A reading command was given an empty file (it is not made into a store).
    case emptyFile(path: String)
    /// Another connection held the write lock for longer than the busy timeout.
    case locked(path: String, seconds: Double)
    /// No store at a path that was opened for reading.
    case noSuchStore(path: String)
    /// SQLite could not open or write the file (permissions, disk full, …).
    case cannotOpen(path: String, reason: String)
    /// No run with this name (or UUID) in the store(s).
    case unknownRun(name: String, path: String)
    /// Another live process holds the run's lease (it is training or logging into it).
    case runLocked(name: String, holder: String, secondsSinceHeartbeat: Int)
    /// A run with this name already exists.
    case duplicateName(name: String, path: String)
    /// A name is not acceptable as a run name (empty, or with control characters).
    case invalidName(name: String)
    /// Stored data does not have the shape the schema promises.
    case corrupt(path: String, detail: String)
    /// An argument does not satisfy the contract (array sizes disagree, unknown enum value, …).
    case invalidInput(detail: String)
    /// A file to import or read is malformed; `location` is "line 12", "shape (3, 4)" or "".
    case badFile(path: String, location: String, detail: String)
    /// A file or directory could not be written.
    case cannotWrite(path: String, reason: String)
    /// Any other SQLite failure, with the store's path.
    case sqlite(path: String, message: String)

    /// The store the error is about, when it is about one.
    public var path: String? {
        switch self {
        case .notADatabase(let p), .newerSchema(let p, _, _), .emptyFile(let p), .locked(let p, _), .noSuchStore(let p),
             .cannotOpen(let p, _), .unknownRun(_, let p), .duplicateName(_, let p), .corrupt(let p, _),
             .badFile(let p, _, _), .cannotWrite(let p, _), .sqlite(let p, _):
            return p
        case .runLocked, .invalidName, .invalidInput:
            return nil
        }
    }

    public var errorDescription: String? {
        switch self {
        case .emptyFile(let path):
            return "\(path): an empty file, not a run store (a store is made by train, import or the Python client)"
        case .notADatabase(let path):
            return "\(path): not a SQLite database (is this a VAEScope run store?)"
        case .newerSchema(let path, let found, let supported):
            return "\(path): store has schema version \(found), newer than the \(supported) this VAEScope "
                + "(\(VAEScopeVersion.current)) understands; upgrade VAEScope (stores are never migrated down)"
        case .locked(let path, let seconds):
            return "\(path): store is locked by another writer (waited \(seconds) s); try again when it is done"
        case .noSuchStore(let path):
            return "\(path): no such run store"
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open store: \(reason)"
        case .runLocked(let name, let holder, let seconds):
            return "run '\(name)' is being written by \(holder) (last heartbeat \(seconds) s ago); wait for it, "
                + "or if that process is gone pass --force"
        case .unknownRun(let name, let path):
            return "\(path): no run named '\(name)'"
        case .duplicateName(let name, let path):
            return "\(path): a run named '\(name)' already exists; choose another name or delete it first"
        case .invalidName(let name):
            return "invalid run name '\(name)': use a non-empty name without control characters or '/'"
        case .corrupt(let path, let detail):
            return "\(path): corrupt store: \(detail)"
        case .invalidInput(let detail):
            return "invalid input: \(detail)"
        case .badFile(let path, let location, let detail):
            return location.isEmpty ? "\(path): \(detail)" : "\(path): \(location): \(detail)"
        case .cannotWrite(let path, let reason):
            return "\(path): cannot write: \(reason)"
        case .sqlite(let path, let message):
            return "\(path): \(message)"
        }
    }
}
