import Foundation

/// One line of `vaescope runs list`: a run, its store, the config keys that tell runs apart, and where its
/// curves ended. Built from the store only (no metric computation).
public struct RunOverview: Equatable, Sendable {
    public var run: Run
    public var storePath: String
    /// `objective` from the config (a string, or the `kind` of an `objective` object), e.g. "elbo", "klTarget".
    public var objective: String?
    /// `pooling` from the config: "last", "mean", "max", "absMax".
    public var pooling: String?
    /// `klTarget` (C, nats) from the config when the objective is the KL target, else nil.
    public var klTarget: Double?
    /// The largest step logged.
    public var steps: Int
    /// Last `kl` and `reconstruction` (valid split if logged there, else train), nil if never logged.
    public var lastKL: Double?
    public var lastReconstruction: Double?
    /// The writer's lease (schema v2), if one is held or was left behind.
    public var lease: RunLease?

    /// A run marked running whose writer is gone (killed without a chance to mark it): its lease is stale.
    public var isStale: Bool { run.status == .running && (lease?.isStale() ?? false) }

    /// The status as shown: "running (stale)" for a stale running run.
    public var displayStatus: String { isStale ? "running (stale)" : run.status.rawValue }

    /// Reads the overview of every run of every store, store by store.
    public static func all(_ stores: RunStoreSet) throws -> [RunOverview] {
        try stores.runs().map { try RunOverview($0) }
    }

    public init(_ stored: StoredRun) throws {
        let store = stored.store, run = stored.run
        self.run = run
        self.storePath = stored.storePath
        let config = (try? JSONSerialization.jsonObject(with: Data(run.config.utf8))) ?? [:]
        let objectiveValue = Self.find("objective", in: config)
        if let s = objectiveValue as? String { objective = s }
        else if let o = objectiveValue as? [String: Any] { objective = (o["kind"] as? String) ?? (o["type"] as? String) }
        else { objective = nil }
        pooling = Self.find("pooling", in: config) as? String
        let c = (Self.find("klTarget", in: config) as? NSNumber)?.doubleValue
        klTarget = objective?.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
            == "kltarget" ? c : nil
        steps = try store.lastStep(of: run.id)
        lastKL = try store.lastValue(of: run.id, key: "kl", preferring: ["valid", "train"])?.value
        lastReconstruction = try store.lastValue(of: run.id, key: "reconstruction", preferring: ["valid", "train"])?.value
        lease = try store.lease(of: run.id)
    }

    /// The first value for `key` in a breadth-first walk of a JSON value.
    static func find(_ key: String, in json: Any) -> Any? {
        var queue: [Any] = [json]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            if let object = next as? [String: Any] {
                if let v = object[key] { return v }
                for k in object.keys.sorted() { if let v = object[k] { queue.append(v) } }
            } else if let array = next as? [Any] {
                queue.append(contentsOf: array)
            }
        }
        return nil
    }
}
