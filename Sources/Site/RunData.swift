import Foundation
import RunStore

/// What the site needs of one run, read from a store before anything is rendered (zola's "load, then
/// render"). Filled by `StoreLoader` from the run store; tests and benchmarks may build it directly.
public struct RunData: Sendable, Equatable {
    /// The run's UUID (keeps runs from different stores apart).
    public var id: String
    /// The human name (any text; never used as a file name).
    public var name: String
    public var status: String
    /// Path of the store the run came from.
    public var store: String
    public var createdAt: String
    public var finishedAt: String?
    /// The resolved configuration flattened to `key → value` (nested objects give both `a.b` and `b`).
    public var config: [String: ConfigValue]
    public var corpus: String
    /// Scalar series by (split, key), points in step order.
    public var scalars: [ScalarSeries]
    /// The evaluated split the latents, sentences and texts below belong to ("test" unless told).
    public var split: String
    /// Latent records of the evaluated split (nil when the run saved none).
    public var latents: LatentSet?
    /// Source sentences of the evaluated split, in sentence order.
    public var sentences: [String]
    /// Decoded texts of the split: reconstructions, prior samples, interpolations.
    public var texts: [DecodedText]
    /// Provenance: the writing tool's version, the corpus content hash, the seed, and a hash of the stored
    /// configuration text (FNV-1a 64, hex).
    public var toolVersion = ""
    public var corpusHash = ""
    public var seed: UInt64 = 0
    public var configHash = ""

    public init(id: String, name: String, status: String, store: String = "", createdAt: String = "",
                finishedAt: String? = nil, config: [String: ConfigValue] = [:], corpus: String = "",
                scalars: [ScalarSeries] = [], split: String = "test", latents: LatentSet? = nil,
                sentences: [String] = [], texts: [DecodedText] = []) {
        self.id = id
        self.name = name
        self.status = status
        self.store = store
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.config = config
        self.corpus = corpus
        self.scalars = scalars
        self.split = split
        self.latents = latents
        self.sentences = sentences
        self.texts = texts
    }

    /// The series of `key` in `split` (nil when absent).
    public func series(_ key: String, split: String? = nil) -> ScalarSeries? {
        scalars.first { $0.key == key && (split == nil || $0.split == split) }
    }
}

/// A configuration value as the site shows and compares it.
public enum ConfigValue: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    case number(Double)
    case text(String)
    case bool(Bool)

    public var description: String {
        switch self {
        case .number(let x):
            return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : NumberFormat.auto(x)
        case .text(let s): return s
        case .bool(let b): return b ? "true" : "false"
        }
    }

    public var number: Double? {
        switch self {
        case .number(let x): return x
        case .bool(let b): return b ? 1 : 0
        case .text(let s): return Double(s)
        }
    }

    public static func < (a: ConfigValue, b: ConfigValue) -> Bool {
        if let x = a.number, let y = b.number { return x < y }
        return a.description < b.description
    }

    /// Flattens a JSON object: nested objects give `parent.child` keys and, when unambiguous, the bare
    /// `child` key too (the project's config keys are unique: `pooling`, `klTarget`, …). Invalid JSON → [:].
    public static func flatten(json data: Data) -> [String: ConfigValue] {
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: data) else { return [:] }
        var full: [String: ConfigValue] = [:]
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let dict): for (k, v) in dict { walk(v, path.isEmpty ? k : path + "." + k) }
            case .array(let items): full[path] = .text("[" + items.map(\.text).joined(separator: ", ") + "]")
            case .number(let x): full[path] = .number(x)
            case .bool(let b): full[path] = .bool(b)
            case .string(let s): full[path] = .text(s)
            case .null: full[path] = .text("null")
            }
        }
        walk(root, "")
        var result = full
        var leafCounts: [String: Int] = [:]
        func leaf(_ key: String) -> String { String(key.split(separator: ".").last ?? Substring(key)) }
        for key in full.keys { leafCounts[leaf(key), default: 0] += 1 }
        for (key, value) in full where key.contains(".") {
            let l = leaf(key)
            if leafCounts[l] == 1, full[l] == nil { result[l] = value }
        }
        return result
    }
}

/// A JSON value decoded strictly (a number is never taken for a Bool).
indirect enum JSONValue: Decodable {
    case object([String: JSONValue]), array([JSONValue]), number(Double), bool(Bool), string(String), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) } else if let x = try? c.decode(Double.self) { self = .number(x) } else if let s = try? c.decode(String.self) { self = .string(s) } else if let o = try? c.decode([String: JSONValue].self) { self = .object(o) } else { self = .array(try c.decode([JSONValue].self)) }
    }

    var text: String {
        switch self {
        case .number(let x): return ConfigValue.number(x).description
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return s
        case .null: return "null"
        case .array(let a): return "[" + a.map(\.text).joined(separator: ", ") + "]"
        case .object: return "{…}"
        }
    }
}

/// One scalar time series of a run: `(step, epoch, value)` in step order.
public struct ScalarSeries: Sendable, Equatable {
    public var key: String
    public var split: String
    public var steps: [Int]
    public var epochs: [Int?]
    public var values: [Double]

    public init(key: String, split: String, steps: [Int], epochs: [Int?] = [], values: [Double]) {
        self.key = key
        self.split = split
        self.steps = steps
        self.epochs = epochs.isEmpty ? Array(repeating: nil, count: steps.count) : epochs
        self.values = values
    }

    public var last: Double? { values.last }
    /// The smallest finite value (the best, for losses).
    public var min: Double? { values.filter(\.isFinite).min() }
    public var max: Double? { values.filter(\.isFinite).max() }
}

