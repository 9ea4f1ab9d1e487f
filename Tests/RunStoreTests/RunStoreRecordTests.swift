import Foundation
import XCTest
@testable import RunStore

/// Round trips of every record kind through a real store file.
final class RunStoreRecordTests: XCTestCase {
    func makeStore(_ dir: TempDir) throws -> (RunStore, Run) {
        let store = try RunStore(path: dir.file("runs.sqlite"))
        let run = try store.createRun(Run(name: "ptb-last", createdAt: Date(timeIntervalSince1970: 1_700_000_000.25),
                                          config: #"{"objective":{"kind":"klTarget","klTarget":15},"model":{"pooling":"max"}}"#,
                                          corpusName: "ptb", corpusHash: "abc123", seed: UInt64.max - 3))
        return (store, run)
    }

    func testRunRoundTripRenameStatusDelete() throws {
        let dir = TempDir()
        let (store, run) = try makeStore(dir)
        let back = try store.run(named: "ptb-last")
        XCTAssertEqual(back, run)
        XCTAssertEqual(back.seed, UInt64.max - 3)
        XCTAssertEqual(back.toolVersion, VAEScopeVersion.current)
        XCTAssertEqual(try store.run(named: run.id.uuidString.uppercased()).name, "ptb-last")
        XCTAssertEqual(try store.run(id: run.id)?.name, "ptb-last")

        let finished = Date(timeIntervalSince1970: 1_700_000_100.5)
        try store.setStatus(.diverged, of: run.id, finishedAt: finished)
        XCTAssertEqual(try store.run(named: "ptb-last").status, .diverged)
        XCTAssertEqual(try store.run(named: "ptb-last").finishedAt, finished)

        try store.renameRun("ptb-last", to: "ptb-last-2")
        XCTAssertEqual(try store.runs().map(\.name), ["ptb-last-2"])
        try store.appendScalars([ScalarPoint(step: 1, split: "train", key: "kl", value: 1)], to: run.id)
        try store.writeLatents(.fixture(n: 3, d: 2, s: 1, h: 2), split: "test", of: run.id)
        let deleted = try store.deleteRun(named: "ptb-last-2")
        XCTAssertEqual(deleted.scalarPoints, 1)
        XCTAssertEqual(deleted.latents["test"]?.count, 3)
        XCTAssertEqual(try store.runs(), [])
        // Cascade: a new run with the same name sees nothing of the old one.
        let again = try store.createRun(Run(name: "ptb-last-2"))
        XCTAssertEqual(try store.contents(of: again.id), RunContents())
    }

    func testScalarsRoundTripWithNaNAndSummaries() throws {
        let dir = TempDir()
        let (store, run) = try makeStore(dir)
        var points: [ScalarPoint] = []
        for step in 1...100 {
            points.append(ScalarPoint(step: step, split: "train", key: "kl", value: Double(100 - step)))
            points.append(ScalarPoint(step: step, split: "train", key: "loss", value: step == 50 ? .nan : Double(step)))
        }
        points.append(ScalarPoint(step: 100, epoch: 1, split: "valid", key: "kl", value: 2.5))
        try store.appendScalars(points, to: run.id)
        let kl = try store.scalars(of: run.id, key: "kl", split: "train")
        XCTAssertEqual(kl.count, 100)
        XCTAssertEqual(kl.first, points[0])
        let loss = try store.scalars(of: run.id, key: "loss")
        XCTAssertTrue(loss[49].value.isNaN)
        XCTAssertEqual(try store.scalars(of: run.id, split: "valid"), [points.last!])

        let summaries = try store.scalarSummaries(of: run.id)
        XCTAssertEqual(summaries.map { "\($0.split)/\($0.key)" }, ["train/kl", "train/loss", "valid/kl"])
        let s = summaries[1]
        XCTAssertEqual(s.count, 100)
        XCTAssertEqual(s.first, 1); XCTAssertEqual(s.last, 100); XCTAssertEqual(s.min, 1); XCTAssertEqual(s.max, 100)
        XCTAssertEqual(try store.lastStep(of: run.id), 100)
        XCTAssertEqual(try store.lastValue(of: run.id, key: "kl", preferring: ["valid", "train"])?.value, 2.5)
        XCTAssertEqual(try store.lastValue(of: run.id, key: "loss", preferring: ["valid", "train"])?.split, "train")
        XCTAssertEqual(try store.deleteScalars(of: run.id, afterStep: 90), 21)
        XCTAssertEqual(try store.lastStep(of: run.id), 90)
    }

    func testSentencesAndLatentsRoundTrip() throws {
        let dir = TempDir()
        let (store, run) = try makeStore(dir)
        let sentences = (0..<7).map { EvaluatedSentence(index: $0, text: "w\($0) x y", tokenCount: 3) }
        try store.writeSentences(sentences, split: "test", of: run.id)
        XCTAssertEqual(try store.sentences(split: "test", of: run.id), sentences)

        let full = LatentSet.fixture(n: 7, d: 3, s: 4, h: 5)
        try store.writeLatents(full, split: "test", of: run.id)
        XCTAssertEqual(try store.latents(split: "test", of: run.id), full)
        // z is S×N×d: element (s=2, n=5, j=1) survives the per-sentence sample-major storage.
        XCTAssertEqual(try store.latents(split: "test", of: run.id)?.z[(2 * 7 + 5) * 3 + 1], full.z[(2 * 7 + 5) * 3 + 1])

        // Absent arrays stay absent; rewriting a split replaces it.
        let partial = LatentSet(count: 2, latentSize: 3, samples: 0, featureSize: 0, mu: ramp(6))
        try store.writeLatents(partial, split: "test", of: run.id)
        XCTAssertEqual(try store.latents(split: "test", of: run.id), partial)
        XCTAssertNil(try store.latents(split: "valid", of: run.id))
        XCTAssertEqual(try store.latentSplits(of: run.id), ["test"])

        // The blob encoding is little-endian float32, as documented.
        let blob = FloatBlob.encode([1.0, -2.5])
        XCTAssertEqual([UInt8](blob), [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0])

        assertThrows(.invalidInput(detail: "latents: mu has 5 floats, expected 6")) {
            try store.writeLatents(LatentSet(count: 2, latentSize: 3, samples: 0, featureSize: 0, mu: ramp(5)),
                                   split: "test", of: run.id)
        }
    }

