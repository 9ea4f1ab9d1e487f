import Foundation
import Tensor
import XCTest
@testable import Metrics

/// Issue 20: the full-split MI costs O(N²d); `--mi-subsample M` computes it exactly on M seeded sentences, and
/// the label says so.
final class MISubsampleTests: XCTestCase {
    func posteriors(_ n: Int, d: Int, seed: UInt64) throws -> (Posteriors, [[Float]]) {
        var rng = SplitMix64(seed: seed)
        let mu = (0..<(n * d)).map { _ in Float(rng.nextGaussian()) }
        let lv = (0..<(n * d)).map { _ in Float(rng.nextUniform(in: -2, 0)) }
        let z = (0..<(n * d)).map { i in mu[i] + exp(lv[i] / 2) * Float(rng.nextGaussian()) }
        return (try Posteriors(mu: mu, logVar: lv, dimension: d), [z])
    }

    func testSubsampleIsTheEstimatorOnTheChosenRows() throws {
        let (p, zs) = try posteriors(300, d: 3, seed: 1)
        let full = try XCTUnwrap(LatentMetrics.mutualInformationMixture(p, resamplings: zs))
        // m ≥ N is the whole split.
        XCTAssertEqual(try LatentMetrics.mutualInformationMixture(p, resamplings: zs, subsample: 300), full)
        let sub = try XCTUnwrap(LatentMetrics.mutualInformationMixture(p, resamplings: zs, subsample: 100))
        XCTAssertEqual(try LatentMetrics.mutualInformationMixture(p, resamplings: zs, subsample: 100), sub, "seeded")
        XCTAssertNotEqual(sub, full)
        // Equal to the estimator on some 100 rows of the split: recompute it on the rows the shuffle picks.
        var order = Array(0..<300)
        var rng = SplitMix64(seed: 0)
        for i in stride(from: 299, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let rows = order.prefix(100).sorted()
        func pick(_ x: [Float]) -> [Float] { rows.flatMap { x[($0 * 3)..<($0 * 3 + 3)] } }
        let direct = try LatentMetrics.mutualInformationMixture(try Posteriors(mu: pick(p.mu), logVar: pick(p.logVar), dimension: 3),
                                                                resamplings: [pick(zs[0])])
        XCTAssertEqual(sub, direct)
        XCTAssertThrowsError(try LatentMetrics.mutualInformationMixture(p, resamplings: zs, subsample: 1))
    }

    func testReportLabelsTheSubsample() throws {
        let (p, zs) = try posteriors(50, d: 2, seed: 2)
        let values = try LatentMetrics.report(p, resamplings: zs, mixtureSubsample: 20)
        let mi = try XCTUnwrap(values.first { $0.name == "MI" })
        XCTAssertEqual(mi.variant.id, "mi.full-split.subsample-20-of-50")
        XCTAssertTrue(mi.variant.label.contains("20 of 50"), mi.variant.label)
        let whole = try LatentMetrics.report(p, resamplings: zs, mixtureSubsample: 50)
        XCTAssertEqual(whole.first { $0.name == "MI" }?.variant.id, "mi.full-split")
    }
}
