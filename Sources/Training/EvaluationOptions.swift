import Foundation
import Corpus
import Model

/// Everything `vaescope eval` can change. Defaults follow He et al. (2019) for the likelihood and Prokhorov et
/// al. (2019) for latents, samples and the probe.
public struct EvaluationOptions: Codable, Equatable, Sendable {
    /// The seed of the prior draws, the same for every run so that runs are compared on the same z.
    public static let fixedPriorSeed: UInt64 = 20_190_601
    /// The seed of the forward cross-entropy's generated corpora (also the same for every run).
    public static let fixedGenerationSeed: UInt64 = 20_190_602
    /// The default decoding schemes of Prokhorov et al. (2019) Table 3.
    public static let defaultSchemes: [DecodingScheme] = [.greedy, .topK(5), .topK(15), .nucleus(0.5), .nucleus(0.9)]
    /// `defaultSchemes` as `--schemes` writes them.
    public static var defaultSchemesText: String {
        defaultSchemes.map { s -> String in
            switch s {
            case .greedy: return "greedy"
            case .topK(let k): return "top-k:\(k)"
            case .nucleus(let p): return "nucleus:\(p)"
            }
        }.joined(separator: ",")
    }

    /// Which checkpoint of the run is evaluated.
    public enum CheckpointChoice: String, Codable, CaseIterable, Sendable {
        /// The best by validation ELBO (for the KL-target objective: the best once C has reached its target);
        /// falls back to "last" when the run has no best checkpoint.
        case best
        /// The weights at the last step trained.
        case last
    }

    /// The checkpoint evaluated (`best`, as He et al. 2019 select by validation ELBO).
    public var checkpoint: CheckpointChoice = .best
    /// The split evaluated.
    public var split: Split = .test
    /// Evaluate only the first M sentences of the split (nil = all): for quick looks at a large split. N is stored
    /// with every result, so a subset is never mistaken for the whole split.
    public var maxSentences: Int? = nil
    /// K, samples from q(z|x) per sentence in the IW-NLL (He et al. 2019 use 500).
    public var importanceSamples: Int = 500
    /// Decoder rows per `logLikelihood` call in the IW-NLL (K samples of a sentence are consecutive rows).
    public var importanceRowsPerCall: Int = 250
    /// S, samples of z stored per sentence (Prokhorov et al. 2019 average LogDetCov over 5).
    public var latentSamples: Int = 5
    /// N, draws z ~ N(0, I) decoded by each scheme.
    public var priorSamples: Int = 100
    /// Pairs of prior draws (0, 1), (2, 3), … interpolated.
    public var interpolationPairs: Int = 10
    /// Points per interpolation including both ends (7 as in Bowman et al. 2016 and Prokhorov et al. 2019 Table 2).
    public var interpolationPoints: Int = 7
    /// Decoding schemes for prior samples, interpolations and the forward cross-entropy corpora.
    public var schemes: [DecodingScheme] = EvaluationOptions.defaultSchemes
    /// Longest decoded sentence, in words.
    public var maxDecodeLength: Int = 40
    /// Sentences per encoder/decoder batch.
    public var batchSize: Int = 32
    /// Seed of the q(z|x) samples, the MI estimators and the sampling decoders.
    public var seed: UInt64 = 0
    /// Seed of the prior draws; leave at `fixedPriorSeed` to compare runs.
    public var priorSeed: UInt64 = EvaluationOptions.fixedPriorSeed
    /// Batch size B of He et al.'s minibatch MI estimator.
    public var mutualInformationBatchSize: Int = 50
    /// Pairs TSV of the syntactic probe; nil skips it.
    public var probePath: String? = nil
    /// How many sentences each generated corpus of the forward cross-entropy holds.
    public enum GeneratedCorpusSize: Codable, Equatable, Sendable {
        case sentences(Int)
        /// As Prokhorov et al.'s experiment_table_3.py makes them: the test split's size, rounded up to whole
        /// generation batches of 2,048 (their loop writes every sentence of each batch).
        case prokhorov

