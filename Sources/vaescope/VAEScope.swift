import ArgumentParser
import RunStore
import Tensor

@main
struct VAEScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vaescope",
        abstract: "Train text VAEs, diagnose posterior collapse, and publish the results as a static site.",
        version: VAEScopeVersion.current,
        subcommands: [TrainCommand.self, EvalCommand.self, CorpusCommand.self, RunsCommand.self, ImportCommand.self, MetricsCommand.self, ReportCommand.self, BenchCommand.self]
    )
}
