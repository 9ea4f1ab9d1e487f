/// A fast, stable 64-bit content hash (not cryptographic) for cache keys: the metrics cache's inputs hash
/// and the figures' content hashes. Words of 8 bytes are mixed with a multiply–xorshift step (as in
/// wyhash/murmur finalisers), lengths are mixed in so `[a, bc]` and `[ab, c]` differ.
public struct ContentHasher: Sendable {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    public init() {}

    private mutating func mix(_ word: UInt64) {
        state ^= word
        state = state &* 0xBF58_476D_1CE4_E5B9
        state ^= state >> 31
        state = state &* 0x94D0_49BB_1331_11EB
        state ^= state >> 29
    }

    public mutating func combine(bytes: UnsafeRawBufferPointer) {
        mix(UInt64(bytes.count))
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            mix(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        mix(tail ^ 0xFF)
    }

    public mutating func combine(_ floats: [Float]) { floats.withUnsafeBytes { combine(bytes: $0) } }
    public mutating func combine(_ doubles: [Double]) { doubles.withUnsafeBytes { combine(bytes: $0) } }
    public mutating func combine(_ int: Int) { mix(UInt64(bitPattern: Int64(int))) }
    public mutating func combine(_ string: String) {
        var s = string
        s.withUTF8 { combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// The hash as a number.
    public var value: UInt64 { state }

    /// 16 lowercase hex digits.
    public var hex: String {
        let s = String(state, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
