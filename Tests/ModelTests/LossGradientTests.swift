import XCTest
@testable import Model
@testable import Tensor

/// Finite-difference checks (float64) of the whole loss, for every pooling, cell and objective.
final class LossGradientTests: XCTestCase {
    static let sentences: [[Int32]] = [[4, 5, 6], [7], [8, 9, 4, 5], [6, 6]]

    static func config(pooling: VAEConfig.Pooling = .last, cell: VAEConfig.Cell = .lstm) -> VAEConfig {
        var c = VAEConfig()
        c.vocabularySize = 10
        c.embeddingSize = 4
        c.encoderHiddenSize = 5
        c.decoderHiddenSize = 5
        c.latentSize = 3
        c.pooling = pooling
        c.encoderCell = cell
        c.decoderCell = VAEConfig.DecoderCell(rawValue: cell.rawValue)!
        c.initScale = 0.5
        return c
    }

    static func objective(_ edit: (inout ObjectiveConfig) -> Void = { _ in }) -> ObjectiveConfig {
        var o = ObjectiveConfig()
        o.annealSteps = 10
        o.beta0 = 0.2
        edit(&o)
        return o
    }

    /// Checks every parameter of the model (up to 40 probed elements each).
    func checkLoss(_ label: String, config: VAEConfig, objective: ObjectiveConfig, step: Int = 3,
                   file: StaticString = #filePath, line: UInt = #line) {
        let model = SequenceVAEOf<Double>(config: config, seed: 5)
        func loss() -> Double {
            var rng = SplitMix64(seed: 99)
            return model.forward(Self.sentences, objective: objective, step: step, rng: &rng, training: true).loss
        }
        model.zeroGradients()
        var rng = SplitMix64(seed: 99)
        let stats = model.trainStep(Self.sentences, objective: objective, step: step, rng: &rng)
        XCTAssertTrue(stats.loss.isFinite, "\(label): loss \(stats.loss)", file: file, line: line)
        for p in model.parameters {
            checkGradient("\(label): \(p.name)", values: p.valuePointer, count: p.count, analytic: p.grad,
                          indices: probeIndices(p.count, limit: 40), tolerance: 1e-4, floor: 1e-5, loss: loss,
                          file: file, line: line)
        }
    }

    func testEveryPoolingELBO() {
        for pooling in VAEConfig.Pooling.allCases {
            checkLoss("elbo/\(pooling)", config: Self.config(pooling: pooling), objective: Self.objective())
            var wordsOnly = Self.config(pooling: pooling)
            wordsOnly.encoderReadsBoundaries = false
            checkLoss("elbo/\(pooling)/words-only", config: wordsOnly, objective: Self.objective())
        }
    }

    func testGRUAndInitialState() {
        var c = Self.config(pooling: .mean, cell: .gru)
        c.latentInitializesDecoder = true
        checkLoss("gru+h0", config: c, objective: Self.objective())
        var l = Self.config(pooling: .max)
        l.latentInitializesDecoder = true
        l.latentAtEveryStep = false
        checkLoss("lstm h0 only", config: l, objective: Self.objective())
    }

    /// He et al. 2019's architecture: separate embeddings, c₀ = z·W, h₀ = tanh(c₀), heads and output without bias,
    /// every parameter initialised (biases too); with dropout on the decoder's inputs and outputs.
    func testHe2019Architecture() {
        for cell in VAEConfig.Cell.allCases {
            var c = Self.config(pooling: .last, cell: cell)
            c.separateEmbeddings = true
            c.latentInitializesDecoder = true
            c.latentInitialState = .cellTanh
            c.latentHeadBias = false
            c.outputBias = false
            c.initBiases = true
            c.embeddingInitScale = 0.3
            checkLoss("he2019/\(cell)", config: c, objective: Self.objective {
                $0.decoderInputDropout = 0.5
                $0.decoderOutputDropout = 0.5
            })
        }
    }

    /// The gated convolutional decoder (Prokhorov et al. 2019): two residual GLU bottleneck blocks, causal width 3
    /// here (sentences up to 5 decoder steps, so every tap is exercised and a position reads at most 3 inputs
    /// back), alone, with SkipVAE, with the decoder dropouts, and as a language model.
    func testCNNDecoder() {
        var c = Self.config(pooling: .max)
        c.decoderCell = .cnn
        c.decoderHiddenSize = 8
        c.convolutionWidth = 3
        checkLoss("cnn", config: c, objective: Self.objective())
        c.convolutionWidth = 7   // wider than any sentence: taps beyond T are skipped
        checkLoss("cnn, width 7", config: c, objective: Self.objective())
        c.convolutionWidth = 3
        c.latentToOutput = true
        c.separateEmbeddings = true
        checkLoss("cnn + skip + dropout", config: c, objective: Self.objective {
            $0.decoderInputDropout = 0.5
            $0.decoderOutputDropout = 0.3
            $0.wordDropout = 0.3
        })
        c.languageModelOnly = true
        checkLoss("cnn lm", config: c, objective: Self.objective())
    }

