/// The 64-bit FNV-1a hash (Fowler, Noll, Vo; http://www.isthe.com/chongo/tech/comp/fnv/):
/// h₀ = 14695981039346656037 (offset basis), then for every byte b: h = (h XOR b) · 1099511628211 mod 2⁶⁴.
///
/// Not cryptographic, but stable across platforms and Swift versions (unlike `Hasher`, which is seeded per
/// process), which is what identifying a corpus in the run store and splitting sentences deterministically
/// need. The hash of no bytes is the offset basis.
public struct FNV1a64: Sendable, Equatable {
    public static let offsetBasis: UInt64 = 14_695_981_039_346_656_037
    public static let prime: UInt64 = 1_099_511_628_211

    public private(set) var value: UInt64

    public init() { value = Self.offsetBasis }

    /// Folds `bytes` into the hash, in order.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        var h = value
        for b in bytes {
            h ^= UInt64(b)
            h = h &* Self.prime
        }
        value = h
    }

    /// Folds the UTF-8 bytes of `string` into the hash.
    public mutating func update(_ string: String) { update(string.utf8) }

    /// The hash of the UTF-8 bytes of `string`.
    public static func hash(_ string: String) -> UInt64 {
        var h = FNV1a64()
        h.update(string.utf8)
        return h.value
    }

    /// `value` as 16 lower-case hexadecimal digits.
    public var hex: String { Self.hex(value) }

    /// `value` as 16 lower-case hexadecimal digits, zero-padded.
    public static func hex(_ value: UInt64) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
