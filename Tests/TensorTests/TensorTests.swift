import XCTest
import Foundation
@testable import Tensor

final class BLASThreadsTests: XCTestCase {
    func testSetThreadsSetsTheCountAndClampsBelowOne() {
        defer { BLAS.setThreads(1) }
        BLAS.setThreads(2)
        XCTAssertEqual(BLAS.threads, 2)
        BLAS.setThreads(1)
        XCTAssertEqual(BLAS.threads, 1)
        BLAS.setThreads(0)
        XCTAssertEqual(BLAS.threads, 1, "0 or less means 1")
    }
}

final class SplitMix64Tests: XCTestCase {
    func testKnownSequenceAndCodable() throws {
        var a = SplitMix64(seed: 0)
        // Reference values of SplitMix64 with seed 0 (Vigna's splitmix64.c).
        XCTAssertEqual(a.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(a.next(), 0x6E78_9E6A_A1B9_65F4)
        let data = try JSONEncoder().encode(a)
        var b = try JSONDecoder().decode(SplitMix64.self, from: data)
        XCTAssertEqual(a.next(), b.next())
    }

    func testGaussianMoments() {
        var rng = SplitMix64(seed: 42)
        var sum = 0.0, sq = 0.0
        let n = 50_000
        for _ in 0..<n {
            let x = rng.nextGaussian()
            sum += x
            sq += x * x
        }
        XCTAssertEqual(sum / Double(n), 0, accuracy: 0.02)
        XCTAssertEqual(sq / Double(n), 1, accuracy: 0.03)
        var u = [Float](repeating: 0, count: 1000)
        rng.fillUniform(&u, low: -0.1, high: 0.1)
        XCTAssertTrue(u.allSatisfy { $0 >= -0.1 && $0 < 0.1 })
    }
}

final class FastMathTests: XCTestCase {
    func testExpSigmoidTanhAccuracy() {
        var xs = (0..<2001).map { Float($0 - 1000) / 50 }  // −20 … 20
        let reference = xs
        var e = xs
        let sum = Float.expShiftedInPlace(&e, count: e.count, shift: 1)
        var s = xs
        Float.sigmoidInPlace(&s, count: s.count)
        Float.tanhInPlace(&xs, count: xs.count)
        var total = 0.0
        for (i, x) in reference.enumerated() {
            let ex = Foundation.exp(Double(x - 1))  // the shift is subtracted in Float
            total += ex
            XCTAssertEqual(Double(e[i]), ex, accuracy: ex * 1e-6, "exp(\(x) − 1)")
            XCTAssertEqual(Double(s[i]), 1 / (1 + Foundation.exp(-Double(x))), accuracy: 1e-6, "σ(\(x))")
            XCTAssertEqual(Double(xs[i]), Foundation.tanh(Double(x)), accuracy: 1e-6, "tanh(\(x))")
        }
        XCTAssertEqual(sum, total, accuracy: total * 1e-5)
    }

    /// The eight-lane maximum and the fused Σ exp give what the scalar loops give, for every tail length.
    func testMaximumAndSumExpMatchTheScalarLoops() {
        var rng = SplitMix64(seed: 11)
        for count in [1, 2, 7, 8, 9, 15, 16, 17, 10_000] {
            var x = [Float](repeating: 0, count: count)
            rng.fillUniform(&x, low: -30, high: 5)
            var m = x[0]
            for v in 1..<count where x[v] > m { m = x[v] }
            XCTAssertEqual(Float.maximum(x, count: count), m, "count \(count)")
            var e = x
            let stored = Float.expShiftedInPlace(&e, count: count, shift: m)
            XCTAssertEqual(Float.sumExpShifted(x, count: count, shift: m), stored, accuracy: stored * 1e-6, "count \(count)")
            XCTAssertEqual(Double.maximum(x.map(Double.init), count: count), Double(m))
        }
        // The maximum wherever it sits: in a full lane block, in the tail, first.
        for position in [0, 5, 8, 12, 19] {
            var x = [Float](repeating: -1, count: 20)
            x[position] = 3
            XCTAssertEqual(Float.maximum(x, count: 20), 3, "at \(position)")
        }
        // Lanes equal the scalar exp, extremes clamped as there.
        let lanes = FastMath.exp8(SIMD8<Float>(-200, -90, -1, 0, 0.5, 10, 88, 200))
        for (i, v) in [Float(-200), -90, -1, 0, 0.5, 10, 88, 200].enumerated() { XCTAssertEqual(lanes[i], FastMath.exp(v)) }
    }

    func testExpExtremes() {
        var x: [Float] = [-200, -90, 0, 88, 200, -200, -90, 0]
        _ = Float.expShiftedInPlace(&x, count: 8, shift: 0)
        XCTAssertTrue(x.allSatisfy { $0.isFinite && $0 >= 0 })
        XCTAssertEqual(x[2], 1)
    }
}

final class GemmTests: XCTestCase {
    func testGemmAgainstNaive() {
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let m = 3, n = 4, k = 5
            let a = Matrix<Double>(rows: ta ? k : m, columns: ta ? m : k, values: (0..<(m * k)).map { Double($0) * 0.1 - 0.7 })
            let b = Matrix<Double>(rows: tb ? n : k, columns: tb ? k : n, values: (0..<(k * n)).map { Double($0 % 7) - 2.5 })
            let c = a.multiplied(by: b, transposeSelf: ta, transposeOther: tb)
            let aa = ta ? a.transposed() : a, bb = tb ? b.transposed() : b
            for i in 0..<m { for j in 0..<n {
                var s = 0.0
                for l in 0..<k { s += aa[i, l] * bb[l, j] }
                XCTAssertEqual(c[i, j], s, accuracy: 1e-12, "transposeA \(ta) transposeB \(tb) [\(i), \(j)]")
            } }
        }
    }

    func testZeroInnerDimension() {
        var c: [Float] = [5, 5]
        let a: [Float] = [1], b: [Float] = [1]
        gemm(a, b, into: &c, m: 1, n: 2, k: 0, accumulate: true)
        XCTAssertEqual(c, [5, 5])
        gemm(a, b, into: &c, m: 1, n: 2, k: 0)
        XCTAssertEqual(c, [0, 0])
    }
}