    func testDecodedTextsRoundTrip() throws {
        let dir = TempDir()
        let (store, run) = try makeStore(dir)
        let texts = [
            DecodedText(kind: .reconstructionMean, decoding: .greedy, zIndex: 0, sourceIndex: 0, text: "a b"),
            DecodedText(kind: .reconstructionSample, decoding: .greedy, zIndex: 1, sourceIndex: 1, text: "c"),
            DecodedText(kind: .priorSample, decoding: .topK(15), zIndex: 3, text: "d e f"),
            DecodedText(kind: .priorSample, decoding: .nucleus(0.9), zIndex: 3, text: ""),
            DecodedText(kind: .interpolation, decoding: .greedy, zIndex: 2, pairIndex: 2, pointIndex: 6, text: "g"),
        ]
        try store.appendDecodedTexts(texts, split: "test", to: run.id)
        XCTAssertEqual(try store.decodedTexts(of: run.id), texts)
        XCTAssertEqual(try store.decodedTexts(of: run.id, split: "test", kind: .priorSample), Array(texts[2...3]))
        XCTAssertEqual(texts[2].decoding.description, "top-k k=15")
        XCTAssertEqual(try store.contents(of: run.id).decodedTexts["prior-sample"], 2)
        XCTAssertEqual(try store.deleteDecodedTexts(split: "test", kind: .interpolation, of: run.id), 1)
        assertThrows(.invalidInput(detail: "decoding scheme 'beam' is not one of greedy, top-k, nucleus")) {
            try store.appendDecodedTexts([DecodedText(kind: .priorSample, decoding: DecodingLabel(scheme: "beam"),
                                                      zIndex: 0, text: "x")], split: "test", to: run.id)
        }
    }

    func testCheckpointSaveReplaceLoad() throws {
        let dir = TempDir()
        let (store, run) = try makeStore(dir)
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let first = Checkpoint(tag: "last", step: 10, epoch: 1, createdAt: date, weights: Data([1, 2, 3]),
                               optimizerState: Data([4]), rngState: Data([5, 6]), extra: #"{"bestELBO":99.5}"#)
        try store.saveCheckpoint(first, of: run.id)
        XCTAssertEqual(try store.checkpoint(tag: "last", of: run.id), first)
        var second = first
        second.step = 20; second.weights = Data(repeating: 7, count: 100_000)
        try store.saveCheckpoint(second, of: run.id)
        XCTAssertEqual(try store.checkpoint(tag: "last", of: run.id), second)
        XCTAssertNil(try store.checkpoint(tag: "best", of: run.id))
        XCTAssertEqual(try store.contents(of: run.id).checkpointTags, ["last"])
    }

    func testMetricsCacheAndResults() throws {
        let dir = TempDir()
        let (store, run) = try makeStore(dir)
        let au = MetricValue(metric: "activeUnits", variant: "burda2016", split: "test", value: 7, inputsHash: "h1")
        let singular = MetricValue(metric: "logDetCovariance", split: "test", value: .nan, inputsHash: "h1")
        try store.putMetrics([au, singular], of: run.id)
        XCTAssertEqual(try store.cachedMetric("activeUnits", variant: "burda2016", split: "test", inputsHash: "h1", of: run.id), 7)
        XCTAssertNil(try store.cachedMetric("activeUnits", variant: "burda2016", split: "test", inputsHash: "h2", of: run.id))
        XCTAssertTrue(try store.cachedMetric("logDetCovariance", split: "test", inputsHash: "h1", of: run.id)?.isNaN == true)
        var newer = au; newer.value = 8; newer.inputsHash = "h2"
        try store.putMetrics([newer], of: run.id)
        XCTAssertEqual(try store.metrics(of: run.id), [newer, singular].sorted { $0.metric < $1.metric })

        let rows = [ResultRow(split: "test", name: "iw-nll", parameters: #"{"K":500}"#, value: 101.5),
                    ResultRow(split: "test", name: "mi", variant: "full-split", value: 3.2),
                    ResultRow(split: "test", name: "mi", variant: "he2019-minibatch", value: 3.1)]
        try store.putResults(rows, of: run.id)
        try store.putResults([ResultRow(split: "test", name: "iw-nll", parameters: #"{"K":500}"#, value: 100)], of: run.id)
        let back = try store.results(of: run.id, split: "test")
        XCTAssertEqual(back.count, 3)
        XCTAssertEqual(back[0].value, 100)
        XCTAssertEqual(try store.results(of: run.id, name: "mi").map(\.variant), ["full-split", "he2019-minibatch"])
        XCTAssertEqual(try store.contents(of: run.id).results, 3)
    }
}
