import Foundation

/// The life cycle of a run. Stored as its raw value in `runs.status`.
public enum RunStatus: String, Codable, CaseIterable, Sendable {
    case running, completed, failed, diverged, interrupted
}

/// One training (or imported) run. `id` is the UUID that keeps runs apart across stores; `name` is unique
/// within one store.
public struct Run: Equatable, Sendable {
    public var id: UUID
    public var name: String
    public var status: RunStatus
    public var createdAt: Date
    public var finishedAt: Date?
    /// The full resolved configuration as JSON text (an object).
    public var config: String
    public var corpusName: String
    /// Content hash of the corpus (any stable hex digest; the trainer uses SHA-256 of the token files).
    public var corpusHash: String
    /// Stored as the signed 64-bit pattern of this value.
    public var seed: UInt64
    /// `VAEScopeVersion.current` of the tool that wrote the run (or the importer's label).
    public var toolVersion: String

    public init(id: UUID = UUID(), name: String, status: RunStatus = .running, createdAt: Date = Date(),
                finishedAt: Date? = nil, config: String = "{}", corpusName: String = "", corpusHash: String = "",
                seed: UInt64 = 0, toolVersion: String = VAEScopeVersion.current) {
        self.id = id; self.name = name; self.status = status; self.createdAt = createdAt
        self.finishedAt = finishedAt; self.config = config; self.corpusName = corpusName
        self.corpusHash = corpusHash; self.seed = seed; self.toolVersion = toolVersion
    }
}

