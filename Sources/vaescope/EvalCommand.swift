import ArgumentParser
import Corpus
import Foundation
import Tensor
import Evaluation
import Training

/// `vaescope eval NAME --db FILE`: evaluates a run's best checkpoint and writes the results into its store.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a run's best checkpoint: IW-NLL, MI, latents, reconstructions, samples, interpolations, probe.",
        discussion: """
        Loads the run's best checkpoint and configuration from the store, rebuilds its corpus (the directory in \
        the run's configuration, or --corpus), and writes into the store: the importance-weighted NLL with K \
        samples (Burda et al. 2016; He et al. 2019), ELBO, rate and distortion; both mutual-information \
        estimators (He et al.'s minibatch and the full-split mixture); μ, log σ², S samples of z and the pooled \
        feature h of every sentence; greedy reconstructions from μ and from a sampled z; prior samples from a \
        fixed seed and interpolations decoded by each scheme; optionally the syntactic probe (Prokhorov et al. \
        2019 §3.4) and the forward cross-entropy (Table 3). Evaluating again replaces the earlier results.
        """
    )

    @Argument(help: "The run's name (or UUID).")
    var name: String

    @Option(name: .long, help: "The run store (SQLite file).")
    var db: String

    @Option(name: .long, help: "Checkpoint to evaluate: best (by validation ELBO; for the KL-target objective the best after C is reached) or last.")
    var checkpoint: EvaluationOptions.CheckpointChoice = EvaluationOptions().checkpoint

    @Option(name: .long, help: "Split to evaluate.")
    var split: Split = EvaluationOptions().split

    @Option(name: .customLong("max-sentences"), help: "Evaluate only the first M sentences of the split (quick looks).")
    var maxSentences: Int?

    @Option(name: .customLong("iw-samples"), help: "K, samples from q(z|x) per sentence in the IW-NLL (He et al.: 500).")
    var iwSamples: Int = EvaluationOptions().importanceSamples

    @Option(name: .customLong("latent-samples"), help: "S, samples of z stored per sentence.")
    var latentSamples: Int = EvaluationOptions().latentSamples

    @Option(name: .customLong("prior-samples"), help: "N, draws z ~ N(0, I) (fixed seed) decoded by each scheme.")
    var priorSamples: Int = EvaluationOptions().priorSamples

    @Option(name: .customLong("interpolation-pairs"), help: "Pairs of prior draws interpolated (7 points each).")
    var interpolationPairs: Int = EvaluationOptions().interpolationPairs

    @Option(name: .long, help: "Decoding schemes, comma separated: greedy, top-k:K, nucleus:P.")
    var schemes: SchemeList = .defaults

    @Option(name: .customLong("max-length"), help: "Longest decoded sentence, in words.")
    var maxLength: Int = EvaluationOptions().maxDecodeLength

    @Option(name: .long, help: "Pairs TSV of the syntactic probe (phenomenon, category, condition, grammatical, ungrammatical).")
    var probe: String?

    @Option(name: .long, help: "Forward cross-entropy and self-BLEU: N generated sentences per corpus and scheme, an LM trained on each (slow); 'prokhorov' = Prokhorov et al.'s size, the test split rounded up to 2,048-sentence batches.")
    var fce: FCESize?

    @Option(name: .customLong("fce-epochs"), help: "Epochs of the forward cross-entropy's language model.")
    var fceEpochs: Int = EvaluationOptions().forwardCrossEntropyEpochs

    @Option(name: .customLong("fce-corpora"), help: "Generated corpora per scheme for the forward cross-entropy (mean ± sd; Prokhorov et al.: 3).")
    var fceCorpora: Int = EvaluationOptions().forwardCrossEntropyCorpora

    @Option(name: .long, help: "Corpus directory, overriding the one stored in the run's configuration.")
    var corpus: String?

    @Option(name: .customLong("batch-size"), help: "Sentences per encoder/decoder batch.")
    var batchSize: Int = EvaluationOptions().batchSize

    @Option(name: .long, help: "Seed of the posterior samples and sampling decoders (prior draws use a fixed seed).")
    var seed: UInt64 = EvaluationOptions().seed

    @Option(name: .long, help: "OpenBLAS threads.")
    var threads: Int = 1

    func options() throws -> EvaluationOptions {
        var o = EvaluationOptions()
        o.split = split
        o.checkpoint = checkpoint
        o.maxSentences = maxSentences
        o.importanceSamples = iwSamples
        o.latentSamples = latentSamples
        o.priorSamples = priorSamples
        o.interpolationPairs = interpolationPairs
        o.schemes = try EvaluationOptions.parseSchemes(schemes.text)
        o.maxDecodeLength = maxLength
        o.probePath = probe
        o.forwardCrossEntropy = fce?.size
        o.forwardCrossEntropyEpochs = fceEpochs
        o.forwardCrossEntropyCorpora = fceCorpora
        o.corpusDirectory = corpus
        o.batchSize = batchSize
        o.seed = seed
        try o.validate()
        return o
    }

    func validate() throws {
        do { _ = try options() } catch let error as EvaluationError {
            throw ValidationError(error.localizedDescription)
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        BLAS.setThreads(threads)
        let summary = try evaluateRun(named: name, databasePath: db, options: try options())
        print(summary.description)
    }
}

/// `--fce N` or `--fce prokhorov`.
struct FCESize: ExpressibleByArgument {
    var size: EvaluationOptions.GeneratedCorpusSize
    init?(argument: String) {
        if argument.lowercased() == "prokhorov" { size = .prokhorov; return }
        guard let n = Int(argument) else { return nil }
        size = .sentences(n)
    }
    static var defaultCompletionKind: CompletionKind { .list(["prokhorov"]) }
}
