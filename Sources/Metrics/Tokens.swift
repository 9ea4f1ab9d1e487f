/// Interns tokens to dense Int32 ids once, so the n-gram code never touches Strings.
/// Two tokenisations: whitespace (the run's tokens; Python `str.split()` semantics: Unicode White_Space and
/// U+001C…U+001F separate tokens) and rouge-score's default tokenizer (lower-case, every run of characters
/// outside [a-z0-9] is a separator, no stemming). Works on UTF-8 bytes with its own hash table (FNV-1a over
/// the token's bytes, open addressing), so interning costs no String allocation per token.
public struct TokenInterner: Sendable {
    private var arena: [UInt8] = []           // token bytes, concatenated
    private var starts: [Int] = [0]           // token i is arena[starts[i] ..< starts[i + 1]]
    private var slots = [Int32](repeating: -1, count: 1024)   // ids by hash, −1 empty; power-of-two size
    private var scratch: [UInt8] = []

    public init() {}

    /// Number of distinct tokens seen.
    public var count: Int { starts.count - 1 }

    /// Token strings by id.
    public var tokens: [String] {
        (0..<count).map { String(decoding: arena[starts[$0]..<starts[$0 + 1]], as: UTF8.self) }
    }

    /// The id of `token`, assigning the next one on first sight.
    public mutating func id(_ token: String) -> Int32 {
        var t = token
        return t.withUTF8 { intern($0, 0, $0.count) }
    }

    @inline(__always)
    private mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> Int32 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in start..<(start + length) { h = (h ^ UInt64(bytes[k])) &* 0x0000_0100_0000_01B3 }
        var mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            let a = starts[Int(id)], b = starts[Int(id) + 1]
            if b - a == length {
                var same = true
                for k in 0..<length where arena[a + k] != bytes[start + k] { same = false; break }
                if same { return id }
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(count)
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<(start + length)]))
        starts.append(arena.count)
        slots[slot] = id
        if count * 2 > slots.count { grow(); mask = slots.count - 1 }
        return id
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for id in 0..<count {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for k in starts[id]..<starts[id + 1] { h = (h ^ UInt64(arena[k])) &* 0x0000_0100_0000_01B3 }
            var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }

    /// Decodes the scalar starting at a non-ASCII lead byte; returns (value, byte length).
    @inline(__always)
    private static func scalar(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let lead = UInt32(b[i])
        func cont(_ k: Int) -> UInt32 { i + k < b.count ? UInt32(b[i + k]) & 0x3F : 0 }
        if lead >= 0xF0 { return ((lead & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3), 4) }
        if lead >= 0xE0 { return ((lead & 0x0F) << 12 | cont(1) << 6 | cont(2), 3) }
        if lead >= 0xC0 { return ((lead & 0x1F) << 6 | cont(1), 2) }
        return (0xFFFD, 1)
    }

    /// Python's `str.isspace()` set: Unicode White_Space plus U+001C…U+001F.
    @inline(__always)
    static func isPythonWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default: return false
        }
    }

    /// Tokens as Prokhorov et al. 2019's table script makes them: Python `text.strip().split(' ')` — outer
    /// whitespace removed, then cut at every single space, so a double space gives an empty token and an empty
    /// line gives one empty token ([""]).
    public mutating func spaceSplitTokens(_ text: String) -> [Int32] {
        let scalars = Array(text.unicodeScalars)
        var lo = 0, hi = scalars.count
        while lo < hi, Self.isPythonWhitespace(scalars[lo].value) { lo += 1 }
        while hi > lo, Self.isPythonWhitespace(scalars[hi - 1].value) { hi -= 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[lo..<hi])
        return String(view).split(separator: " ", omittingEmptySubsequences: false).map { id(String($0)) }
    }

    /// Whitespace tokens of `text` (Python `text.split()`; no token is empty).
    public mutating func whitespaceTokens(_ text: String) -> [Int32] {
        var text = text
        var out: [Int32] = []
        text.withUTF8 { b in
            var i = 0, tokenStart = -1
            while i < b.count {
                let byte = b[i]
                var width = 1, space: Bool
                if byte < 0x80 {
                    space = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) || (byte >= 0x1C && byte <= 0x1F)
                } else {
                    let (v, w) = Self.scalar(b, i)
                    width = w
                    space = Self.isPythonWhitespace(v)
                }
                if space {
                    if tokenStart >= 0 { out.append(intern(b, tokenStart, i - tokenStart)); tokenStart = -1 }
                } else if tokenStart < 0 {
                    tokenStart = i
                }
                i += width
            }
            if tokenStart >= 0 { out.append(intern(b, tokenStart, b.count - tokenStart)) }
        }
        return out
    }

    /// rouge-score 0.1.2's default tokenizer (`tokenize.tokenize`, no stemmer): `text.lower()`, then
    /// `[^a-z0-9]+` → space, split, keep `^[a-z0-9]+$`. Python's `lower()` maps two non-ASCII characters into
    /// [a-z]: U+0130 'İ' → "i" + U+0307 and U+212A KELVIN SIGN → "k"; both are reproduced. Every other non-ASCII
    /// character is a separator, as in rouge-score.
    public mutating func rougeScoreTokens(_ text: String) -> [Int32] {
        var text = text
        var out: [Int32] = []
        var buffer = scratch
        buffer.removeAll(keepingCapacity: true)
        text.withUTF8 { b in
            func flush() {
                if !buffer.isEmpty {
                    out.append(buffer.withUnsafeBufferPointer { intern($0, 0, $0.count) })
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            var i = 0
            while i < b.count {
                let byte = b[i]
                if byte < 0x80 {
                    switch byte {
                    case 0x61...0x7A, 0x30...0x39: buffer.append(byte)
                    case 0x41...0x5A: buffer.append(byte + 0x20)
                    default: flush()
                    }
                    i += 1
                } else {
                    let (v, w) = Self.scalar(b, i)
                    switch v {
                    case 0x130: buffer.append(UInt8(ascii: "i")); flush()   // 'İ'.lower() == 'i\u{307}'
                    case 0x212A: buffer.append(UInt8(ascii: "k"))            // KELVIN SIGN .lower() == 'k'
                    default: flush()
                    }
                    i += w
                }
            }
            flush()
        }
        scratch = buffer
        return out
    }
}

/// rouge-score's default tokenisation as a function of a String (see `TokenInterner.rougeScoreTokens`).
public enum RougeScoreTokenizer {
    public static func tokens(_ text: String) -> [String] {
        var interner = TokenInterner()
        let ids = interner.rougeScoreTokens(text)
        let words = interner.tokens
        return ids.map { words[Int($0)] }
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
    if count <= 48 {
        buffer.withUnsafeMutableBufferPointer { b in
            for i in 1..<max(1, count) {
                let k = b[i]
                var j = i
                while j > 0 && k < b[j - 1] { b[j] = b[j - 1]; j -= 1 }
                b[j] = k
            }
        }
    } else {
        buffer.sort()
    }
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
