import XCTest
@testable import Evaluation
@testable import Training

/// A tiny corpus written into a fresh temporary directory: `train` sentences over a 12-word vocabulary.
enum TinyCorpus {
    static let words = "the cat dog sat on a mat ran to house big red".split(separator: " ").map(String.init)

    static func sentences(_ count: Int, seed: UInt64) -> [String] {
        var state = seed &+ 1
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        return (0..<count).map { _ in (0..<(3 + next(5))).map { _ in words[next(words.count)] }.joined(separator: " ") }
    }

    /// Returns the directory; `lines` and `validLines` override the train and valid splits' lines.
    static func write(train: Int = 48, valid: Int = 16, test: Int = 16, lines: [String]? = nil,
                      validLines: [String]? = nil) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vaescope-training-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let splits = [("train", lines ?? sentences(train, seed: 1)), ("valid", validLines ?? sentences(valid, seed: 2)),
                      ("test", sentences(test, seed: 3))]
        for (name, s) in splits {
            try (s.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("\(name).txt"),
                                                          atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    static func database() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vaescope-training-\(UUID().uuidString).sqlite").path
    }

    /// Tiny sizes: a run of a few dozen steps takes well under a second in a debug build.
    static func config(epochs: Int = 3) -> TrainConfig {
        var c = TrainConfig()
        c.embeddingSize = 8
        c.encoderHiddenSize = 16
        c.decoderHiddenSize = 16
        c.latentSize = 4
        c.batchSize = 8
        c.epochs = epochs
        c.logEvery = 2
        c.annealSteps = 10
        c.learningRate = 0.01
        c.evaluateAtEnd = false
        return c
    }
}
