import Foundation
import XCTest
@testable import Metrics

/// Hand-computed latent cases: N = 1, a constant dimension, singular covariances, closed-form values.
final class LatentMetricsTests: XCTestCase {
    func testRateClosedForm() throws {
        // KL(N(1, 1) ‖ N(0, 1)) = ½; KL(N(0, e⁻¹) ‖ N(0, 1)) = ½(e⁻¹ − 1 + 1).
        let p = try Posteriors(mu: [1, 0], logVar: [0, -1], dimension: 2)
        XCTAssertEqual(LatentMetrics.klPerDimension(p)[0], 0.5, accuracy: 1e-15)
        XCTAssertEqual(LatentMetrics.klPerDimension(p)[1], 0.5 * exp(-1.0), accuracy: 1e-7)
        XCTAssertEqual(LatentMetrics.distortion(negativeLogLikelihoods: [1, 2, 6]), 3)
        XCTAssertNil(LatentMetrics.distortion(negativeLogLikelihoods: []))
    }

    func testShapesAndNonFiniteInputsAreRejected() {
        XCTAssertThrowsError(try Posteriors(mu: [1, 2, 3], logVar: [0, 0, 0], dimension: 2))
        XCTAssertThrowsError(try Posteriors(mu: [1, 2], logVar: [0], dimension: 2))
        XCTAssertThrowsError(try Posteriors(mu: [1, .nan], logVar: [0, 0], dimension: 2)) { error in
            XCTAssertEqual(error as? MetricsError, .nonFinite("μ[0][1] = nan"))
        }
    }

    func testSingleSentence() throws {
        let p = try Posteriors(mu: [0.5, -1], logVar: [0, 0], dimension: 2)
        let au = LatentMetrics.activeUnits(mu: p.mu, dimension: 2)
        XCTAssertEqual(au.count, 0)
        XCTAssertNil(au.variances)
        guard case .singular = LatentMetrics.logDetCovariance(z: [0.1, 0.2], dimension: 2) else {
            return XCTFail("N = 1 has no covariance")
        }
        XCTAssertEqual(try LatentMetrics.mutualInformationMixture(p, z: [0.1, 0.2]), 0)
        XCTAssertNil(Dispersion.meanPairwiseCosine([1, 2], dimension: 2))
        let values = try LatentMetrics.report(p, resamplings: [[0.1, 0.2]])
        XCTAssertNil(values.first { $0.name == "AU" }?.value)
        XCTAssertNil(values.first { $0.name == "LogDetCov" }?.value)
        XCTAssertNotNil(values.first { $0.name == "LogDetCov" }?.note)
    }

    func testLogDetOfKnownCovarianceAndSingularCases() {
        // Rows (±1, 0), (0, ±2): mean 0, covariance diag(2/3, 8/3) with the N − 1 = 3 divisor.
        let z: [Float] = [1, 0, -1, 0, 0, 2, 0, -2]
        XCTAssertEqual(LatentMetrics.logDetCovariance(z: z, dimension: 2).value ?? .nan, log(16.0 / 9), accuracy: 1e-14)
        // A constant dimension.
        let constant: [Float] = [1, 5, -1, 5, 2, 5, 0, 5]
        guard case .singular = LatentMetrics.logDetCovariance(z: constant, dimension: 2) else {
            return XCTFail("constant dimension must be singular")
        }
        // Linearly dependent dimensions (z₂ = 2 z₁): numerically singular, not a huge negative number.
        let dependent: [Float] = [1, 2, -1, -2, 0.5, 1, 3, 6, -2, -4]
        guard case .singular = LatentMetrics.logDetCovariance(z: dependent, dimension: 2) else {
            return XCTFail("rank-deficient covariance must be singular")
        }
        // N ≤ d.
        guard case .singular = LatentMetrics.logDetCovariance(z: [1, 2, 3, 4, 5, 6], dimension: 3) else {
            return XCTFail("N ≤ d must be singular")
        }
        let stats = LatentMetrics.sampleStatistics(resamplings: [z, constant], dimension: 2)
        XCTAssertNil(stats.logDetCovariance)
        XCTAssertNil(stats.aggregatePosteriorKLGaussian)
        XCTAssertEqual(stats.note?.hasPrefix("singular covariance in 1 of 2"), true)
    }

