import Foundation
import TestSupport
import XCTest

/// Loads a JSON fixture written by scripts/make_metric_fixtures.py.
func loadFixture(_ name: String) throws -> [String: Any] {
    let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
                            "fixture \(name).json missing from the test bundle")
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    return try XCTUnwrap(object as? [String: Any], "\(name).json is not an object")
}

func doubles(_ any: Any?) -> [Double] { (any as? [Any] ?? []).map { ($0 as? NSNumber)?.doubleValue ?? .nan } }
func floats(_ any: Any?) -> [Float] { doubles(any).map { Float($0) } }
func number(_ any: Any?) -> Double { (any as? NSNumber)?.doubleValue ?? .nan }

/// |a − b| ≤ tol · max(1, |b|), with a message naming the quantity.
func assertClose(_ a: Double?, _ b: Double, _ tol: Double = 1e-12, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    guard let a else { return XCTFail("\(what): nil, expected \(b)", file: file, line: line) }
    XCTAssert(abs(a - b) <= tol * max(1, abs(b)), "\(what): \(a) vs reference \(b)", file: file, line: line)
}

/// The shared seeded generator (TestSupport), under the name these tests use.
typealias TestGenerator = TestRNG
