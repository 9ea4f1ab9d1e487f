/// SplitMix64 (Steele, Lea & Flood 2014; the generator of swift-argument-parser's examples): THE seeded
/// random number generator of VAEScope. It is passed explicitly (`inout`) to initialisation, ε draws,
/// word dropout and decoding, so the same seed gives the same run. Codable so checkpoints can store it.
public struct SplitMix64: RandomNumberGenerator, Codable, Hashable, Sendable {
    /// The whole state: one 64-bit counter.
    public var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in [low, high).
    @inlinable
    public mutating func nextUniform(in low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUniform()
    }

    /// A standard normal draw by the Box–Muller transform (one of the pair is used, so each call consumes
    /// exactly two 64-bit words: the sequence of draws does not depend on how calls are interleaved).
    /// u1 is taken in (0, 1] so log(u1) is finite.
    @inlinable
    public mutating func nextGaussian() -> Double {
        let u1 = 1.0 - nextUniform()          // (0, 1]
        let u2 = nextUniform()
        return (-2.0 * _log(u1)).squareRoot() * _cos(2.0 * Double.pi * u2)
    }

    /// Fills `values` with N(mean, std²) draws, in index order.
    public mutating func fillNormal<S: BinaryFloatingPoint>(_ values: inout [S], mean: Double = 0, std: Double = 1) {
        for i in values.indices { values[i] = S(mean + std * nextGaussian()) }
    }

    /// Fills `values` with U(low, high) draws, in index order.
    public mutating func fillUniform<S: BinaryFloatingPoint>(_ values: inout [S], low: Double, high: Double) {
        for i in values.indices { values[i] = S(nextUniform(in: low, high)) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline func _log(_ x: Double) -> Double { log(x) }
@usableFromInline func _cos(_ x: Double) -> Double { cos(x) }