/// One point of a scalar time series: training curves (split "train") and per-epoch evaluations
/// ("valid", "test"). A NaN value is stored as SQL NULL and read back as NaN.
public struct ScalarPoint: Equatable, Sendable {
    public var step: Int
    public var epoch: Int?
    public var split: String
    public var key: String
    public var value: Double
    public init(step: Int, epoch: Int? = nil, split: String, key: String, value: Double) {
        self.step = step; self.epoch = epoch; self.split = split; self.key = key; self.value = value
    }
    public static func == (a: ScalarPoint, b: ScalarPoint) -> Bool {
        a.step == b.step && a.epoch == b.epoch && a.split == b.split && a.key == b.key
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

/// first/last/min/max of one scalar key in one split (NaNs ignored by min/max; count includes them).
public struct ScalarSummary: Equatable, Sendable {
    public var split: String
    public var key: String
    public var count: Int
    public var firstStep: Int, lastStep: Int
    public var first: Double, last: Double
    public var min: Double, max: Double
}

/// A sentence of an evaluated split: its position, its whitespace-joined tokens, and its token count.
public struct EvaluatedSentence: Equatable, Sendable {
    public var index: Int
    public var text: String
    public var tokenCount: Int
    public init(index: Int, text: String, tokenCount: Int) {
        self.index = index; self.text = text; self.tokenCount = tokenCount
    }
}

/// The latent records of N sentences of one split, as flat row-major Float32 arrays.
/// Any of the four arrays may be empty (absent); a present one has exactly the size stated.
public struct LatentSet: Equatable, Sendable {
    /// N, the number of sentences (rows).
    public var count: Int
    /// d, the latent size (0 if neither μ, log σ² nor z is present).
    public var latentSize: Int
    /// S, the number of z samples per sentence (0 if z is absent).
    public var samples: Int
    /// H, the size of the pooled encoder feature h (0 if absent).
    public var featureSize: Int
    public var mu: [Float]           // (N, d) or empty
    public var logVariance: [Float]  // (N, d) or empty
    public var z: [Float]            // (S, N, d) or empty
    public var features: [Float]     // (N, H) or empty

    public init(count: Int, latentSize: Int, samples: Int, featureSize: Int,
                mu: [Float] = [], logVariance: [Float] = [], z: [Float] = [], features: [Float] = []) {
        self.count = count; self.latentSize = latentSize; self.samples = samples; self.featureSize = featureSize
        self.mu = mu; self.logVariance = logVariance; self.z = z; self.features = features
    }

    /// Checks that every present array has the stated size; throws `.invalidInput` naming the array.
    public func validate() throws {
        func check(_ name: String, _ a: [Float], _ expected: Int) throws {
            if !a.isEmpty && a.count != expected {
                throw RunStoreError.invalidInput(detail: "latents: \(name) has \(a.count) floats, expected \(expected)")
            }
        }
        guard count >= 0, latentSize >= 0, samples >= 0, featureSize >= 0 else {
            throw RunStoreError.invalidInput(detail: "latents: negative size")
        }
        try check("mu", mu, count * latentSize)
        try check("logvar", logVariance, count * latentSize)
        try check("z", z, samples * count * latentSize)
        try check("features", features, count * featureSize)
        if z.isEmpty && samples != 0 { throw RunStoreError.invalidInput(detail: "latents: samples = \(samples) but no z") }
    }
}

/// What a decoded text was decoded from.
public enum DecodedKind: String, Codable, CaseIterable, Sendable {
    /// Greedy (or other scheme) decoding from z = μ of source sentence `sourceIndex`.
    case reconstructionMean = "reconstruction-mean"
    /// Decoding from one sampled z ~ q(z|x) of source sentence `sourceIndex`.
    case reconstructionSample = "reconstruction-sample"
    /// Decoding from prior draw number `zIndex`.
    case priorSample = "prior-sample"
    /// Point `pointIndex` of interpolation `pairIndex` (homotopy between two prior samples).
    case interpolation
}

/// A decoding scheme as stored: `scheme` is "greedy", "top-k" or "nucleus"; `parameter` is nil, k or p.
public struct DecodingLabel: Hashable, Sendable, CustomStringConvertible {
    public var scheme: String
    public var parameter: Double?
    public init(scheme: String, parameter: Double? = nil) { self.scheme = scheme; self.parameter = parameter }
    public static let greedy = DecodingLabel(scheme: "greedy")
    public static func topK(_ k: Int) -> DecodingLabel { DecodingLabel(scheme: "top-k", parameter: Double(k)) }
    public static func nucleus(_ p: Double) -> DecodingLabel { DecodingLabel(scheme: "nucleus", parameter: p) }
    public static let knownSchemes = ["greedy", "top-k", "nucleus"]
    /// "greedy", "top-k k=5", "nucleus p=0.9".
    public var description: String {
        switch scheme {
        case "top-k": return "top-k k=\(parameter.map { String(Int($0)) } ?? "?")"
        case "nucleus": return "nucleus p=\(parameter.map { String($0) } ?? "?")"
        default: return parameter.map { "\(scheme) \($0)" } ?? scheme
        }
    }
}

/// One decoded sentence.
public struct DecodedText: Equatable, Sendable {
    public var kind: DecodedKind
    public var decoding: DecodingLabel
    /// Index of the z it came from (the source sentence for reconstructions, the prior draw for samples,
    /// the pair for interpolations).
    public var zIndex: Int
    /// For interpolations: which pair of endpoints, and the point along the path (0 … points−1).
    public var pairIndex: Int?
    public var pointIndex: Int?
    /// For reconstructions: the index of the source sentence in the split's `sentences`.
    public var sourceIndex: Int?
    public var text: String
    public init(kind: DecodedKind, decoding: DecodingLabel, zIndex: Int, pairIndex: Int? = nil,
                pointIndex: Int? = nil, sourceIndex: Int? = nil, text: String) {
        self.kind = kind; self.decoding = decoding; self.zIndex = zIndex; self.pairIndex = pairIndex
        self.pointIndex = pointIndex; self.sourceIndex = sourceIndex; self.text = text
    }
}

/// Everything needed to resume a run exactly. The blobs are opaque to the store (the trainer encodes them).
public struct Checkpoint: Equatable, Sendable {
    /// "best", "last", or any label; one checkpoint per (run, tag), saving again replaces it.
    public var tag: String
    public var step: Int
    public var epoch: Int
    public var createdAt: Date
    public var weights: Data
    public var optimizerState: Data
    public var rngState: Data
    /// Free-form JSON object (e.g. best validation ELBO, data-order position).
    public var extra: String
    public init(tag: String, step: Int, epoch: Int, createdAt: Date = Date(), weights: Data,
                optimizerState: Data, rngState: Data, extra: String = "{}") {
        self.tag = tag; self.step = step; self.epoch = epoch; self.createdAt = createdAt; self.weights = weights
        self.optimizerState = optimizerState; self.rngState = rngState; self.extra = extra
    }
}

/// A cached metric value. (run, metric, variant, split, bucket) is unique; `inputsHash` says which inputs
/// it was computed from, so a reader recomputes when the hash differs. NaN ↔ NULL.
public struct MetricValue: Equatable, Sendable {
    public var metric: String
    public var variant: String
    public var split: String
    /// Length bucket label ("all", "<=10", "11-20", "21-30") or "all".
    public var bucket: String
    public var value: Double
    public var inputsHash: String
    public init(metric: String, variant: String = "", split: String, bucket: String = "all", value: Double,
                inputsHash: String) {
        self.metric = metric; self.variant = variant; self.split = split; self.bucket = bucket
        self.value = value; self.inputsHash = inputsHash
    }
    public static func == (a: MetricValue, b: MetricValue) -> Bool {
        a.metric == b.metric && a.variant == b.variant && a.split == b.split && a.bucket == b.bucket
            && a.inputsHash == b.inputsHash && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

/// One row of an evaluation table (IW-NLL with K, an MI estimator, a probe category, …).
/// (run, split, name, variant, parameters) is unique; writing it again replaces the value. NaN ↔ NULL.
public struct ResultRow: Equatable, Sendable {
    public var split: String
    /// What is measured: "iw-nll", "perplexity", "mi", "probe-p1", …
    public var name: String
    /// Which published variant / estimator: "he2019-minibatch", "full-split", … ("" if only one).
    public var variant: String
    /// The settings and keys of the row as a JSON object text, e.g. {"K":500} or {"category":"agreement"}.
    /// Compared as text: write keys in a stable order.
    public var parameters: String
    public var value: Double
    public init(split: String, name: String, variant: String = "", parameters: String = "{}", value: Double) {
        self.split = split; self.name = name; self.variant = variant; self.parameters = parameters; self.value = value
    }
    public static func == (a: ResultRow, b: ResultRow) -> Bool {
        a.split == b.split && a.name == b.name && a.variant == b.variant && a.parameters == b.parameters
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

/// Counts of what a run holds, for `runs show` and `runs delete`.
public struct RunContents: Equatable, Sendable {
    public var scalarPoints = 0
    public var scalarKeys = 0
    /// Per split: number of evaluated sentences.
    public var sentences: [String: Int] = [:]
    /// Per split: (N, d, S, H) of the latent records.
    public var latents: [String: LatentShape] = [:]
    /// Per kind raw value: number of decoded texts.
    public var decodedTexts: [String: Int] = [:]
    public var checkpointTags: [String] = []
    public var metrics = 0
    public var results = 0
    public init() {}
}

public struct LatentShape: Equatable, Sendable {
    public var count: Int, latentSize: Int, samples: Int, featureSize: Int
    public init(count: Int, latentSize: Int, samples: Int, featureSize: Int) {
        self.count = count; self.latentSize = latentSize; self.samples = samples; self.featureSize = featureSize
    }
}
