import Foundation

/// The published variant a metric value follows, shown to readers next to the number.
public struct Variant: Codable, Hashable, Sendable {
    /// Stable machine id, e.g. `"bleu4.corpus.sacrebleu-exp"` (cache keys, JSON, CSV columns).
    public var id: String
    /// Human label, e.g. `"BLEU-4 corpus, sacrebleu exp smoothing, tokenize=none"`.
    public var label: String
    /// Where the definition comes from, e.g. `"Post 2018, sacrebleu 2.6.0"`.
    public var source: String

    public init(id: String, label: String, source: String) {
        self.id = id
        self.label = label
        self.source = source
    }
}

/// Length bucket of the *source* sentence (whitespace tokens) used to break text metrics down.
/// Sentences longer than 30 tokens go to `.over30`, reported as their own bucket and included in `.all`.
public enum SourceLengthBucket: String, CaseIterable, Codable, Comparable, Sendable {
    case upTo10 = "≤10", from11To20 = "11–20", from21To30 = "21–30", over30 = ">30", all = "all"

    /// The bucket of a sentence of `length` tokens (never `.all`; length 0 is `.upTo10`).
    public init(length: Int) {
        switch length {
        case ...10: self = .upTo10
        case 11...20: self = .from11To20
        case 21...30: self = .from21To30
        default: self = .over30
        }
    }

    /// The four length buckets, without `.all`.
    public static let lengthBuckets: [SourceLengthBucket] = [.upTo10, .from11To20, .from21To30, .over30]

    private var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (a: Self, b: Self) -> Bool { a.order < b.order }
}

/// One metric value with its variant label, as `vaescope metrics` and the site show it.
public struct MetricValue: Codable, Hashable, Sendable {
    /// Short name: "BLEU-4", "ROUGE-L F1", "AU", "LogDetCov", "MI" …
    public var name: String
    public var variant: Variant
    /// Source-length bucket for text metrics; nil for metrics without buckets.
    public var bucket: SourceLengthBucket?
    /// The value; nil when undefined (the note says why), never NaN.
    public var value: Double?
    /// Why a value is missing, or how it was obtained ("singular covariance", "sampled 1000000 pairs, seed 0").
    public var note: String?
    /// How many sentences (or rows) the value is computed over.
    public var count: Int?

    public init(name: String, variant: Variant, bucket: SourceLengthBucket? = nil, value: Double?,
                note: String? = nil, count: Int? = nil) {
        self.name = name
        self.variant = variant
        self.bucket = bucket
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
        self.note = value.map { $0.isFinite ? note : (note ?? "not finite") } ?? note
        self.count = count
    }
}

/// Errors of the Metrics module: inputs whose shapes or values cannot be measured.
public enum MetricsError: LocalizedError, Equatable, Sendable {
    /// Array sizes that do not agree; the message names the arrays and the sizes.
    case shape(String)
    /// A NaN or infinity in an input array.
    case nonFinite(String)

    public var errorDescription: String? {
        switch self {
        case .shape(let what): return "metrics: shape mismatch: \(what)"
        case .nonFinite(let what): return "metrics: non-finite input: \(what) (check the run's saved latents)"
        }
    }
}
