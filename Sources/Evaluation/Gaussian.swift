import Training
import Foundation

/// Small, exact helpers for diagonal Gaussians, in Double.
public enum Gaussian {
    /// log(2π).
    public static let log2Pi = log(2.0 * Double.pi)

    /// log N(z; μ, diag(exp(logVariance))) = −½ Σ_d [log 2π + logVariance_d + (z_d − μ_d)² / exp(logVariance_d)].
    public static func logDensity<Z: Collection, M: Collection, V: Collection>(
        _ z: Z, mu: M, logVariance: V
    ) -> Double where Z.Element == Float, M.Element == Float, V.Element == Float {
        var sum = 0.0
        for ((zd, md), lv) in zip(zip(z, mu), logVariance) {
            let diff = Double(zd) - Double(md)
            let logVar = Double(lv)
            sum += log2Pi + logVar + diff * diff * exp(-logVar)
        }
        return -0.5 * sum
    }

    /// log N(z; 0, I) = −½ Σ_d [log 2π + z_d²].
    public static func standardLogDensity<Z: Collection>(_ z: Z) -> Double where Z.Element == Float {
        var sum = 0.0
        for zd in z { sum += log2Pi + Double(zd) * Double(zd) }
        return -0.5 * sum
    }

    /// One standard normal draw (Box–Muller on two uniform doubles in (0, 1]); seeded through `rng`.
    public static func standardNormal(using rng: inout some RandomNumberGenerator) -> Double {
        let u1 = 1.0 - Double.random(in: 0..<1, using: &rng)   // (0, 1]: log is finite
        let u2 = Double.random(in: 0..<1, using: &rng)
        return (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// z = μ + σ·ε for row `row` of a posterior batch, `count` times: returns (count, Z) row-major.
    public static func sample(_ posterior: PosteriorBatch, row: Int, count: Int,
                              using rng: inout some RandomNumberGenerator) -> [Float] {
        let size = posterior.latentSize
        var out = [Float](repeating: 0, count: count * size)
        let base = row * size
        for k in 0..<count {
            for d in 0..<size {
                let sigma = exp(0.5 * Double(posterior.logVariance[base + d]))
                out[k * size + d] = Float(Double(posterior.mu[base + d]) + sigma * standardNormal(using: &rng))
            }
        }
        return out
    }

    /// `count` draws z ~ N(0, I) of size `size`: (count, size) row-major.
    public static func standardSamples(count: Int, size: Int, using rng: inout some RandomNumberGenerator) -> [Float] {
        (0..<(count * size)).map { _ in Float(standardNormal(using: &rng)) }
    }
}

/// log Σ_i exp(x_i), stable: max + log Σ exp(x_i − max). Empty input gives −∞; all −∞ gives −∞.
public func logSumExp<C: Collection>(_ values: C) -> Double where C.Element == Double {
    guard let maximum = values.max(), maximum > -Double.infinity else { return -Double.infinity }
    if maximum == Double.infinity { return Double.infinity }
    var sum = 0.0
    for v in values { sum += exp(v - maximum) }
    return maximum + log(sum)
}
