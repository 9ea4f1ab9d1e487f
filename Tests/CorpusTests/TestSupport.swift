import Foundation
import TestSupport
@testable import Corpus

/// A temporary directory removed at deinit.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("vaescope-corpus-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path).appendingPathComponent(name))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The shared seeded generator (TestSupport), under the name these tests use.
typealias TestGenerator = TestRNG
