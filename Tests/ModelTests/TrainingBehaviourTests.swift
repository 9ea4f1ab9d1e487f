import XCTest
@testable import Model
@testable import Tensor

final class TrainingBehaviourTests: XCTestCase {
    static func smallConfig() -> VAEConfig {
        var c = VAEConfig()
        c.vocabularySize = 28
        c.embeddingSize = 8
        c.encoderHiddenSize = 12
        c.decoderHiddenSize = 12
        c.latentSize = 4
        c.pooling = .max
        return c
    }

    func run(steps: Int, seed: UInt64) -> [[Float]] {
        let model = SequenceVAE(config: Self.smallConfig(), seed: seed)
        var adam = Adam()
        var rng = SplitMix64(seed: seed &+ 1)
        var o = ObjectiveConfig()
        o.wordDropout = 0.2
        for step in 0..<steps {
            model.zeroGradients()
            _ = model.trainStep(MemorisationTests.corpus, objective: o, step: step, rng: &rng)
            clipGradientNorm(model.parameters, maxNorm: 1)
            adam.step(model.parameters, learningRate: 0.01)
        }
        return model.parameters.map(\.value)
    }

    func testSameSeedSameParameters() {
        let a = run(steps: 15, seed: 11), b = run(steps: 15, seed: 11), c = run(steps: 15, seed: 12)
        XCTAssertEqual(a, b, "same seed must give bit-identical parameters")
        XCTAssertNotEqual(a, c)
    }

    func testWeightsRoundTripAndErrors() throws {
        let a = SequenceVAE(config: Self.smallConfig(), seed: 1)
        let b = SequenceVAE(config: Self.smallConfig(), seed: 2)
        let w = a.weights()
        XCTAssertEqual(Set(w.tensors.keys), Set(a.parameters.map(\.name)))
        let data = try JSONEncoder().encode(w)
        try b.load(try JSONDecoder().decode(ModelWeights.self, from: data))
        XCTAssertEqual(a.parameters.map(\.value), b.parameters.map(\.value))
        var broken = w
        broken.tensors["mu.W"] = [1, 2]
        XCTAssertThrowsError(try b.load(broken)) { XCTAssertEqual($0 as? ModelError, .shapeMismatch(name: "mu.W", expected: 48, found: 2)) }
        broken = w
        broken.tensors["output.b"] = nil
        XCTAssertThrowsError(try b.load(broken)) { XCTAssertEqual($0 as? ModelError, .missingTensor(name: "output.b")) }
    }

    func testParameterNamesAreStable() {
        var c = Self.smallConfig()
        c.encoderCell = .gru
        c.latentInitializesDecoder = true
        let names = SequenceVAE(config: c, seed: 1).parameters.map(\.name)
        XCTAssertEqual(names, ["embedding", "encoder.W_ih", "encoder.W_hh", "encoder.b_ih", "encoder.b_hh", "mu.W", "mu.b",
                               "logVariance.W", "logVariance.b", "decoder.W_ih", "decoder.W_hh", "decoder.b_ih",
                               "decoder.W_iz", "decoder.W_zh", "decoder.b_zh", "output.W", "output.b"])
    }

    func testAdamFirstStepAndClipping() throws {
        let p = Parameter(name: "w", shape: [3])
        p.value = [1, 1, 1]
        p.grad = [3, -4, 0]
        let norm = clipGradientNorm([p], maxNorm: 2.5)
        XCTAssertEqual(norm, 5, accuracy: 1e-6)
        XCTAssertEqual(p.grad, [1.5, -2, 0])
        var adam = Adam()
        adam.step([p], learningRate: 0.1)
        // First Adam step moves each coordinate by lr·sign(g) (m̂/√v̂ = g/|g|).
        XCTAssertEqual(p.value[0], 0.9, accuracy: 1e-5)
        XCTAssertEqual(p.value[1], 1.1, accuracy: 1e-5)
        XCTAssertEqual(p.value[2], 1.0, accuracy: 1e-7)
        let decoded = try JSONDecoder().decode(Adam.self, from: JSONEncoder().encode(adam))
        XCTAssertEqual(decoded, adam)
        var sgd = AnyOptimizer.sgd(SGD(momentum: 0.9))
        p.grad = [1, 1, 1]
        sgd.step([p], learningRate: 0.1)
        sgd.step([p], learningRate: 0.1)
        XCTAssertEqual(p.value[2], 1.0 - 0.1 - 0.19, accuracy: 1e-6)
    }

    func testLogLikelihoodMatchesEvaluateForLanguageModel() {
        var c = Self.smallConfig()
        c.languageModelOnly = true
        let model = SequenceVAE(config: c, seed: 4)
        var rng = SplitMix64(seed: 1)
        let stats = model.evaluate(MemorisationTests.corpus, objective: ObjectiveConfig(), step: 0, rng: &rng)
        let ll = model.logLikelihood(MemorisationTests.corpus, z: [])
        XCTAssertEqual(-ll.reduce(0, +) / Double(ll.count), stats.reconstruction, accuracy: 1e-4)
        XCTAssertEqual(stats.tokens, MemorisationTests.corpus.reduce(0) { $0 + $1.count + 1 })
    }

    func testLogLikelihoodBatchedSamplesAreIndependentOfBatching() {
        let model = SequenceVAE(config: Self.smallConfig(), seed: 4)
        var rng = SplitMix64(seed: 5)
        let K = 300  // > one 256-sentence chunk
        let sentence: [Int32] = [4, 9, 13, 5]
        var z = [Float](repeating: 0, count: K * 4)
        rng.fillNormal(&z)
        let all = model.logLikelihood(Array(repeating: sentence, count: K), z: z)
        let one = model.logLikelihood([sentence], z: Array(z[(299 * 4)..<(300 * 4)]))
        XCTAssertEqual(all.count, K)
        XCTAssertEqual(all[299], one[0], accuracy: 1e-4)
        XCTAssertTrue(all.allSatisfy { $0 < 0 && $0.isFinite })
        // Different z give different likelihoods (the decoder uses z).
        XCTAssertNotEqual(all[0], all[1])
    }
}
