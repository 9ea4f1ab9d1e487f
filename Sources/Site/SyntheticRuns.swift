import Foundation
import Metrics
import RunStore
import Tensor

/// Synthetic runs written through the run store, for tests, benchmarks and trying the site without
/// training: seeded (Tensor.SplitMix64, the project's generator), so the same parameters always write the same rows (UUIDs are derived from the seed too).
public struct SyntheticRun: Sendable {
    public var name: String
    public var seed: UInt64
    public var pooling: String = "last"
    public var objective: String = "elbo"
    public var klTarget: Double = 0
    /// Latent dimensions that carry signal; the rest are collapsed to the prior.
    public var activeDimensions: Int = 2
    public var sentences: Int = 40
    public var latentSize: Int = 4
    public var samples: Int = 2
    public var featureSize: Int = 6
    /// Training steps logged for each of the five training keys (loss, reconstruction, kl, beta, C).
    public var steps: Int = 50
    public var epochs: Int = 5
    public var priorSamples: Int = 12
    public var schemes: [DecodingLabel] = [.greedy, .topK(5)]
    public var interpolationPairs: Int = 2
    public var interpolationPoints: Int = 7
    /// Extra text mixed into sentences (e.g. hostile markup for escaping tests).
    public var hostileText: String? = nil
    public var probe: Bool = false
    /// Also save a reconstruction from a sampled z for every sentence.
    public var reconstructionSamples: Bool = true
    public var status: RunStatus = .completed
    /// Also store the full-split MI as `vaescope eval` does (`eval.mi.mixture`, the estimator on one z per
    /// sentence: here the first saved sample), so the site reads it instead of recomputing it.
    public var storedFullSplitMI: Bool = false

    public init(name: String, seed: UInt64) {
        self.name = name
        self.seed = seed
    }
}

public enum SyntheticRuns {
    /// The project's generator with the few draws the synthetic data needs.
    typealias Generator = SplitMix64

    static let words = ["the", "a", "cat", "dog", "sat", "on", "mat", "and", "ran", "away", "from", "big", "red", "house",
                        "we", "saw", "it", "in", "rain", "old", "man", "sea", "<unk>", "N", "of", "to", "is", "was"]