    func testGaussianKLIsZeroForStandardMoments() {
        // Mean 0, covariance exactly I (N − 1 = 3): KL(N(0, I) ‖ N(0, I)) = 0.
        let s = Float(1.5.squareRoot())
        let z: [Float] = [s, 0, -s, 0, 0, s, 0, -s]
        XCTAssertEqual(LatentMetrics.gaussianFit(z: z, dimension: 2).klToStandardNormal(dimension: 2) ?? .nan, 0,
                       accuracy: 1e-7)
    }

    func testMutualInformationClosedForms() throws {
        // All posteriors equal (μ = 0.3, log σ² = −0.5): the mixture is q(z|x) itself, so the estimate is the
        // analytic negative entropy minus the sample mean of log q(z_j|x): ½ mean_j Σ_k ((z_jk − μ)²/σ² − 1).
        let p = try Posteriors(mu: [Float](repeating: 0.3, count: 20), logVar: [Float](repeating: -0.5, count: 20),
                               dimension: 2)
        let z = (0..<20).map { Float($0) / 10 - 1 }
        let expected = z.reduce(0.0) { $0 + 0.5 * (pow(Double($1) - Double(Float(0.3)), 2) / exp(-0.5) - 1) } / 10
        XCTAssertEqual(try LatentMetrics.mutualInformationMixture(p, z: z), expected, accuracy: 1e-12)
        XCTAssertEqual(try LatentMetrics.mutualInformationMinibatch(p, z: z, batchSize: 10), expected,
                       accuracy: 1e-12, "one batch of the whole split = the full-split estimator")
        // Far-apart sharp posteriors scored at their means: log N − d/2 (the mixture is its own component).
        let sharp = try Posteriors(mu: (0..<10).flatMap { [Float($0) * 100, 0] },
                                   logVar: [Float](repeating: -4, count: 20), dimension: 2)
        XCTAssertEqual(try LatentMetrics.mutualInformationMixture(sharp, z: sharp.mu), log(10.0) - 1, accuracy: 1e-9)
        XCTAssertThrowsError(try LatentMetrics.mutualInformationMixture(sharp, z: [0]))
        XCTAssertThrowsError(try LatentMetrics.mutualInformationMinibatch(sharp, z: sharp.mu, batchSize: 0))
    }