    /// SkipVAE (Dieng et al. 2019): z·W_zo added to every step's logits.
    func testSkipVAE() {
        var c = Self.config(pooling: .max)
        c.latentToOutput = true
        checkLoss("skip", config: c, objective: Self.objective())
        c.latentAtEveryStep = false
        c.latentInitializesDecoder = true
        c.latentInitialState = .cellTanh
        checkLoss("skip, z only in c0 and the output", config: c, objective: Self.objective())
    }

    func testLanguageModelBaseline() {
        var c = Self.config()
        c.languageModelOnly = true
        checkLoss("lm", config: c, objective: Self.objective())
    }

    func testKLTargetBothSides() {
        let c = Self.config(pooling: .absMax)
        let kl = currentKL(c)
        for factor in [0.5, 2.0] {
            let o = Self.objective {
                $0.kind = .klTarget
                $0.klTarget = kl * factor
                $0.klTargetWarmupSteps = 0
                $0.betaSchedule = .constant
                $0.beta = 1
            }
            checkLoss("klTarget C=\(factor)·KL", config: c, objective: o)
        }
    }

    func testFreeBits() {
        let c = Self.config(pooling: .mean)
        var probe = StepStats()
        let model = SequenceVAEOf<Double>(config: c, seed: 5)
        var rng = SplitMix64(seed: 99)
        probe = model.forward(Self.sentences, objective: Self.objective(), step: 3, rng: &rng, training: true)
        let sorted = probe.klPerDimension.sorted()
        let lambda = (sorted[0] + sorted[1]) / 2  // one dimension below λ, two above
        checkLoss("freeBits perDimension", config: c, objective: Self.objective {
            $0.freeBits = lambda
            $0.freeBitsMode = .perDimension
        })
        checkLoss("freeBits perSentence", config: c, objective: Self.objective {
            $0.freeBits = probe.kl
            $0.freeBitsMode = .perSentence
        })
    }

    func testWordDropoutAndCosineAndCyclical() {
        checkLoss("wordDropout+cosine", config: Self.config(pooling: .max), objective: Self.objective {
            $0.wordDropout = 0.4
            $0.cosineRegularizer = 0.8
            $0.betaSchedule = .cyclical
        })
    }

    func testDecoderDropoutInAndOut() {
        checkLoss("decoderDropout in+out", config: Self.config(pooling: .max), objective: Self.objective {
            $0.decoderInputDropout = 0.5
            $0.decoderOutputDropout = 0.3
        })
        var z0 = Self.config(pooling: .last)
        z0.latentInitializesDecoder = true
        checkLoss("decoderDropout out + h0", config: z0, objective: Self.objective { $0.decoderOutputDropout = 0.5 })
    }

    func testDecoderDropoutMasksAreInvertedAndOnlyInTraining() {
        let model = SequenceVAEOf<Double>(config: Self.config(), seed: 5)
        let objective = Self.objective {
            $0.decoderInputDropout = 0.5
            $0.decoderOutputDropout = 0.5
        }
        var rng = SplitMix64(seed: 1)
        let train = model.forward(Self.sentences, objective: objective, step: 3, rng: &rng, training: true)
        let mask = (0..<model.outputDropoutMask.count).map { model.outputDropoutMask[$0] }
        XCTAssertEqual(Set(mask), [0, 2], "kept units are scaled by 1/(1 − p)")
        let dropped = Double(mask.filter { $0 == 0 }.count) / Double(mask.count)
        XCTAssertEqual(dropped, 0.5, accuracy: 0.15)
        // Evaluation applies no dropout: the same loss as with both rates at 0.
        var r1 = SplitMix64(seed: 1), r2 = SplitMix64(seed: 1)
        let evalWith = model.forward(Self.sentences, objective: objective, step: 3, rng: &r1, training: false)
        let evalWithout = model.forward(Self.sentences, objective: Self.objective(), step: 3, rng: &r2, training: false)
        XCTAssertEqual(evalWith.loss, evalWithout.loss)
        XCTAssertNotEqual(train.reconstruction, evalWith.reconstruction)
    }

    private func currentKL(_ c: VAEConfig) -> Double {
        let model = SequenceVAEOf<Double>(config: c, seed: 5)
        var rng = SplitMix64(seed: 99)
        return model.forward(Self.sentences, objective: Self.objective(), step: 3, rng: &rng, training: true).kl
    }
}