    /// Writes `spec` as a new run into `store`; returns its id.
    @discardableResult
    public static func write(_ spec: SyntheticRun, to store: RunStore, split: String = "test") throws -> UUID {
        var g = Generator(seed: spec.seed)
        let uuid = UUID(uuid: uuidBytes(&g))
        let created = Date(timeIntervalSince1970: 1_790_000_000 + Double(spec.seed % 100_000))
        let config = """
            {"model": {"pooling": "\(spec.pooling)", "latentSize": \(spec.latentSize), "encoderCell": "lstm", "decoderCell": "lstm", \
            "latentAtEveryStep": true}, \
            "objective": {"kind": "\(spec.objective)", "klTarget": \(spec.klTarget), "beta": 1}}
            """
        let run = Run(id: uuid, name: spec.name, status: .running, createdAt: created, config: config,
                      corpusName: "synthetic", corpusHash: "0", seed: spec.seed)
        try store.createRun(run)
        let n = spec.sentences, d = spec.latentSize

        // Scalars: training curves every step, evaluations every epoch, eval results at the end.
        var points: [ScalarPoint] = []
        points.reserveCapacity(spec.steps * 5 + spec.epochs * 5 + 8)
        let stepsPerEpoch = max(1, spec.steps / max(1, spec.epochs))
        let finalKL = spec.objective == "klTarget" ? spec.klTarget : Double(spec.activeDimensions) * 1.5
        for s in 0..<spec.steps {
            let t = Double(s) / Double(max(1, spec.steps - 1))
            let kl = finalKL * t + 0.3 * g.normal() * 0.1 + (spec.activeDimensions == 0 ? 3 * exp(-8 * t) : 0)
            let rec = 80 - 20 * t + g.normal()
            let beta = min(1, 0.1 + t * 1.5)
            let epoch = s / stepsPerEpoch
            points.append(ScalarPoint(step: s, epoch: epoch, split: "train", key: "loss", value: rec + beta * kl))
            points.append(ScalarPoint(step: s, epoch: epoch, split: "train", key: "reconstruction", value: rec))
            points.append(ScalarPoint(step: s, epoch: epoch, split: "train", key: "kl", value: max(0, kl)))
            points.append(ScalarPoint(step: s, epoch: epoch, split: "train", key: "beta", value: beta))
            points.append(ScalarPoint(step: s, epoch: epoch, split: "train", key: "C", value: spec.klTarget * min(1, 2 * t)))
        }
        for e in 0..<spec.epochs {
            let step = (e + 1) * stepsPerEpoch - 1
            let t = Double(e + 1) / Double(spec.epochs)
            points.append(ScalarPoint(step: step, epoch: e, split: "valid", key: "kl", value: finalKL * t))
            points.append(ScalarPoint(step: step, epoch: e, split: "valid", key: "reconstruction", value: 82 - 18 * t + 0.5 * g.normal()))
            points.append(ScalarPoint(step: step, epoch: e, split: "valid", key: "mi", value: min(finalKL, log(Double(n))) * t))
            points.append(ScalarPoint(step: step, epoch: e, split: "valid", key: "active_units", value: Double(spec.activeDimensions) * t.rounded(.up)))
            points.append(ScalarPoint(step: step, epoch: e, split: "valid", key: "mean_pairwise_cosine",
                                      value: spec.pooling == "last" ? 0.9 - 0.1 * t : 0.4 - 0.2 * t))
        }
        let last = max(0, spec.steps - 1)
        points.append(ScalarPoint(step: last, split: split, key: "eval.iwNLL", value: 78 + g.normal()))
        points.append(ScalarPoint(step: last, split: split, key: "eval.distortion", value: 76 + g.normal()))
        points.append(ScalarPoint(step: last, split: split, key: "eval.elbo", value: -(80 + g.normal())))
        points.append(ScalarPoint(step: last, split: split, key: "eval.mi.minibatch", value: min(finalKL, 2.0)))
        if spec.probe {
            for c in ["agreement", "reflexives"] {
                for (m, v) in [("p1", 0.6), ("p2", 0.55), ("p1bar", 0.7), ("p2bar", 0.65), ("pairs", 40)] {
                    points.append(ScalarPoint(step: last, split: split, key: "eval.probe.\(c).\(m)", value: v + (m == "pairs" ? 0 : 0.1 * g.uniform())))
                }
            }
        }
        try store.appendScalars(points, to: uuid)

        // Sentences of the split, lengths 3…34 so every length bucket is used.
        var sentences: [EvaluatedSentence] = []
        var texts: [[String]] = []
        for i in 0..<n {
            let length = 3 + g.int(32)
            var tokens = (0..<length).map { _ in words[g.int(words.count)] }
            if let h = spec.hostileText, i % 3 == 0 { tokens.insert(h, at: 0) }
            texts.append(tokens)
            sentences.append(EvaluatedSentence(index: i, text: tokens.joined(separator: " "), tokenCount: tokens.count))
        }
        try store.writeSentences(sentences, split: split, of: uuid)

        // Latents: active dimensions spread with small σ, the others at the prior.
        var mu = [Float](repeating: 0, count: n * d), lv = [Float](repeating: 0, count: n * d)
        for i in 0..<n {
            for k in 0..<d {
                let active = k < spec.activeDimensions
                mu[i * d + k] = Float(active ? 1.5 * g.normal() : 0.01 * g.normal())
                lv[i * d + k] = Float(active ? -2 + 0.1 * g.normal() : 0.01 * g.normal())
            }
        }
        var z = [Float](repeating: 0, count: spec.samples * n * d)
        for s in 0..<spec.samples {
            for j in 0..<(n * d) { z[s * n * d + j] = mu[j] + Float(exp(Double(lv[j]) / 2) * g.normal()) }
        }
        let h = spec.featureSize
        // A shared direction dominates last-state features (high mean pairwise cosine, Long et al.'s finding);
        // pooled features spread more.
        let common = spec.pooling == "last" ? 1.2 : 0.25
        var features = [Float](repeating: 0, count: n * h)
        for i in 0..<n {
            for k in 0..<h { features[i * h + k] = Float(common + (k < 2 ? Double(mu[i * d + min(k, d - 1)]) : 0) + 0.3 * g.normal()) }
        }
        try store.writeLatents(LatentSet(count: n, latentSize: d, samples: spec.samples, featureSize: h,
                                         mu: mu, logVariance: lv, z: z, features: h > 0 ? features : []),
                               split: split, of: uuid)
        if spec.storedFullSplitMI, spec.samples > 0, n > 0, d > 0 {
            let mi = try LatentMetrics.mutualInformationMixture(try Posteriors(mu: mu, logVar: lv, dimension: d),
                                                               z: Array(z[0..<(n * d)]))
            try store.appendScalars([ScalarPoint(step: last, split: split, key: "eval.mi.mixture", value: mi)], to: uuid)
        }

        // Decoded texts.
        var decoded: [DecodedText] = []
        for i in 0..<n {
            var m = texts[i], s = texts[i]
            if !m.isEmpty { m[g.int(m.count)] = words[g.int(words.count)] }
            if !s.isEmpty { s[g.int(s.count)] = words[g.int(words.count)]; s.removeLast() }
            decoded.append(DecodedText(kind: .reconstructionMean, decoding: .greedy, zIndex: i, sourceIndex: i, text: m.joined(separator: " ")))
            if spec.reconstructionSamples {
                decoded.append(DecodedText(kind: .reconstructionSample, decoding: .greedy, zIndex: i, sourceIndex: i, text: s.joined(separator: " ")))
            }
        }
        for scheme in spec.schemes {
            for j in 0..<spec.priorSamples {
                var tokens = (0..<(4 + g.int(10))).map { _ in words[g.int(words.count)] }
                if let hostile = spec.hostileText, j == 0 { tokens.append(hostile) }
                decoded.append(DecodedText(kind: .priorSample, decoding: scheme, zIndex: j, text: tokens.joined(separator: " ")))
            }
            for p in 0..<spec.interpolationPairs {
                var current = (0..<6).map { _ in words[g.int(words.count)] }
                for q in 0..<spec.interpolationPoints {
                    if q > 0 && g.uniform() < 0.5 { current[g.int(current.count)] = words[g.int(words.count)] }
                    decoded.append(DecodedText(kind: .interpolation, decoding: scheme, zIndex: p * spec.interpolationPoints + q,
                                               pairIndex: p, pointIndex: q, text: current.joined(separator: " ")))
                }
            }
        }
        try store.appendDecodedTexts(decoded, split: split, to: uuid)
        try store.setStatus(spec.status, of: uuid, finishedAt: created.addingTimeInterval(3600))
        return uuid
    }

    static func uuidBytes(_ g: inout Generator) -> uuid_t {
        let a = g.next(), b = g.next()
        func byte(_ x: UInt64, _ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: x >> (8 * UInt64(i))) }
        return (byte(a, 0), byte(a, 1), byte(a, 2), byte(a, 3), byte(a, 4), byte(a, 5), (byte(a, 6) & 0x0F) | 0x40, byte(a, 7),
                (byte(b, 0) & 0x3F) | 0x80, byte(b, 1), byte(b, 2), byte(b, 3), byte(b, 4), byte(b, 5), byte(b, 6), byte(b, 7))
    }
}

extension SplitMix64 {
    mutating func uniform() -> Double { nextUniform() }
    mutating func normal() -> Double { nextGaussian() }
    /// A draw in 0..<n (n ≤ 0 gives 0); the modulo bias is irrelevant for synthetic data.
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}
