import XCTest
@testable import Model
@testable import Tensor

final class MemorisationTests: XCTestCase {
    /// Eight short sentences over a 24-word vocabulary (ids 4…27).
    static let corpus: [[Int32]] = [
        [4, 5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 5, 15, 16, 17], [18, 19, 20],
        [21, 6, 22, 23, 9, 24], [25, 26, 4, 27], [12, 11, 10, 9, 8, 7, 6], [17, 20, 23, 26, 5],
    ]

    func testTinyCorpusIsMemorised() { memorise(.lstm) }

    /// Prokhorov et al. 2019's gated CNN decoder (two blocks, 64 channels, width 20) memorises it too.
    func testTinyCorpusIsMemorisedWithCNNDecoder() { memorise(.cnn) }

    func memorise(_ cell: VAEConfig.DecoderCell, file: StaticString = #filePath, line: UInt = #line) {
        var config = VAEConfig()
        config.decoderCell = cell
        config.vocabularySize = 28
        config.embeddingSize = 32
        config.encoderHiddenSize = 64
        config.decoderHiddenSize = 64
        config.latentSize = 8
        var objective = ObjectiveConfig()
        objective.betaSchedule = .constant
        objective.beta = 0.2
        let model = SequenceVAE(config: config, seed: 7)
        var adam = Adam()
        var rng = SplitMix64(seed: 1)
        var last = StepStats()
        for step in 0..<300 {
            model.zeroGradients()
            last = model.trainStep(Self.corpus, objective: objective, step: step, rng: &rng)
            clipGradientNorm(model.parameters, maxNorm: 5)
            adam.step(model.parameters, learningRate: 0.01)
        }
        let enc = model.encode(Self.corpus)
        let decoded = model.decode(z: enc.mu, count: Self.corpus.count, scheme: .greedy, maxLength: 12, rng: &rng)
        var correct = 0, total = 0
        for (ref, hyp) in zip(Self.corpus, decoded) {
            let target = ref + [SpecialToken.eos]
            let produced = hyp + [SpecialToken.eos]
            for (i, w) in target.enumerated() {
                total += 1
                if i < produced.count && produced[i] == w { correct += 1 }
            }
        }
        let accuracy = Double(correct) / Double(total)
        XCTAssertGreaterThanOrEqual(accuracy, 0.95, "\(cell): greedy reconstruction accuracy \(accuracy), last loss \(last.loss), decoded \(decoded)",
                                     file: file, line: line)
    }
}
