import ArgumentParser
import Bench
import Foundation

/// `vaescope bench store`: run-store write/read speed (scalars and latent records).
struct BenchStoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Run-store speed: scalar rows and latent records, written and read.")
    @Option(help: "Scalar rows in one batch.") var rows: Int = 100_000
    @Option(help: "Sentences N of the latent set.") var n: Int = 10_000
    @Option(help: "Repeats (the median is printed).") var repeats: Int = 3

    func run() throws {
        try runReportingErrors {
            for f in try StoreBenchmark.run(scalarRows: rows, n: n, repeats: repeats) {
                let name = f.name.padding(toLength: max(52, f.name.count), withPad: " ", startingAt: 0)
                print(name + String(format: " %8.3f s  %12.0f ", f.seconds, f.perSecond) + f.unit)
            }
        }
    }
}
