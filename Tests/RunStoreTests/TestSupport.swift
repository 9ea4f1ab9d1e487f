import Foundation
import XCTest
@testable import RunStore

/// A fresh temporary directory per test, removed at the end.
final class TempDir {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "vaescope-runstore-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Asserts that `body` throws exactly `expected`, and that its message is one line naming `mentions`.
func assertThrows<T>(_ expected: RunStoreError, mentions: String? = nil, file: StaticString = #filePath, line: UInt = #line,
                     _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected \(expected), nothing thrown", file: file, line: line)
    } catch let error as RunStoreError {
        XCTAssertEqual(error, expected, file: file, line: line)
        let message = error.localizedDescription
        XCTAssertFalse(message.contains("\n"), "message is not one line: \(message)", file: file, line: line)
        if let mentions { XCTAssertTrue(message.contains(mentions), "'\(message)' does not name \(mentions)", file: file, line: line) }
    } catch {
        XCTFail("expected \(expected), got \(error)", file: file, line: line)
    }
}

/// Deterministic floats for fixtures.
func ramp(_ n: Int, scale: Float = 0.01, offset: Float = 0) -> [Float] {
    (0..<n).map { Float($0) * scale + offset }
}

extension LatentSet {
    static func fixture(n: Int, d: Int, s: Int, h: Int) -> LatentSet {
        LatentSet(count: n, latentSize: d, samples: s, featureSize: h, mu: ramp(n * d), logVariance: ramp(n * d, scale: -0.02),
                  z: ramp(s * n * d, scale: 0.003, offset: -1), features: ramp(n * h, scale: 0.5))
    }
}
