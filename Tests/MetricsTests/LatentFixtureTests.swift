import XCTest
@testable import Metrics

/// Against NumPy (float64) on fixed latents (Fixtures/latent.json): N = 50, d = 4 with a constant μ dimension,
/// S = 2 resamplings of z, features h 30×8 with one zero row.
final class LatentFixtureTests: XCTestCase {
    var fx: [String: Any] = [:]
    var posteriors: Posteriors!
    var resamplings: [[Float]] = []

    override func setUpWithError() throws {
        fx = try loadFixture("latent")
        posteriors = try Posteriors(mu: floats(fx["mu"]), logVar: floats(fx["logvar"]), dimension: 4)
        resamplings = try XCTUnwrap(fx["z"] as? [Any]).map(floats)
    }

    func testRateKLAndActiveUnits() {
        let kl = LatentMetrics.klPerDimension(posteriors)
        for (k, ref) in doubles(fx["kl_per_dim"]).enumerated() { assertClose(kl[k], ref, 1e-12, "KL dim \(k)") }
        assertClose(LatentMetrics.rate(posteriors), number(fx["rate"]), 1e-12, "rate")
        let au = LatentMetrics.activeUnits(mu: posteriors.mu, dimension: 4)
        XCTAssertEqual(au.count, fx["active_units"] as? Int)
        for (k, ref) in doubles(fx["variances"]).enumerated() {
            assertClose(au.variances?[k], ref, 1e-12, "Var μ dim \(k)")
        }
        XCTAssertEqual(au.variances?[3], 0, "a constant dimension has variance exactly 0")
    }

    func testLogDetCovarianceNormAndGaussianKL() throws {
        let fits = try XCTUnwrap(fx["fits"] as? [[String: Any]])
        for (s, ref) in fits.enumerated() {
            let fit = LatentMetrics.gaussianFit(z: resamplings[s], dimension: 4)
            assertClose(fit.logDet.value, number(ref["logdet"]), 1e-10, "log det S, resampling \(s)")
            assertClose(fit.meanSquaredNorm, number(ref["mean_norm2"]), 1e-12, "‖m‖², resampling \(s)")
            assertClose(fit.klToStandardNormal(dimension: 4), number(ref["kl_gauss"]), 1e-10, "Gaussian KL \(s)")
        }
        let stats = LatentMetrics.sampleStatistics(resamplings: resamplings, dimension: 4)
        let mean = fits.map { number($0["logdet"]) }.reduce(0, +) / 2
        assertClose(stats.logDetCovariance, mean, 1e-10, "LogDetCov averaged over S")
        XCTAssertNil(stats.note)
    }

    func testMutualInformationEstimators() throws {
        let mis = doubles(fx["mi_mixture"])
        for s in 0..<2 {
            assertClose(try LatentMetrics.mutualInformationMixture(posteriors, z: resamplings[s]), mis[s], 1e-10,
                        "MI full split, resampling \(s)")
        }
        assertClose(try LatentMetrics.mutualInformationMixture(posteriors, resamplings: resamplings),
                    number(fx["mi_mixture_mean"]), 1e-10, "MI averaged over S")
        assertClose(try LatentMetrics.mutualInformationMinibatch(posteriors, z: resamplings[0], batchSize: 16),
                    number(fx["mi_minibatch16"]), 1e-10, "MI minibatch 16 (He et al.)")
    }

    func testFeatureDispersion() {
        let h = floats(fx["h"])
        assertClose(Dispersion.meanPairwiseCosine(h, dimension: 8), number(fx["mean_cosine"]), 1e-12, "mean cosine")
        var g = TestGenerator(state: 0)
        let hist = Dispersion.cosineHistogram(h, dimension: 8, bins: 10, generator: &g)
        XCTAssertFalse(hist.sampled)
        XCTAssertEqual(hist.pairs, 435)
        XCTAssertEqual(hist.counts, (fx["cosine_hist10"] as? [Int]))
    }
}
