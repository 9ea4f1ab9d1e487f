import Corpus
import Foundation
import Model
import RunStore
import Tensor
import XCTest
@testable import Evaluation
@testable import Training

final class MemorisationTests: XCTestCase {
    /// End to end through the trainer: 8 sentences are memorised (greedy decoding from z = μ of the best
    /// checkpoint reproduces ≥ 95% of the tokens, position by position, <eos> included).
    func testTinyCorpusIsMemorised() throws {
        let sentences = TinyCorpus.sentences(6, seed: 11)
        let corpus = try TinyCorpus.write(lines: Array(repeating: sentences, count: 4).flatMap { $0 }, validLines: sentences)
        let db = TinyCorpus.database()
        var c = TinyCorpus.config(epochs: 100)
        c.embeddingSize = 16
        c.encoderHiddenSize = 32
        c.decoderHiddenSize = 32
        c.latentSize = 8
        c.learningRate = 0.03
        c.batchSize = 24
        c.betaSchedule = .constant
        c.beta = 0.01
        c.logEvery = 50
        var model: SequenceVAE?
        var loaded: Corpus?
        let hooks = TrainHooks(evaluate: { context in
            model = context.model
            loaded = context.corpus
            return ""
        })
        c.evaluateAtEnd = true
        _ = try Trainer.train(TrainRequest(name: "mem", databasePath: db, corpusDirectory: corpus, config: c), hooks: hooks)
        let vae = try XCTUnwrap(model), vocabulary = try XCTUnwrap(loaded).vocabulary
        let ids = sentences.map { vocabulary.encode($0.split(separator: " ").map(String.init)) }
        let encoding = vae.encode(ids)
        var rng = SplitMix64(seed: 0)
        let decoded = vae.decode(z: encoding.mu, count: ids.count, scheme: .greedy, maxLength: 12, rng: &rng)
        var correct = 0, total = 0
        for (reference, hypothesis) in zip(ids, decoded) {
            let r = reference + [Vocabulary.eos], h = hypothesis + [Vocabulary.eos]
            for i in r.indices { total += 1; if i < h.count, h[i] == r[i] { correct += 1 } }
        }
        let accuracy = Double(correct) / Double(total)
        XCTAssertGreaterThanOrEqual(accuracy, 0.95, "greedy reconstruction accuracy \(accuracy)")
    }
}
