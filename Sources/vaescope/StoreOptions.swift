import ArgumentParser
import Foundation
import RunStore
import Site
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--db FILE` for every command that reads run stores: repeatable, and each value may be a glob
/// ("runs/*.sqlite", quoted so the shell passes it through) so runs trained on several machines are read
/// together. Stores are opened read-only; a reader never blocks a writer.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp(
        "A run store (SQLite file). Repeat, or give a quoted glob, to read several stores together.",
        valueName: "file"))
    var db: [String] = []

    func validate() throws {
        if db.isEmpty { throw ValidationError("give at least one --db FILE") }
    }

    /// The store paths: each plain path as given; each glob expanded (sorted). A glob that matches nothing is an error.
    func paths() throws -> [String] {
        var out: [String] = []
        for pattern in db {
            guard pattern.contains(where: { "*?[".contains($0) }) else { out.append(pattern); continue }
            let matches = Self.expandGlob(pattern)
            if matches.isEmpty { throw RunStoreError.noSuchStore(path: pattern) }
            out.append(contentsOf: matches)
        }
        return out
    }

    /// Opens every store read-only.
    func openAll() throws -> RunStoreSet { try RunStoreSet(paths: paths()) }

    /// The single store a writing command works on (rename, delete): exactly one path after expansion.
    func single() throws -> String {
        let all = try paths()
        guard all.count == 1 else {
            throw ValidationError("this command changes a store: give exactly one --db (got \(all.count))")
        }
        return all[0]
    }

    static func expandGlob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { result.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }
}

/// The options of the commands that compute metrics from stores (`report`, `metrics`): `--metrics-cache` (and
/// its older spelling `--no-cache`) — whether they may write the metrics cache into the stores, said explicitly —
/// and `--mi-subsample`.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("metrics-cache"), help: ArgumentHelp(
        "write: read the stores' metrics cache and write what it lacks into stores you can write (default); read: open every store read-only; off: neither.",
        valueName: "mode"))
    var mode: StoreLoader.MetricsCache = .write

    @Flag(name: .customLong("no-cache"), help: "Same as --metrics-cache off.")
    var noCache = false

    @Option(name: .customLong("mi-subsample"), help: ArgumentHelp("Compute the full-split MI (O(N²d)) on M seeded sentences when a split has more; labelled so.", valueName: "M"))
    var miSubsample: Int?

    func validate() throws {
        if let m = miSubsample, m < 2 { throw ValidationError("--mi-subsample must be at least 2") }
    }

    var effective: StoreLoader.MetricsCache { noCache ? .off : mode }
}

/// Runs a command body; a runtime error is printed as one line `error: …` on stderr and exits with 1.
/// ArgumentParser's own usage errors keep their exit code 64.
func runReportingErrors(_ body: () throws -> Void) throws {
    do { try body() } catch let error as ValidationError { throw error } catch let error as ExitCode { throw error } catch {
        FileHandle.standardError.write(Data("error: \(error.localizedDescription)\n".utf8))
        throw ExitCode.failure
    }
}
