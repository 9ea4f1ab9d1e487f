import ArgumentParser
import Foundation
import RunStore

/// `vaescope import --db FILE --name NAME DIR`: a run from files any trainer can write.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a run from mu.npy, logvar.npy, z.npy, features.npy, sentences.txt, reconstructions.txt, "
            + "generations.tsv, scalars.csv and config.json (each optional, each checked).",
        discussion: """
            mu.npy, logvar.npy: (N, d) float32/float64. z.npy: (N, d) or (S, N, d). features.npy: (N, H).
            sentences.txt: N lines. reconstructions.txt: one greedy reconstruction (from z = mu) per sentence.
            generations.tsv: prior samples, scheme<TAB>parameter<TAB>text with scheme greedy (parameter empty or -),
            top-k (parameter k) or nucleus (parameter p). scalars.csv: step,key,value or step,epoch,split,key,value
            (optional header). config.json: a JSON object. Nothing is written if any file fails its checks.
            """
    )

    @Option(help: ArgumentHelp("The run store to write (created if missing).", valueName: "file")) var db: String
    @Option(help: "Name of the new run (unique in the store).") var name: String
    @Option(help: "Split the latents and texts belong to.") var split: String = "test"
    @Argument(help: "Directory holding the files.") var directory: String

    func run() throws {
        try runReportingErrors {
            let store = try RunStore(path: db)
            let summary = try RunImporter.importRun(from: directory, name: name, into: store, split: split)
            print("imported run '\(summary.run.name)' (\(summary.run.id.uuidString.lowercased())) into \(db), split \(summary.split):")
            for file in RunImporter.knownFiles { if let d = summary.files[file] { print("  \(file): \(d)") } }
        }
    }
}
