import Foundation
import XCTest
@testable import Evaluation
@testable import Training

final class BinaryCoderTests: XCTestCase {
    struct Inner: Codable, Equatable { var name: String; var values: [Float]; var t: Int? }
    enum Kind: Codable, Equatable { case a(Inner), b(Double) }
    struct Outer: Codable, Equatable {
        var tensors: [String: [Float]]
        var moments: [[Float]]
        var kinds: [Kind]
        var step: Int, seed: UInt64, flag: Bool, x: Double, missing: String?
    }

    func testRoundTripIsExact() throws {
        let value = Outer(tensors: ["w": [1.5, -0.0, .infinity, 3.25e-20], "b": []],
                          moments: [[1, 2], [3]], kinds: [.a(Inner(name: "é", values: [0.1], t: nil)), .b(.pi)],
                          step: -3, seed: .max, flag: true, x: 0.1 + 0.2, missing: nil)
        let data = try BinaryCoder.encode(value)
        XCTAssertEqual(try BinaryCoder.decode(Outer.self, from: data), value)
    }

    func testFloatsAreStoredRaw() throws {
        let floats = [Float](repeating: 0.123456, count: 10_000)
        let data = try BinaryCoder.encode(["t": floats])
        XCTAssertLessThan(data.count, 40_100)   // 4 bytes a value plus a small header
    }

    func testCorruptDataThrows() throws {
        let data = try BinaryCoder.encode(Inner(name: "x", values: [1, 2, 3], t: 1))
        XCTAssertThrowsError(try BinaryCoder.decode(Inner.self, from: data.prefix(data.count - 3)))
        XCTAssertThrowsError(try BinaryCoder.decode(Inner.self, from: Data("nope".utf8)))
    }
}
