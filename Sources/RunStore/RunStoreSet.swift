import Foundation

/// A run together with the store it lives in.
public struct StoredRun: Sendable {
    public let store: RunStore
    public let run: Run
    public var storePath: String { store.path }
    public init(store: RunStore, run: Run) { self.store = store; self.run = run }
}

/// The stores named by `--db`, opened together (runs trained on different machines): the one way every
/// reading command opens them. Runs are kept apart by their UUIDs; a UUID found in two stores is listed once per
/// store (the same run copied).
public struct RunStoreSet: Sendable {
    public let stores: [RunStore]

    /// Opens each path, in order; duplicate paths once. Every store is first opened read-only, so that a missing
    /// file, an empty file, a newer store or a non-store is refused before anything could write. With
    /// `writableWhereAllowed` (the metrics cache of `report` and `metrics`, when the user lets them write it), a
    /// store whose file is writable is then reopened read-write; one on a read-only share stays read-only and
    /// is read as it is. Throws the first store's error.
    public init(paths: [String], writableWhereAllowed: Bool = false, busyTimeout: Double = 5) throws {
        var seen = Set<String>()
        var stores: [RunStore] = []
        for path in paths {
            let key = URL(fileURLWithPath: path).standardizedFileURL.path
            if !seen.insert(key).inserted { continue }
            let reader = try RunStore(path: path, mode: .readOnly, busyTimeout: busyTimeout)
            if writableWhereAllowed, FileManager.default.isWritableFile(atPath: path),
               let writer = try? RunStore(path: path, mode: .readWrite, busyTimeout: busyTimeout) {
                try? reader.close()
                stores.append(writer)
            } else {
                stores.append(reader)
            }
        }
        self.stores = stores
    }

    public init(stores: [RunStore]) { self.stores = stores }

    /// Every run of every store, store by store (in the order given), oldest first within a store.
    public func runs() throws -> [StoredRun] {
        try stores.flatMap { store in try store.runs().map { StoredRun(store: store, run: $0) } }
    }

    /// Every run ordered by name, then UUID: the same stores always give the same order (the site's).
    public func runsByName() throws -> [StoredRun] {
        try runs().sorted { ($0.run.name, $0.run.id.uuidString) < ($1.run.name, $1.run.id.uuidString) }
    }

    /// The run with this name or UUID. If several stores hold that name, throws `.invalidInput` listing them
    /// (use the UUID); if none does, `.unknownRun`.
    public func run(named name: String) throws -> StoredRun {
        let matches = try runs().filter { $0.run.name == name || $0.run.id.uuidString.lowercased() == name.lowercased() }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            throw RunStoreError.unknownRun(name: name, path: stores.map(\.path).joined(separator: ", "))
        }
        let places = matches.map { "\($0.storePath) (\($0.run.id.uuidString.lowercased()))" }.joined(separator: ", ")
        throw RunStoreError.invalidInput(detail: "run name '\(name)' is in several stores: \(places); give its UUID")
    }
}
