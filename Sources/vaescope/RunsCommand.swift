import ArgumentParser
import Foundation
import RunStore

/// `vaescope runs list | show | rename | delete | export`.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, inspect, rename, delete and export the runs of one or more run stores.",
        subcommands: [List.self, Show.self, Rename.self, Delete.self, Export.self]
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One line per run: name, status, objective, pooling, C, steps, last KL and reconstruction.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Output format: table, json or csv.") var format: Format = .table

        func run() throws {
            try runReportingErrors {
                let stores = try store.openAll()
                let overviews = try RunOverview.all(stores)
                print(RunsTable.list(overviews, format: format, showStore: stores.stores.count > 1), terminator: "")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A run's config, first/last/min/max of each scalar, and what else it holds.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Run name (or UUID).") var name: String

        func run() throws {
            try runReportingErrors {
                let found = try store.openAll().run(named: name)
                print(try RunsTable.show(found), terminator: "")
            }
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rename a run (names are unique within a store).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Current name.") var old: String
        @Argument(help: "New name.") var new: String

        func run() throws {
            try runReportingErrors {
                let path = try store.single()
                try RunStore(path: path).renameRun(old, to: new)
                print("renamed '\(old)' to '\(new)' in \(path)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a run and everything it holds (asks nothing; prints what was deleted).")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Run name (or UUID).") var name: String

        func run() throws {
            try runReportingErrors {
                let path = try store.single()
                let db = try RunStore(path: path)
                let run = try db.run(named: name)
                let deleted = try db.deleteRun(named: name)
                print("deleted run '\(run.name)' (\(run.id.uuidString.lowercased())) from \(path): "
                      + RunsTable.describe(deleted))
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a run's scalars.csv, config.json, latents as .npy (mu, logvar, z, features) and texts.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "Run name (or UUID).") var name: String
        @Option(help: "Output directory (created if missing).") var out: String
        @Option(help: "Split whose latents and texts to export (default: test, else the first with latents).")
        var split: String?

        func run() throws {
            try runReportingErrors {
                let found = try store.openAll().run(named: name)
                let files = try RunExporter.export(found.run, from: found.store, to: out, split: split)
                for file in files { print(file) }
            }
        }
    }
}
