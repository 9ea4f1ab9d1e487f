import Foundation
@_exported import struct Tensor.SplitMix64

/// The tests' one seeded generator: Tensor's SplitMix64 (Steele et al. 2014), with the two draws the chart and
/// metric tests use.
public typealias TestRNG = SplitMix64

extension SplitMix64 {
    public init(state: UInt64) { self.init(seed: state) }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { nextUniform() }

    /// Standard normal (Box–Muller, both uniforms drawn here, as the tests' data were made).
    public mutating func normal() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
