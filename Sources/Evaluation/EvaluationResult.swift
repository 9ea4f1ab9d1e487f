import Training
import Foundation
import Corpus
import Model
import RunStore

/// One decoded sentence (word ids without <bos>/<eos>, truncated at the first <eos>). Kinds are the run store's:
/// reconstructions carry `sourceIndex` (= zIndex, the sentence), prior samples `zIndex` (the draw), interpolations
/// `pairIndex`, `pointIndex` and zIndex = pair · points + point.
public struct DecodedRecord: Sendable, Equatable {
    public var kind: DecodedKind
    public var scheme: DecodingScheme
    public var zIndex: Int
    public var pairIndex: Int? = nil
    public var pointIndex: Int? = nil
    public var sourceIndex: Int? = nil
    public var ids: [Int32]
}

/// Per-sentence latent records of the split: μ, log σ², S samples of z and the pooled feature h.
public struct LatentRecords: Sendable, Equatable {
    public var count: Int
    public var latentSize: Int
    public var featureSize: Int
    public var samplesPerSentence: Int
    public var mu: [Float]            // (N, Z)
    public var logVariance: [Float]   // (N, Z)
    public var samples: [Float]       // (N, S, Z)
    public var features: [Float]      // (N, H)

    public func mu(_ i: Int) -> [Float] { Array(mu[(i * latentSize)..<((i + 1) * latentSize)]) }
    public func logVariance(_ i: Int) -> [Float] { Array(logVariance[(i * latentSize)..<((i + 1) * latentSize)]) }
    public func samples(_ i: Int) -> [Float] {
        let width = samplesPerSentence * latentSize
        return Array(samples[(i * width)..<((i + 1) * width)])
    }
    public func features(_ i: Int) -> [Float] { Array(features[(i * featureSize)..<((i + 1) * featureSize)]) }
}

/// Forward cross-entropy of one scheme (Prokhorov et al. 2019 Table 3): an LM trained on N generated sentences,
/// scored on the test split, with statistics of the generated corpus.
public struct ForwardCrossEntropyResult: Codable, Sendable, Equatable {
    public var scheme: String
    public var sentences: Int
    /// Per-sentence mean −log p(x) of the test split under the LM, nats: the mean over the generated corpora.
    public var nll: Double
    /// Sample standard deviation of that NLL over the corpora (0 for one corpus), and how many there were.
    public var nllSD: Double = 0
    public var corpora: Int = 1
    /// exp(Σ NLL / Σ tokens), tokens incl. <eos>.
    public var perplexity: Double
    /// Distinct word types in the generated corpus (specials excluded).
    public var vocabularySize: Int
    /// Percentage of generated tokens that are <unk>.
    public var unknownPercent: Double
    public var meanLength: Double
    /// Self-BLEU-4 of the generated corpus (nil below 2 sentences).
    public var selfBLEU: Double?
}

/// The headline figures of an evaluation (what `vaescope eval` prints).
public struct EvaluationSummary: Codable, Sendable, Equatable {
    public var run: String
    public var split: Split
    public var step: Int
    public var sentences: Int
    public var tokens: Int
    /// K; 0 when the likelihood is exact (a language model without z).
    public var importanceSamples: Int
    public var iwNLL: Double
    public var iwPerplexity: Double
    public var elbo: Double
    public var rate: Double
    public var distortion: Double
    /// He et al. (2019)'s minibatch estimator, with its batch size.
    public var mutualInformationMinibatch: Double?
    public var mutualInformationBatchSize: Int
    /// The full-split estimator (every z against the mixture of all N posteriors).
    public var mutualInformationMixture: Double?
    public var activeUnits: Int?
    public var probe: [ProbeCategoryResult]
    public var forwardCrossEntropy: [ForwardCrossEntropyResult]
    public var seconds: Double

    /// A few aligned lines.
    public var description: String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "–" }
        var lines = [
            "run \(run), split \(split.rawValue), step \(step): \(sentences) sentences, \(tokens) tokens",
            "IW-NLL (K=\(importanceSamples))  \(f(iwNLL))   perplexity \(String(format: "%.2f", iwPerplexity))",
            "ELBO                \(f(elbo))   rate (KL) \(f(rate))   distortion \(f(distortion))",
            "MI minibatch (B=\(mutualInformationBatchSize)) \(f(mutualInformationMinibatch))   MI mixture (N) \(f(mutualInformationMixture))   AU \(activeUnits.map(String.init) ?? "–")",
        ]
        for p in probe {
            lines.append("probe \(p.category) (\(p.pairs) pairs, \(p.identicalPairs) identical in the vocabulary): p1 \(f(p.p1)) p2 \(f(p.p2)) p̄1 \(f(p.p1Bar)) p̄2 \(f(p.p2Bar))")
        }
        for r in forwardCrossEntropy {
            lines.append("FCE \(r.scheme) (N=\(r.sentences)): NLL \(f(r.nll)) ppl \(String(format: "%.1f", r.perplexity)) "
                + "|V| \(r.vocabularySize) %unk \(String(format: "%.2f", r.unknownPercent)) len \(String(format: "%.1f", r.meanLength)) self-BLEU \(f(r.selfBLEU))")
        }
        lines.append("evaluated in \(ProgressTask.format(seconds: seconds))")
        return lines.joined(separator: "\n")
    }
}

/// Everything an evaluation computed, before it is written to the store.
public struct EvaluationResult: Sendable {
    public var summary: EvaluationSummary
    public var options: EvaluationOptions
    /// nil for a language model without z.
    public var latents: LatentRecords?
    /// The prior draws, (N, Z), from `options.priorSeed`.
    public var priorCodes: [Float]
    /// The interpolation points, (pairs · points, Z).
    public var interpolationCodes: [Float]
    public var decoded: [DecodedRecord]
    /// Per-sentence IW-NLL, in split order.
    public var perSentenceNLL: [Double]
}
