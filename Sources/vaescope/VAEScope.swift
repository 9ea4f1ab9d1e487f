import ArgumentParser
import RunStore
import Tensor

@main
struct VAEScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vaescope",
        abstract: "Train text VAEs, diagnose posterior collapse, and publish the results as a static site.",
        discussion: """
        A typical session: vaescope train --corpus DIR --db runs.sqlite --name NAME [--config FILE.yaml] \
        [--set key=value …], then vaescope eval NAME --db runs.sqlite, then vaescope report --db runs.sqlite \
        --spec Reports/long2019.yaml --out site (open site/index.html). Runs from other trainers: vaescope \
        import, or write the store directly (docs/schema.md). Reading commands take --db several times or a \
        quoted glob. Exit codes: 0 success, 1 runtime error (one line naming the file, run or key), 64 usage \
        error, 130 training interrupted by Ctrl-C (resume with vaescope train --resume NAME --db FILE).
        """,
        version: VAEScopeVersion.current,
        subcommands: [CorpusCommand.self, TrainCommand.self, EvalCommand.self, MetricsCommand.self, ReportCommand.self, RunsCommand.self, ImportCommand.self, SweepCommand.self, BenchCommand.self]
    )
}
