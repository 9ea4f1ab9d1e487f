import ArgumentParser
import Bench
import Foundation

/// `vaescope bench report`: seconds for the report site of many synthetic runs, first build and rebuild.
struct BenchReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Time the report site: 50 synthetic runs (10,000 latents of dimension 32, 10,000 reconstructions, 20,000 scalar points each), first build and rebuild after one more run.")

    @Option(help: "Number of runs.") var runs = 50
    @Option(help: "Sentences (latents and reconstructions) per run.") var sentences = 10_000
    @Option(help: "Latent dimension.") var dimension = 32
    @Option(help: "Scalar points per run.") var points = 20_000
    @Flag(help: "Synthetic runs store the full-split MI as `vaescope eval` does (the site reads it instead of computing it).")
    var storedMI = false
    @Option(help: "Keep the store and the site in this directory.") var keep: String?

    func run() throws {
        var o = ReportBenchmark.Options()
        o.runs = runs
        o.sentences = sentences
        o.latentSize = dimension
        o.scalarPoints = points
        o.directory = keep
        o.storedMI = storedMI
        let result = try ReportBenchmark.run(o) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        print(result.description)
    }
}
