import TestSupport
import XCTest
import Model
import RunStore
@testable import Evaluation
@testable import Training

final class EvaluationPartsTests: XCTestCase {
    func testMetricsMutualInformationAgreesWithTheDirectTranscription() throws {
        var rng = TestRNG(seed: 9)
        let n = 120, size = 4
        var mu: [Float] = [], logVariance: [Float] = []
        for i in 0..<n {
            for d in 0..<size {
                mu.append(Float(Gaussian.standardNormal(using: &rng)) * Float(d + 1) * 0.7 + Float(i % 5))
                logVariance.append(Float(Gaussian.standardNormal(using: &rng)) * 0.3 - 1)
            }
        }
        let q = PosteriorBatch(mu: mu, logVariance: logVariance, batchSize: n, latentSize: size)
        let z = MutualInformation.sampleRows(q, rows: 0..<n, using: &rng)
        let metrics = try Evaluator.mutualInformation(q, z: z, batchSize: 50)
        XCTAssertEqual(metrics.minibatch, MutualInformation.minibatch(q, z: z, batchSize: 50), accuracy: 1e-6)
        XCTAssertEqual(metrics.mixture, MutualInformation.mixture(q, z: z), accuracy: 1e-6)
    }

    func testSchemesParseAndRejectNonsense() throws {
        XCTAssertEqual(try EvaluationOptions.parseSchemes("greedy,top-k:5,top-k:15,nucleus:0.5,nucleus:0.9"),
                       EvaluationOptions.defaultSchemes)
        XCTAssertEqual(try EvaluationOptions.parseSchemes(" Top-K=3 , nucleus:p=1"), [.topK(3), .nucleus(1)])
        for bad in ["", "beam:4", "top-k:0", "top-k:x", "nucleus:0", "nucleus:1.5", "greedy,,"] {
            XCTAssertThrowsError(try EvaluationOptions.parseSchemes(bad), bad)
        }
        XCTAssertEqual(EvaluationOptions.label(.nucleus(0.9)), "nucleus-0.9")
        XCTAssertEqual(EvaluationOptions.label(.topK(15)), "top-k-15")
    }

    func testOptionsValidationNamesTheOption() {
        var o = EvaluationOptions()
        XCTAssertNoThrow(try o.validate())
        o.importanceSamples = 0
        XCTAssertThrowsError(try o.validate()) { error in
            XCTAssertTrue(error.localizedDescription.contains("--iw-samples"), error.localizedDescription)
        }
    }

    func testLatentSamplesAreStoredSampleMajor() {
        // N = 2 sentences, S = 3 samples, Z = 2: value = 100·i + 10·k + d.
        var samples: [Float] = []
        for i in 0..<2 { for k in 0..<3 { for d in 0..<2 { samples.append(Float(100 * i + 10 * k + d)) } } }
        let records = LatentRecords(count: 2, latentSize: 2, featureSize: 1, samplesPerSentence: 3,
                                    mu: [0, 1, 2, 3], logVariance: [0, 0, 0, 0], samples: samples, features: [5, 6])
        let set = EvaluationStore.latentSet(records)
        XCTAssertNoThrow(try set.validate())
        XCTAssertEqual(set.samples, 3)
        // (S, N, Z): sample k of sentence i at (k·N + i)·Z.
        XCTAssertEqual(Array(set.z[0..<4]), [0, 1, 100, 101])
        XCTAssertEqual(Array(set.z[8..<12]), [20, 21, 120, 121])
    }

    func testSummaryBecomesLabelledScalarsAndResultRows() {
        let summary = EvaluationSummary(
            run: "r", split: .test, step: 42, sentences: 10, tokens: 80, importanceSamples: 500, iwNLL: 90,
            iwPerplexity: 100, elbo: -95, rate: 3, distortion: 92, mutualInformationMinibatch: 2.5,
            mutualInformationBatchSize: 50, mutualInformationMixture: 2.9, activeUnits: 7,
            probe: [ProbeCategoryResult(category: "simple_agrmt", pairs: 4, p1: 0.75, p2: 0.5, p1Bar: 1, p2Bar: 0.25, identicalPairs: 0)],
            forwardCrossEntropy: [ForwardCrossEntropyResult(scheme: "greedy", sentences: 20, nll: 120, perplexity: 300,
                                                            vocabularySize: 30, unknownPercent: 2, meanLength: 9,
                                                            selfBLEU: nil)],
            seconds: 1)
        let scalars = EvaluationStore.scalars(summary)
        XCTAssertTrue(scalars.allSatisfy { $0.step == 42 && $0.split == "test" && $0.key.hasPrefix("eval.") })
        let byKey = Dictionary(uniqueKeysWithValues: scalars.map { ($0.key, $0.value) })
        XCTAssertEqual(byKey["eval.iwNLL"], 90)
        XCTAssertEqual(byKey["eval.iwSamples"], 500)
        XCTAssertEqual(byKey["eval.mi.minibatch"], 2.5)
        XCTAssertEqual(byKey["eval.mi.mixture"], 2.9)
        XCTAssertEqual(byKey["eval.probe.simple_agrmt.p2bar"], 0.25)
        XCTAssertEqual(byKey["eval.probe.simple_agrmt.identical"], 0)
        XCTAssertEqual(byKey["eval.fce.greedy.nll"], 120)
        XCTAssertNil(byKey["eval.fce.greedy.selfBLEU"], "an undefined self-BLEU is not written")
        let rows = EvaluationStore.results(summary)
        XCTAssertTrue(rows.contains(ResultRow(split: "test", name: "iw-nll", variant: "burda2016-importance-weighted",
                                              parameters: "{\"K\":500,\"N\":10}", value: 90)))
        XCTAssertTrue(rows.contains(ResultRow(split: "test", name: "mi", variant: "he2019-minibatch",
                                              parameters: "{\"N\":10,\"batchSize\":50}", value: 2.5)))
        XCTAssertTrue(rows.contains(ResultRow(split: "test", name: "mi", variant: "full-split-mixture",
                                              parameters: "{\"N\":10}", value: 2.9)))
        XCTAssertTrue(rows.contains(ResultRow(split: "test", name: "probe-p1", variant: "prokhorov2019",
                                              parameters: "{\"category\":\"simple_agrmt\",\"identicalPairs\":0,\"pairs\":4}", value: 0.75)))
        XCTAssertTrue(rows.contains { $0.name == "fce-nll" && $0.parameters == "{\"N\":20,\"corpora\":1,\"scheme\":\"greedy\"}" }, "\(rows.filter { $0.name == "fce-nll" }.map(\.parameters))")
        XCTAssertEqual(EvaluationStore.json(["b": "say \"hi\"\\", "a": 1, "B": 2]), #"{"B":2,"a":1,"b":"say \"hi\"\\"}"#)
    }
}
