import Foundation

/// A run together with the store it lives in.
public struct StoredRun: Sendable {
    public let store: RunStore
    public let run: Run
    public var storePath: String { store.path }
}

/// Several stores opened read-only together (runs trained on different machines). Runs are kept apart by
/// their UUIDs; a UUID found in two stores is listed once per store (the same run copied).
public struct RunStoreSet: Sendable {
    public let stores: [RunStore]

    /// Opens each path read-only, in order. Duplicate paths are opened once. Throws the first store's error.
    public init(paths: [String], busyTimeout: Double = 5) throws {
        var seen = Set<String>()
        var stores: [RunStore] = []
        for path in paths {
            let key = URL(fileURLWithPath: path).standardizedFileURL.path
            if !seen.insert(key).inserted { continue }
            stores.append(try RunStore(path: path, mode: .readOnly, busyTimeout: busyTimeout))
        }
        self.stores = stores
    }

    public init(stores: [RunStore]) { self.stores = stores }

    /// Every run of every store, store by store (in the order given), oldest first within a store.
    public func runs() throws -> [StoredRun] {
        try stores.flatMap { store in try store.runs().map { StoredRun(store: store, run: $0) } }
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
