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

    func run() throws {
        try runReportingErrors {
            LatentMetrics.progress = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let entries = try MetricsListing.collect(stores: try stores.paths(), runs: runs, split: split.rawValue, cache: cache.effective,
                                                     miSubsample: cache.miSubsample)
            print(try MetricsListing.format(entries, as: format), terminator: "")
        }
    }
}
