import Foundation
import Tensor

/// log det of a covariance matrix, or the reason it has none.
public enum LogDetResult: Codable, Hashable, Sendable {
    case value(Double)
    /// The covariance is singular (or numerically so); `reason` says how it was detected.
    case singular(reason: String)

    public var value: Double? {
        if case .value(let v) = self { return v }
        return nil
    }
}

/// The moment-matched Gaussian N(m, S) of one set of samples z (one per sentence).
public struct GaussianFit: Codable, Hashable, Sendable {
    /// ‖m‖², the squared norm of the sample mean.
    public var meanSquaredNorm: Double
    /// tr S.
    public var trace: Double
    /// log det S (S with the N − 1 divisor).
    public var logDet: LogDetResult

    /// KL(N(m, S) ‖ N(0, I)) = ½(tr S + ‖m‖² − d − log det S); nil when S is singular.
    public func klToStandardNormal(dimension d: Int) -> Double? {
        logDet.value.map { 0.5 * (trace + meanSquaredNorm - Double(d) - $0) }
    }
}

/// LogDetCov, ‖μ‖² and the moment-matched aggregate-posterior KL averaged over S resamplings of z
/// (Prokhorov et al. 2019 §3.2).
public struct SampleStatistics: Codable, Hashable, Sendable {
    /// Mean over resamplings of log det S; nil when any resampling's covariance is singular (see `note`).
    public var logDetCovariance: Double?
    /// Mean over resamplings of ‖m‖².
    public var meanSquaredNorm: Double
    /// Mean over resamplings of ½(tr S + ‖m‖² − d − log det S); nil when log det is.
    public var aggregatePosteriorKLGaussian: Double?
    /// S, the number of resamplings averaged.
    public var resamplings: Int
    /// Why `logDetCovariance` is nil.
    public var note: String?
}

extension LatentMetrics {
    /// Relative size below which a Cholesky pivot L_kk² (against the largest variance) counts as zero: a
    /// covariance that is singular in exact arithmetic (a constant dimension, a linear dependence) factorises
    /// in floating point with pivots of order 1e-16 × max S_kk; genuine small variances (a collapsed
    /// dimension's 1e-4 next to an active dimension's 1) are far above it.
    public static let singularPivotTolerance = 1e-12

    /// The moment-matched Gaussian of samples z (N, d): mean m, covariance S with the N − 1 divisor, both in
    /// Double; log det S = 2 Σ_k log L_kk from the Cholesky factor (LAPACK `dpotrf`), never through det.
    /// Singular cases: N < 2 (no covariance), N ≤ d (rank ≤ N − 1 < d), a failed factorisation, or a pivot
    /// L_kk² ≤ `singularPivotTolerance` × max_k S_kk.
    public static func gaussianFit(z: [Float], dimension d: Int) -> GaussianFit {
        precondition(d > 0 && z.count % d == 0, "gaussianFit: \(z.count) values, dimension \(d)")
        let n = z.count / d
        let m = columnMeans(z, dimension: d)
        let msn = m.reduce(0) { $0 + $1 * $1 }
        guard n >= 2 else {
            return GaussianFit(meanSquaredNorm: msn, trace: 0, logDet: .singular(reason: "N = \(n) < 2 samples"))
        }
        // Σ_i (z_i − m)(z_i − m)ᵀ accumulated by DSYRK over blocks of 256 centred rows (kept in cache).
        let inv = 1 / Double(n - 1)
        var s = Float64LinearAlgebra.centredGram(z, rows: n, columns: d, means: m)
        for k in s.indices { s[k] *= inv }
        let diagonal = (0..<d).map { s[$0 * d + $0] }
        let trace = diagonal.reduce(0, +)
        guard n > d else {
            return GaussianFit(meanSquaredNorm: msn, trace: trace,
                               logDet: .singular(reason: "N = \(n) ≤ d = \(d): rank at most N − 1"))
        }
        switch Float64LinearAlgebra.cholesky(s, n: d) {
        case .notPositiveDefinite(let minor):
            return GaussianFit(meanSquaredNorm: msn, trace: trace,
                               logDet: .singular(reason: "not positive definite at leading minor \(minor)"))
        case .factor(let l):
            let maxVariance = diagonal.max() ?? 0
            var logDet = 0.0
            for k in 0..<d {
                let pivot = l[k * d + k]
                if pivot * pivot <= singularPivotTolerance * maxVariance || !(pivot > 0) {
                    return GaussianFit(meanSquaredNorm: msn, trace: trace,
                                       logDet: .singular(reason: "numerically singular at dimension \(k)"))
                }
                logDet += 2 * Foundation.log(pivot)
            }
            return GaussianFit(meanSquaredNorm: msn, trace: trace, logDet: .value(logDet))
        }
    }

    /// log det of the covariance (N − 1 divisor) of samples z (N, d); see `gaussianFit`.
    public static func logDetCovariance(z: [Float], dimension: Int) -> LogDetResult {
        gaussianFit(z: z, dimension: dimension).logDet
    }

    /// LogDetCov, ‖μ‖² and the moment-matched aggregate-posterior KL averaged over the S resamplings
    /// (each (N, d), one z per sentence). With S = 0 everything is nil/0 and the note says so.
    public static func sampleStatistics(resamplings: [[Float]], dimension d: Int) -> SampleStatistics {
        guard !resamplings.isEmpty else {
            return SampleStatistics(logDetCovariance: nil, meanSquaredNorm: 0, aggregatePosteriorKLGaussian: nil,
                                    resamplings: 0, note: "no samples of z")
        }
        let fits = resamplings.map { gaussianFit(z: $0, dimension: d) }
        let s = Double(fits.count)
        let msn = fits.reduce(0) { $0 + $1.meanSquaredNorm } / s
        let logDets = fits.compactMap { $0.logDet.value }
        let kls = fits.compactMap { $0.klToStandardNormal(dimension: d) }
        guard logDets.count == fits.count else {
            let reasons = fits.compactMap { fit -> String? in
                if case .singular(let r) = fit.logDet { return r }
                return nil
            }
            return SampleStatistics(logDetCovariance: nil, meanSquaredNorm: msn, aggregatePosteriorKLGaussian: nil,
                                    resamplings: fits.count,
                                    note: "singular covariance in \(reasons.count) of \(fits.count) resamplings: "
                                        + (reasons.first ?? ""))
        }
        return SampleStatistics(logDetCovariance: logDets.reduce(0, +) / s, meanSquaredNorm: msn,
                                aggregatePosteriorKLGaussian: kls.reduce(0, +) / s, resamplings: fits.count,
                                note: nil)
    }
}
