import ArgumentParser

/// `vaescope bench …`: the speed measurements the project ships. Each prints medians and ratios against a
/// reference measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure VAEScope's speed (build in release mode first: swift build -c release).",
        subcommands: [BenchTrainCommand.self, BenchEvalCommand.self, BenchMetricsCommand.self, BenchChartsCommand.self, BenchReportCommand.self, BenchStoreCommand.self]
    )
}
