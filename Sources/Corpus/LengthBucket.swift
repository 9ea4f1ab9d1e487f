/// The sentence-length buckets used in reports: ≤10, 11–20, 21–30 and >30 tokens (without <bos>/<eos>).
public enum LengthBucket: Int, CaseIterable, Codable, Comparable, Sendable {
    case upTo10, from11To20, from21To30, over30

    /// The bucket of a sentence of `length` tokens. Lengths ≤ 0 fall into `.upTo10`.
    public init(length: Int) {
        switch length {
        case ...10: self = .upTo10
        case 11...20: self = .from11To20
        case 21...30: self = .from21To30
        default: self = .over30
        }
    }

    /// The bucket of an encoded sentence.
    public init(sentence: [Int32]) { self.init(length: sentence.count) }

    /// A short label for tables and charts: "≤10", "11–20", "21–30", ">30".
    public var label: String {
        switch self {
        case .upTo10: return "≤10"
        case .from11To20: return "11–20"
        case .from21To30: return "21–30"
        case .over30: return ">30"
        }
    }

    public static func < (lhs: LengthBucket, rhs: LengthBucket) -> Bool { lhs.rawValue < rhs.rawValue }

    /// How many sentences of `lengths` fall into each bucket, in `allCases` order.
    public static func counts<Lengths: Sequence>(lengths: Lengths) -> [Int] where Lengths.Element == Int {
        var counts = [Int](repeating: 0, count: allCases.count)
        for n in lengths { counts[LengthBucket(length: n).rawValue] += 1 }
        return counts
    }

    /// How many of `sentences` fall into each bucket, in `allCases` order.
    public static func counts(_ sentences: [[Int32]]) -> [Int] { counts(lengths: sentences.lazy.map(\.count)) }
}
