/// Interns tokens to dense Int32 ids once, so the n-gram code never touches Strings.
/// Two tokenisations: whitespace (the run's tokens; Python `str.split()` semantics) and rouge-score's default
/// tokenizer (lower-case, every run of characters outside [a-z0-9] is a separator, no stemming).
public struct TokenInterner: Sendable {
    private var ids: [String: Int32] = [:]
    /// Token strings by id.
    public private(set) var tokens: [String] = []

    public init() {}

    /// The id of `token`, assigning the next one on first sight.
    public mutating func id(_ token: String) -> Int32 {
        if let i = ids[token] { return i }
        let i = Int32(tokens.count)
        ids[token] = i
        tokens.append(token)
        return i
    }

    /// Whitespace tokens of `text` (runs of Unicode whitespace separate tokens; none is empty).
    public mutating func whitespaceTokens(_ text: String) -> [Int32] {
        text.split(whereSeparator: \.isWhitespace).map { id(String($0)) }
    }

    /// rouge-score 0.1.2's default tokenizer (`tokenize.tokenize`, no stemmer): `text.lower()`, then
    /// `[^a-z0-9]+` → space, split, keep `^[a-z0-9]+$`. Python's `lower()` maps two non-ASCII characters into
    /// [a-z]: U+0130 'İ' → "i" + U+0307 and U+212A KELVIN SIGN → "k"; both are reproduced. Every other non-ASCII
    /// character is a separator, as in rouge-score.
    public mutating func rougeScoreTokens(_ text: String) -> [Int32] {
        RougeScoreTokenizer.tokens(text).map { id($0) }
    }
}

/// rouge-score's default tokenisation as a function of a String (see `TokenInterner.rougeScoreTokens`).
public enum RougeScoreTokenizer {
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current: [UInt8] = []
        func flush() {
            if !current.isEmpty {
                out.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x61...0x7A, 0x30...0x39: current.append(UInt8(v))
            case 0x41...0x5A: current.append(UInt8(v + 0x20))
            case 0x130: current.append(UInt8(ascii: "i")); flush()   // 'İ'.lower() == 'i\u{307}'
            case 0x212A: current.append(UInt8(ascii: "k"))            // KELVIN SIGN .lower() == 'k'
            default: flush()
            }
        }
        flush()
        return out
    }
}

/// An n-gram of up to four token ids packed into two UInt64 words (32 bits per id: t0·2³² + t1 in `hi`,
/// t2·2³² + t3 in `lo`; unused slots zero). Orders are never mixed in one comparison.
struct NGramKey: Hashable, Comparable {
    var hi: UInt64
    var lo: UInt64

    @inline(__always)
    static func < (a: NGramKey, b: NGramKey) -> Bool { a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo }

    /// The n-gram of order n starting at `start` in `tokens`.
    @inline(__always)
    init(_ tokens: UnsafeBufferPointer<Int32>, _ start: Int, _ n: Int) {
        @inline(__always) func t(_ k: Int) -> UInt64 { k < n ? UInt64(UInt32(bitPattern: tokens[start + k])) : 0 }
        hi = t(0) << 32 | t(1)
        lo = t(2) << 32 | t(3)
    }
}

/// Sorted n-gram keys of one sentence, rebuilt in place (no allocation once the buffer is large enough).
@inline(__always)
func sortedNGrams(_ s: [Int32], _ n: Int, into buffer: inout [NGramKey]) {
    buffer.removeAll(keepingCapacity: true)
    let count = s.count - n + 1
    guard count > 0 else { return }
    s.withUnsafeBufferPointer { sp in
        for i in 0..<count { buffer.append(NGramKey(sp, i, n)) }
    }
    buffer.sort()
}

/// Overlap of two sorted n-gram lists: clipped multiset matches Σ_g min(c_h(g), c_r(g)), and the set sizes
/// |set(h)|, |set(r)|, |set(h) ∩ set(r)|.
struct Overlap {
    var clipped = 0, distinctHypothesis = 0, distinctReference = 0, distinctCommon = 0
}

@inline(__always)
func overlap(_ h: [NGramKey], _ r: [NGramKey]) -> Overlap {
    var o = Overlap()
    var i = 0, j = 0
    while i < h.count || j < r.count {
        if j == r.count || (i < h.count && h[i] < r[j]) {
            let k = h[i]; while i < h.count && h[i] == k { i += 1 }
            o.distinctHypothesis += 1
        } else if i == h.count || r[j] < h[i] {
            let k = r[j]; while j < r.count && r[j] == k { j += 1 }
            o.distinctReference += 1
        } else {
            let k = h[i]
            var ch = 0, cr = 0
            while i < h.count && h[i] == k { i += 1; ch += 1 }
            while j < r.count && r[j] == k { j += 1; cr += 1 }
            o.clipped += Swift.min(ch, cr)
            o.distinctHypothesis += 1
            o.distinctReference += 1
            o.distinctCommon += 1
        }
    }
    return o
}

/// Length of the longest common subsequence of two token sequences (O(|a|·|b|) time, O(|b|) memory).
func longestCommonSubsequence(_ a: [Int32], _ b: [Int32], row: inout [Int32]) -> Int {
    guard !a.isEmpty, !b.isEmpty else { return 0 }
    row.removeAll(keepingCapacity: true)
    row.append(contentsOf: repeatElement(0, count: b.count + 1))
    return row.withUnsafeMutableBufferPointer { rp in
        b.withUnsafeBufferPointer { bp in
            for x in a {
                var diagonal: Int32 = 0
                for j in 0..<bp.count {
                    let up = rp[j + 1]
                    rp[j + 1] = x == bp[j] ? diagonal + 1 : Swift.max(up, rp[j])
                    diagonal = up
                }
            }
            return Int(rp[bp.count])
        }
    }
}
