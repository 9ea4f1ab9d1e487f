import Foundation

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
    /// Latent records of the evaluated split (nil when the run saved none).
    public var latents: LatentData?
    /// Source sentences of the evaluated split, in sentence order.
    public var sentences: [String]
    /// Decoded texts: reconstructions, prior samples, interpolations.
    public var texts: [DecodedText]

    public init(id: String, name: String, status: String, store: String = "", createdAt: String = "",
                finishedAt: String? = nil, config: [String: ConfigValue] = [:], corpus: String = "",
                scalars: [ScalarSeries] = [], latents: LatentData? = nil, sentences: [String] = [],
                texts: [DecodedText] = []) {
        self.id = id
        self.name = name
        self.status = status
        self.store = store
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.config = config
        self.corpus = corpus
        self.scalars = scalars
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

/// The latent records of one split: μ, log σ² and the pooled feature h per sentence, S samples of z.
public struct LatentData: Sendable, Equatable {
    public var split: String
    /// Sentences N and latent size d.
    public var count: Int
    public var dimension: Int
    /// (N, d) row-major.
    public var mu: [Float]
    /// (N, d) row-major.
    public var logVariance: [Float]
    /// (S, N, d): sample s of sentence n at `(s * N + n) * d`.
    public var z: [Float]
    public var samples: Int
    /// (N, H) pooled encoder features; empty when not saved.
    public var features: [Float]
    public var featureDimension: Int

    public init(split: String, count: Int, dimension: Int, mu: [Float], logVariance: [Float], z: [Float] = [],
                samples: Int = 0, features: [Float] = [], featureDimension: Int = 0) {
        self.split = split
        self.count = count
        self.dimension = dimension
        self.mu = mu
        self.logVariance = logVariance
        self.z = z
        self.samples = samples
        self.features = features
        self.featureDimension = featureDimension
    }
}

/// A decoded text: a reconstruction of sentence `source`, a prior sample, or step `step` of interpolation
/// `group`, with the decoding scheme that made it.
public struct DecodedText: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable { case reconstruction, prior, interpolation }
    public var kind: Kind
    /// "greedy", "top-k", "nucleus", … as the store names it.
    public var scheme: String
    /// "k=10", "p=0.9" or "".
    public var parameters: String
    /// For reconstructions: index of the source sentence; for interpolations: the step; else the z index.
    public var index: Int
    /// For interpolations: which interpolation (pair of endpoints) the step belongs to.
    public var group: Int
    public var text: String

    public init(kind: Kind, scheme: String, parameters: String = "", index: Int, group: Int = 0, text: String) {
        self.kind = kind
        self.scheme = scheme
        self.parameters = parameters
        self.index = index
        self.group = group
        self.text = text
    }

    /// "greedy", "top-k (k=10)".
    public var schemeLabel: String { parameters.isEmpty ? scheme : "\(scheme) (\(parameters))" }
}