        public static let prokhorovBatch = 2_048

        /// N for a test split of `testSentences` sentences.
        public func resolve(testSentences: Int) -> Int {
            switch self {
            case .sentences(let n): return n
            case .prokhorov: return max(1, (testSentences + Self.prokhorovBatch - 1) / Self.prokhorovBatch) * Self.prokhorovBatch
            }
        }
    }

    /// Sentences per generated corpus of the forward cross-entropy (and its self-BLEU); nil skips it (it trains
    /// a model per corpus).
    public var forwardCrossEntropy: GeneratedCorpusSize? = nil
    /// Epochs of the forward cross-entropy's language model.
    public var forwardCrossEntropyEpochs: Int = 5
    /// Generated corpora per scheme, each with its own prior draws and language model; the FCE is their mean ± sd
    /// (Prokhorov et al. 2019's experiment_table_3.py: `n_copies_of_corpus = 3`, each the size of the test split).
    public var forwardCrossEntropyCorpora: Int = 3
    /// Overrides the corpus directory stored in the run's configuration.
    public var corpusDirectory: String? = nil

    public init() {}

    /// Checks ranges; throws `EvaluationError.invalidOption` naming the option.
    public func validate() throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw EvaluationError.invalidOption(message) } }
        try check((maxSentences ?? 1) >= 1, "--max-sentences needs M ≥ 1")
        try check(importanceSamples >= 1, "--iw-samples must be at least 1 (He et al. use 500)")
        try check(importanceRowsPerCall >= 1, "rows per call must be at least 1")
        try check(latentSamples >= 0, "--latent-samples must be ≥ 0")
        try check(priorSamples >= 0, "--prior-samples must be ≥ 0")
        try check(interpolationPoints >= 2, "interpolations need at least 2 points")
        try check(interpolationPairs >= 0, "interpolation pairs must be ≥ 0")
        try check(maxDecodeLength >= 1, "the maximum decoded length must be at least 1")
        try check(batchSize >= 1, "the batch size must be at least 1")
        try check(mutualInformationBatchSize >= 2, "the MI minibatch must hold at least 2 sentences")
        if case .sentences(let n) = forwardCrossEntropy { try check(n >= 1, "--fce N needs N ≥ 1") }
        try check(forwardCrossEntropyEpochs >= 1, "forward cross-entropy epochs must be at least 1")
        try check(forwardCrossEntropyCorpora >= 1, "--fce-corpora must be at least 1")
    }

    /// Parses "greedy,top-k:5,top-k:15,nucleus:0.5,nucleus:0.9" (also "top-k=5", "topk:5", "nucleus:p=0.9").
    public static func parseSchemes(_ text: String) throws -> [DecodingScheme] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard !items.contains(where: \.isEmpty) else { throw EvaluationError.invalidScheme(text) }
        return try items.map { item in
            if item == "greedy" { return .greedy }
            let parts = item.split(whereSeparator: { $0 == ":" || $0 == "=" }).map(String.init)
            guard parts.count >= 2, let last = parts.last else { throw EvaluationError.invalidScheme(item) }
            switch parts[0] {
            case "top-k", "topk", "top_k":
                guard let k = Int(last), k >= 1 else { throw EvaluationError.invalidScheme(item) }
                return .topK(k)
            case "nucleus", "top-p", "topp":
                guard let p = Double(last), p > 0, p <= 1 else { throw EvaluationError.invalidScheme(item) }
                return .nucleus(p)
            default:
                throw EvaluationError.invalidScheme(item)
            }
        }
    }

    /// A key-safe label of a scheme: "greedy", "top-k-5", "nucleus-0.9".
    public static func label(_ scheme: DecodingScheme) -> String {
        switch scheme {
        case .greedy: return "greedy"
        case .topK(let k): return "top-k-\(k)"
        case .nucleus(let p): return "nucleus-\(p)"
        }
    }
}
