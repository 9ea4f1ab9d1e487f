import ArgumentParser
import Corpus
import Foundation
import Metrics
import Site

/// `vaescope metrics`: every metric of a run with its variant label, cached in the store.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Print every metric of runs with its variant label, by length bucket and decoding scheme.")

    @OptionGroup var stores: StoreOptions

    @Option(name: .customLong("run"), help: ArgumentHelp("A run name or UUID (repeatable; default: every run).", valueName: "name"))
    var runs: [String] = []

    @Option(help: "The evaluated split.")
    var split: Split = .test

    @Option(help: "Output format.")
    var format: MetricsListing.Format = .table

    @OptionGroup var cache: CacheOptions

    @Option(name: .customLong("mi-subsample"), help: ArgumentHelp("Compute the full-split MI (O(N²d)) on M seeded sentences when a split has more; labelled so.", valueName: "M"))
    var miSubsample: Int?

    func validate() throws {
        if let m = miSubsample, m < 2 { throw ValidationError("--mi-subsample must be at least 2") }
    }

    func run() throws {
        try runReportingErrors {
            LatentMetrics.progress = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let entries = try MetricsListing.collect(stores: try stores.paths(), runs: runs, split: split.rawValue, cache: cache.effective,
                                                     miSubsample: miSubsample)
            print(try MetricsListing.format(entries, as: format), terminator: "")
        }
    }
}
