import ArgumentParser
import Foundation
import Evaluation
import Training

/// `vaescope train`: parse, resolve the configuration, call `Trainer.train`.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a sequence VAE on a corpus and record the run in a run store.",
        discussion: """
        Configuration: defaults, then --preset NAME (he2019: He et al. 2019's recipe), then --config FILE.yaml \
        (flat key: value), then each --set key=value. \
        `vaescope train --help-config` lists every key with its default and the paper setting it follows. \
        Ctrl-C stops after the current step (checkpoint written, run marked interrupted); continue with \
        `vaescope train --resume NAME --db FILE`.
        """
    )

    @Option(name: .long, help: "Corpus directory with train/valid/test.txt (or ptb.*.txt).")
    var corpus: String?

    @Option(name: .long, help: "Run store (SQLite file; created if missing).")
    var db: String?

    @Option(name: .long, help: "Name of the new run.")
    var name: String?

    @Option(name: .long, help: "YAML file of configuration keys.")
    var config: String?

    @Option(name: .long, help: "Named recipe applied before --config and --set: he2019 (He et al. 2019).")
    var preset: String?

    @Option(name: .customLong("set"), help: "Override one key: key=value (repeatable).")
    var sets: [String] = []

    @Option(name: .long, help: "Continue the interrupted run NAME (its stored configuration is used).")
    var resume: String?

    @Flag(name: .long, help: "With --resume: take over the run even if another process seems to be training it (its lease looks alive).")
    var force = false

    @Flag(name: .customLong("no-eval"), help: "Do not evaluate the best checkpoint at the end.")
    var noEval = false

    @Flag(name: .customLong("help-config"), help: "List every configuration key with its default and exit.")
    var helpConfig = false

    @Flag(name: .long, help: "No progress output.")
    var quiet = false

    func validate() throws {
        if helpConfig { return }
        guard db != nil else { throw ValidationError("--db FILE is required") }
        if let resume {
            if name != nil, name != resume { throw ValidationError("--resume NAME and --name differ; give one of them") }
            if config != nil { throw ValidationError("--config cannot be used with --resume (the stored configuration is used)") }
            if preset != nil { throw ValidationError("--preset cannot be used with --resume (the stored configuration is used)") }
        } else {
            guard name != nil else { throw ValidationError("--name NAME is required (or --resume NAME)") }
            guard corpus != nil else { throw ValidationError("--corpus DIR is required for a new run") }
        }
    }

    func run() throws {
        if helpConfig {
            print(ConfigKey.helpText)
            print("\nPresets (--preset NAME, applied before --config and --set):")
            for p in ConfigPreset.all { print("  \(p.name): \(p.summary)\n    " + p.values.joined(separator: " ")) }
            return
        }
        guard let db else { return }
        // One route for --no-eval, new or resumed: the request says it, the run's configuration records it.
        let evaluate: Bool? = noEval ? false : nil
        let request: TrainRequest
        if let resume {
            request = .resume(name: resume, databasePath: db, corpusDirectory: corpus, overrides: sets, force: force,
                              evaluateAtEnd: evaluate)
        } else {
            let resolved = try TrainConfig.resolve(preset: preset, yamlFile: config, overrides: sets)
            request = TrainRequest(name: name ?? "", databasePath: db, corpusDirectory: corpus, config: resolved,
                                   evaluateAtEnd: evaluate)
        }
        let hooks = TrainHooks(progress: quiet ? .silent : .standardError(), handleSignals: true,
                               evaluate: TrainEvaluation.standard)
        let outcome = try Trainer.train(request, hooks: hooks)
        print(outcome.description)
        if let summary = outcome.evaluationSummary { print(summary) }
        if outcome.status == .interrupted {
            print("continue with: vaescope train --resume \(outcome.name) --db \(db)")
            throw ExitCode(130)
        }
    }
}
