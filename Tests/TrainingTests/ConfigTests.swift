import Foundation
import Model
import XCTest
@testable import Evaluation
@testable import Training

final class ConfigTests: XCTestCase {
    func testOverridesSetFieldsOfEveryType() throws {
        var c = TrainConfig()
        try c.apply(overrides: ["batchSize=64", "learningRate=1e-4", "pooling=max", "latentAtEveryStep=false",
                                "seed=42", "objective=klTarget", "klTarget=3", "optimizer=sgd", "pooling=absmax"])
        XCTAssertEqual(c.batchSize, 64)
        XCTAssertEqual(c.learningRate, 1e-4)
        XCTAssertEqual(c.pooling, .absMax)   // later wins, case-insensitive choice
        XCTAssertFalse(c.latentAtEveryStep)
        XCTAssertEqual(c.seed, 42)
        XCTAssertEqual(c.objectiveConfig.kind, .klTarget)
        XCTAssertEqual(c.objectiveConfig.klTarget, 3)
        XCTAssertEqual(c.optimizer, .sgd)
    }

    func testUnknownKeySuggestsNearest() {
        var c = TrainConfig()
        XCTAssertThrowsError(try c.apply(overrides: ["learningrat=0.1"])) { error in
            XCTAssertEqual(error as? TrainingError, .unknownKey(key: "learningrat", suggestion: "learningRate"))
            XCTAssertTrue(error.localizedDescription.contains("did you mean 'learningRate'"))
        }
        XCTAssertThrowsError(try c.apply(overrides: ["batchsize"])) { error in
            XCTAssertEqual(error as? TrainingError, .malformedOverride("batchsize"))
        }
    }

    func testWrongTypeNamesKeyAndExpectedType() {
        var c = TrainConfig()
        for (pair, expected) in [("batchSize=3.5", "an integer"), ("learningRate=fast", "a number"),
                                 ("pooling=median", "one of last|mean|max|absMax"), ("evaluateAtEnd=maybe", "true or false"),
                                 ("seed=-1", "a non-negative integer")] {
            XCTAssertThrowsError(try c.apply(overrides: [pair]), pair) { error in
                let message = error.localizedDescription
                XCTAssertTrue(message.contains("'\(pair.split(separator: "=")[0])'"), message)
                XCTAssertTrue(message.contains(expected), message)
            }
        }
    }

    func testOutOfRangeValueIsRejectedByValidate() {
        XCTAssertThrowsError(try TrainConfig.resolve(overrides: ["wordDropout=1.5"])) { error in
            XCTAssertEqual(error as? TrainingError, .invalidValue(key: "wordDropout", expected: "a number in [0, 1]"))
        }
    }

    /// The CNN decoder has no initial state and takes z through its inputs: settings that would leave z out
    /// (or ask for a state) are refused, naming the key; its filter width is checked.
    func testCNNDecoderSettings() throws {
        XCTAssertNoThrow(try TrainConfig.resolve(overrides: ["decoderCell=cnn", "convolutionWidth=5"]))
        for (pair, key) in [(["decoderCell=cnn", "latentInitializesDecoder=true"], "latentInitializesDecoder"),
                            (["decoderCell=cnn", "latentAtEveryStep=false", "latentInitializesDecoder=false"], "latentAtEveryStep"),
                            (["decoderCell=cnn", "convolutionWidth=0"], "convolutionWidth"),
                            (["decoderCell=cnn", "decoderHiddenSize=3"], "decoderHiddenSize")] {
            XCTAssertThrowsError(try TrainConfig.resolve(overrides: pair), "\(pair)") { error in
                guard case .invalidValue(let k, _)? = error as? TrainingError else { return XCTFail("\(error)") }
                XCTAssertEqual(k, key)
            }
        }
        XCTAssertNoThrow(try TrainConfig.resolve(overrides: ["decoderCell=cnn", "latentAtEveryStep=false", "latentToOutput=true"]),
                         "SkipVAE's path into the output layer is enough")
    }