    /// The tiled GEMM + running log-sum-exp path against a direct evaluation of the definition:
    /// I = (1/N) Σ_j [−½ Σ_k (log 2π + 1 + log σ²_jk)] − (1/N) Σ_j log((1/N) Σ_i N(z_j; μ_i, σ_i²)), with tiles
    /// smaller than N (partial tiles in both directions), one tile, and a mix of near and far components.
    func testMutualInformationTiledMatchesDirectDefinition() throws {
        var g = TestGenerator(state: 7)
        func normal() -> Double {
            let u = max(Double(g.next() >> 11) / 9_007_199_254_740_992, 1e-300), v = Double(g.next() >> 11) / 9_007_199_254_740_992
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        let n = 53, d = 3
        var mu = [Float](), lv = [Float](), z = [Float]()
        for i in 0..<n {
            for k in 0..<d {
                // Dimension 0 carries signal (some components far apart), 1 is noisy, 2 is collapsed.
                let m = k == 0 ? 4 * normal() + (i % 5 == 0 ? 40 : 0) : (k == 1 ? 0.5 * normal() : 0.01 * normal())
                let l = k == 0 ? -3 + 0.2 * normal() : (k == 1 ? -0.5 : 0.01 * normal())
                mu.append(Float(m)); lv.append(Float(l))
                z.append(Float(m + exp(l / 2) * normal()))
            }
        }
        var negEntropy = 0.0, meanLogQ = 0.0
        for j in 0..<n {
            for k in 0..<d { negEntropy -= 0.5 * (log(2 * Double.pi) + 1 + Double(lv[j * d + k])) }
            var terms: [Double] = []
            for i in 0..<n {
                var t = 0.0
                for k in 0..<d {
                    let v = Double(lv[i * d + k]), diff = Double(z[j * d + k]) - Double(mu[i * d + k])
                    t -= 0.5 * (log(2 * Double.pi) + v + diff * diff / exp(v))
                }
                terms.append(t)
            }
            let top = terms.max() ?? 0
            meanLogQ += top + log(terms.reduce(0) { $0 + exp($1 - top) }) - log(Double(n))
        }
        let expected = (negEntropy - meanLogQ) / Double(n)
        let p = try Posteriors(mu: mu, logVar: lv, dimension: d)
        for (rows, components) in [(256, 2048), (8, 16), (7, 5), (1, 53), (53, 1)] {
            XCTAssertEqual(LatentMetrics.mixtureMI(p, z: z, range: 0..<n, rowTile: rows, componentTile: components),
                           expected, accuracy: 1e-10, "tiles \(rows)×\(components)")
        }
        XCTAssertEqual(try LatentMetrics.mutualInformationMixture(p, z: z), expected, accuracy: 1e-10)
        // Deterministic: the same inputs give the same bits.
        XCTAssertEqual(try LatentMetrics.mutualInformationMixture(p, z: z), try LatentMetrics.mutualInformationMixture(p, z: z))
        // The exponential used inside matches the library's to a few ulps.
        for x in stride(from: -700.0, through: 0, by: 0.37) {
            XCTAssertEqual(LatentMetrics.expNonPositive(x), exp(x), accuracy: 6e-16 * exp(x), "e^\(x)")
        }
    }

    func testCosineClosedFormAndHistograms() {
        // Orthogonal rows: every cosine 0; identical rows: 1; a zero row counts as cosine 0.
        XCTAssertEqual(Dispersion.meanPairwiseCosine([1, 0, 0, 1], dimension: 2) ?? .nan, 0, accuracy: 1e-15)
        XCTAssertEqual(Dispersion.meanPairwiseCosine([2, 2, 3, 3, 1, 1], dimension: 2) ?? .nan, 1, accuracy: 1e-15)
        XCTAssertEqual(Dispersion.meanPairwiseCosine([1, 0, 2, 0, 0, 0], dimension: 2) ?? .nan, 1.0 / 3,
                       accuracy: 1e-15)
        var g = TestGenerator(state: 0)
        let h: [Float] = (0..<200).map { Float(sin(Double($0) * 1.7)) }
        let exact = Dispersion.cosineHistogram(h, dimension: 4, bins: 8, generator: &g)
        XCTAssertFalse(exact.sampled)
        XCTAssertEqual(exact.counts.reduce(0, +), 50 * 49 / 2)
        var g1 = TestGenerator(state: 42), g2 = TestGenerator(state: 42)
        let a = Dispersion.cosineHistogram(h, dimension: 4, bins: 8, exactPairLimit: 10, sampledPairs: 5000, generator: &g1)
        let b = Dispersion.cosineHistogram(h, dimension: 4, bins: 8, exactPairLimit: 10, sampledPairs: 5000, generator: &g2)
        XCTAssertTrue(a.sampled)
        XCTAssertEqual(a, b, "same seed, same sampled histogram")
        XCTAssertEqual(a.counts.reduce(0, +), 5000)
        // The sample follows the exact distribution (loosely).
        for k in 0..<8 {
            XCTAssertEqual(Double(a.counts[k]) / 5000, Double(exact.counts[k]) / 1225, accuracy: 0.05, "bin \(k)")
        }
    }

    func testCollapseDiagnosis() throws {
        // dim 0: μ spread 1, σ² = 0.01 → signal; dim 1: μ = 0, σ² = 1 → collapsed to prior;
        // dim 2: μ = 2 constant, σ² = 0.01 → too weak; dim 3: μ spread 0.25, σ² = 1 → too noisy.
        var mu: [Float] = [], lv: [Float] = []
        for i in 0..<40 {
            let s: Float = i % 2 == 0 ? 1 : -1
            mu += [s, 0, 2, 0.5 * s]
            lv += [log(0.01), 0, log(0.01), 0]
        }
        let p = try Posteriors(mu: mu, logVar: lv, dimension: 4)
        XCTAssertEqual(LatentMetrics.diagnoseCollapse(p).map(\.state), [.signal, .collapsedToPrior, .tooWeak, .tooNoisy])
        XCTAssertEqual(LatentMetrics.activeUnits(mu: mu, dimension: 4).count, 2)
    }
}
