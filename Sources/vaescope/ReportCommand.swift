import ArgumentParser
import Corpus
import Foundation
import Metrics
import Site
import Training

/// `vaescope report`: the static report site of one or more run stores.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained static site (index, a page per run, a page per report spec).",
        discussion: """
            The site is written to a temporary directory next to --out and renamed into place. Metrics are \
            cached in each store (when writable) and figures are redrawn only when their data changed.
            Example: vaescope report --db runs.sqlite --spec Reports/long2019.yaml --out site
            """)

    @OptionGroup var stores: StoreOptions

    @Option(name: .customLong("spec"), help: ArgumentHelp("A report spec (YAML, see Reports/). Repeatable.", valueName: "file"))
    var specs: [String] = []

    @Option(name: .customLong("out"), help: ArgumentHelp("Output directory of the site.", valueName: "dir"))
    var out: String

    @Option(name: .customLong("templates"), help: ArgumentHelp("Directory overriding the built-in templates file by file.", valueName: "dir"))
    var templates: String?

    @Option(help: "The evaluated split the pages show.")
    var split: Split = .test

    @OptionGroup var cache: CacheOptions

    @Option(name: .customLong("compare"), help: ArgumentHelp("Runs (names or UUIDs, comma-separated) the comparison page compare.html shows.", valueName: "a,b,…"))
    var compare: String?

    @Flag(name: .customLong("private-paths"), help: "Show the stores' and corpora's full paths (for a site you keep; by default only file names).")
    var privatePaths = false

    func run() throws {
        try runReportingErrors {
            var options = SiteBuilder.Options(stores: try stores.paths(), specs: specs, output: out, templates: templates,
                                              split: split.rawValue)
            options.metricsCache = cache.effective
            options.miSubsample = cache.miSubsample
            options.includePaths = privatePaths
            options.configDefaults = ConfigValue.flatten(json: try JSONEncoder().encode(TrainConfig()))
            options.compare = compare.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            LatentMetrics.progress = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let summary = try SiteBuilder.build(options) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            print(summary.description)
            print("open file://\(URL(fileURLWithPath: out).standardizedFileURL.path)/index.html")
            if !options.compare.isEmpty {
                print("comparison: file://\(URL(fileURLWithPath: out).standardizedFileURL.path)/compare.html")
            }
        }
    }
}