    func testYAMLThenSetLaterWins() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString).yaml").path
        try """
        # a comment
        pooling: max
        latentSize: 16
        objective: klTarget
        klTarget: 3
        annealSteps: 2_000
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let c = try TrainConfig.resolve(yamlFile: path, overrides: ["latentSize=8"])
        XCTAssertEqual(c.pooling, .max)
        XCTAssertEqual(c.latentSize, 8)
        XCTAssertEqual(c.objective, .klTarget)
        XCTAssertEqual(c.klTarget, 3)
        XCTAssertEqual(c.annealSteps, 2000)
    }

    func testYAMLErrorsNameFileLineAndKey() {
        var c = TrainConfig()
        XCTAssertThrowsError(try c.apply(yaml: "pooling: max\nbatchSize: many\n", source: "run.yaml")) { error in
            let message = error.localizedDescription
            XCTAssertTrue(message.contains("run.yaml:2"), message)
            XCTAssertTrue(message.contains("'batchSize' expects an integer"), message)
        }
        XCTAssertThrowsError(try c.apply(yaml: "poolng: max\n", source: "run.yaml")) { error in
            XCTAssertTrue(error.localizedDescription.contains("did you mean 'pooling'"), error.localizedDescription)
        }
        XCTAssertThrowsError(try c.apply(yaml: "- a\n- b\n", source: "run.yaml"))
        XCTAssertThrowsError(try c.apply(yaml: "pooling: [max, mean]\n", source: "run.yaml"))
    }

    /// The key table and the Codable fields must not drift apart, and every default must read back.
    func testKeyTableCoversEveryFieldAndDefaultsRoundTrip() throws {
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainConfig())) as? [String: Any]
        let fields = Set(json?.keys.map { $0 } ?? [])
        let keys = ConfigKey.all.map(\.name)
        XCTAssertEqual(Set(keys), fields)
        XCTAssertEqual(keys.count, Set(keys).count, "duplicate key")
        var c = TrainConfig()
        for key in ConfigKey.all { try key.apply(key.defaultValue, to: &c) }
        XCTAssertEqual(c, TrainConfig())
        XCTAssertTrue(ConfigKey.helpText.contains("batchSize"))
        XCTAssertTrue(ConfigKey.helpText.contains("He et al. 2019: 32"))
    }

    func testFlatConfigMapsOntoModelConfigs() throws {
        var c = TrainConfig()
        try c.apply(overrides: ["encoderCell=gru", "latentInitializesDecoder=true", "beta0=0.2", "cycles=3",
                                "freeBits=0.5", "freeBitsMode=perSentence", "cosineRegularizer=0.1"])
        let v = c.vaeConfig(vocabularySize: 123)
        XCTAssertEqual(v.vocabularySize, 123)
        XCTAssertEqual(v.encoderCell, .gru)
        XCTAssertTrue(v.latentInitializesDecoder)
        let o = c.objectiveConfig
        XCTAssertEqual(o.beta0, 0.2)
        XCTAssertEqual(o.cycles, 3)
        XCTAssertEqual(o.freeBits, 0.5)
        XCTAssertEqual(o.freeBitsMode, .perSentence)
        XCTAssertEqual(o.cosineRegularizer, 0.1)
    }

    func testStoredConfigJSONRoundTrips() throws {
        var c = TrainConfig()
        c.pooling = .mean
        c.seed = 7
        let json = try TrainingSetup.storedConfigJSON(c, corpusDirectory: "/data/ptb")
        let (back, directory) = try TrainingSetup.parseStoredConfig(json, run: "r")
        XCTAssertEqual(back, c)
        XCTAssertEqual(directory, "/data/ptb")
        XCTAssertTrue(json.contains("\"pooling\":\"mean\""))
    }

    func testStoredConfigWithoutANewerKeyReadsAsHowItWasTrained() throws {
        // A run stored before `encoderReadsBoundaries` existed was trained with the words alone.
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(TrainingSetup.storedConfigJSON(TrainConfig(), corpusDirectory: "/c").utf8)) as? [String: Any])
        object.removeValue(forKey: "encoderReadsBoundaries")
        let old = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        XCTAssertFalse(try TrainConfig.fromJSON(old).encoderReadsBoundaries)
        XCTAssertTrue(try TrainConfig.fromJSON(TrainingSetup.storedConfigJSON(TrainConfig(), corpusDirectory: "/c")).encoderReadsBoundaries, "new runs: He et al.'s layout")
        var off = TrainConfig()
        off.encoderReadsBoundaries = false
        XCTAssertEqual(try TrainConfig.fromJSON(TrainingSetup.storedConfigJSON(off, corpusDirectory: "/c")), off)
    }
}

/// The stored JSON is derived from the key table now: a configuration a run stored before reads back and writes
/// out byte for byte (this one was stored by the demo's elbo run before the table existed).
final class StoredConfigJSONTests: XCTestCase {
    func testAStoredConfigurationRoundTripsByteForByte() throws {
        let stored = "{\"aggressive\":false,\"annealEpochs\":0,\"annealSteps\":400,\"batching\":\"sorted\",\"batchSize\":32,\"beta\":1,\"beta0\":0.1,\"betaSchedule\":\"linear\",\"corpusDirectory\":\"\\/work\\/main\\/demo-output\\/corpus\",\"cosineRegularizer\":0,\"cycleRampFraction\":0.5,\"cycles\":4,\"decoderCell\":\"lstm\",\"decoderHiddenSize\":128,\"decoderInputDropout\":0,\"decoderOutputDropout\":0,\"embeddingInitScale\":0,\"embeddingSize\":64,\"encoderCell\":\"lstm\",\"encoderHiddenSize\":128,\"encoderReadsBoundaries\":true,\"epochs\":2,\"evalSplit\":\"test\",\"evaluateAtEnd\":false,\"freeBits\":0,\"freeBitsMode\":\"perDimension\",\"gradientClip\":5,\"initBiases\":false,\"initScale\":0.1,\"iwSamples\":500,\"klTarget\":15,\"klTargetWarmupSteps\":5000,\"languageModelOnly\":false,\"latentAtEveryStep\":true,\"latentHeadBias\":true,\"latentInitializesDecoder\":false,\"latentInitialState\":\"hidden\",\"latentSamples\":5,\"latentSize\":16,\"latentToOutput\":false,\"learningRate\":0.001,\"logEvery\":20,\"lrDecayFactor\":0.5,\"lrDecayMinEpoch\":0,\"lrDecayPatience\":0,\"maxLength\":20,\"maxLRDecays\":0,\"maxSteps\":0,\"minCount\":1,\"momentum\":0,\"objective\":\"elbo\",\"optimizer\":\"adam\",\"outputBias\":true,\"pooling\":\"max\",\"priorSamples\":100,\"seed\":0,\"separateEmbeddings\":false,\"skipLongLines\":true,\"threads\":1,\"validateEvery\":100,\"validationSentences\":0,\"vocabularySize\":3000,\"wordDropout\":0}"
        let (config, corpus) = try TrainingSetup.parseStoredConfig(stored, run: "demo")
        XCTAssertEqual(corpus, "/work/main/demo-output/corpus")
        // Every stored field is written back as it was (a key added since would be written too, with its value).
        let again = try TrainingSetup.storedConfigJSON(config, corpusDirectory: corpus ?? "")
        let old = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: NSObject])
        let new = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(again.utf8)) as? [String: NSObject])
        for (k, v) in old { XCTAssertEqual(new[k], v, k) }
        if new.count == old.count { XCTAssertEqual(again, stored, "byte for byte") }
        // Today's configurations: writing what was read gives the same bytes.
        var c = TrainConfig()
        c.pooling = .absMax; c.klTarget = 3.25; c.seed = 7
        let text = try TrainingSetup.storedConfigJSON(c, corpusDirectory: "/c")
        XCTAssertEqual(try TrainingSetup.storedConfigJSON(try TrainConfig.fromJSON(text), corpusDirectory: "/c"), text)
        XCTAssertEqual(config.latentSize, 16)
        XCTAssertEqual(config.model.latentSize, 16, "model settings live in the model's configuration, once")
        XCTAssertEqual(config.validateEvery, 100)
    }

    func testEveryKeyIsAStoredFieldAndEveryFieldAKey() throws {
        // Every stored field of TrainConfig (its own, then the nested model's and objective's) is a key, so none
        // goes unstored, unvalidated or missing from --help-config.
        let own = Mirror(reflecting: TrainConfig()).children.compactMap(\.label).filter { $0 != "model" && $0 != "objectiveConfig" }
        XCTAssertGreaterThan(own.count, 25)
        for f in own { XCTAssertNotNil(try? ConfigKey.named(f), "TrainConfig.\(f) has no key") }
        XCTAssertEqual(ConfigKey.all.count, Set(ConfigKey.all.map(\.name)).count, "no key twice")
        // A configuration without a key every stored run has is not one VAEScope wrote: refused, not defaulted.
        XCTAssertThrowsError(try TrainConfig.fromJSON("{\"mine\": 1}"))
        // The model's and the objective's fields are keys (their vocabularySize is the corpus's, set when built).
        let fields = Mirror(reflecting: VAEConfig()).children.compactMap(\.label).filter { $0 != "vocabularySize" }
            + Mirror(reflecting: ObjectiveConfig()).children.compactMap(\.label).map { $0 == "kind" ? "objective" : $0 }
        for f in fields { XCTAssertNotNil(try? ConfigKey.named(f), "no key for \(f)") }
    }
}
