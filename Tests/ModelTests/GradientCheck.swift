import XCTest
@testable import Model
@testable import Tensor

/// Central finite differences in float64 against an analytic gradient; failures name the tensor.
/// rel err of an element = |a − n| / max(|a| + |n|, floor).
func checkGradient(_ name: String, values: UnsafeMutablePointer<Double>, count: Int, analytic: [Double],
                   indices: [Int]? = nil, step h: Double = 1e-5, tolerance: Double = 1e-5, floor: Double = 1e-7,
                   loss: () -> Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(analytic.count, count, "\(name): gradient size", file: file, line: line)
    var worst = 0.0
    var worstIndex = -1
    var numericAtWorst = 0.0
    for i in indices ?? Array(0..<count) {
        let saved = values[i]
        values[i] = saved + h
        let plus = loss()
        values[i] = saved - h
        let minus = loss()
        values[i] = saved
        let numeric = (plus - minus) / (2 * h)
        let err = abs(analytic[i] - numeric) / max(abs(analytic[i]) + abs(numeric), floor)
        if err > worst {
            worst = err
            worstIndex = i
            numericAtWorst = numeric
        }
    }
    let detail = worstIndex >= 0 ? " at [\(worstIndex)] analytic \(analytic[worstIndex]) numeric \(numericAtWorst)" : ""
    XCTAssertLessThan(worst, tolerance, "\(name) max rel err \(worst)\(detail)", file: file, line: line)
}

/// A deterministic pseudo-random array in [−scale, scale].
func randomArray(_ count: Int, seed: UInt64, scale: Double = 1) -> [Double] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in rng.nextUniform(in: -scale, scale) }
}

/// Indices to probe: all when small, else an evenly spread subset including the ends.
func probeIndices(_ count: Int, limit: Int = 60) -> [Int] {
    if count <= limit { return Array(0..<count) }
    return (0..<limit).map { $0 * (count - 1) / (limit - 1) }
}
