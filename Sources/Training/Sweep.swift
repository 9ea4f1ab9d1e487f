import Foundation
import Yams

/// A sweep: a base configuration and axes whose product gives the runs (issue 17). Read from a YAML file:
///
/// ```yaml
/// name: pooling-seeds          # the sweep's name (its store directory by default)
/// corpus: ../data/ptb          # relative to the sweep file
/// preset: he2019               # optional, applied first
/// base:                        # configuration keys common to every run
///   maxSteps: 2000
/// axes:                        # one run per combination, in this order (the last axis varies fastest)
///   pooling: [last, max]
///   seed: [0, 1, 2]
/// runName: "{pooling}-s{seed}" # optional; default: the axis values joined by "-"
/// runs:                        # optional: named runs with their own settings, each crossed with the axes
///   - {name: elbo-last, config: demo/elbo-last.yaml}    # a config file (relative to the sweep file) …
///   - {name: kltarget-3, set: {objective: klTarget, klTarget: 3}}   # … and/or settings
/// (with `runs`, a run's name is its entry's name, followed by "-" and its runName when there are axes)
/// stores: runs/                # optional; default: a folder named after the sweep beside the file
/// eval: [--iw-samples, "50"]   # optional extra arguments of `vaescope eval` for every run
/// ```
///
/// Every run is trained into its own store `STORES/RUN.sqlite` (one writer per file, which is also what a
/// cluster's shared filesystem needs), so `vaescope report --db 'STORES/*.sqlite'` reads the whole sweep.
public struct Sweep: Sendable {
    public struct PlannedRun: Sendable, Equatable {
        public var name: String
        /// The axis values of this run, in axis order, as `key=value`.
        public var axisValues: [String]
        /// Every override in order: base, then the axes.
        public var overrides: [String]
        public var config: TrainConfig
        public var storePath: String
    }

    public var name: String
    public var file: String
    public var corpus: String
    public var preset: String?
    public var base: [String]
    public var axes: [(key: String, values: [String])]
    public var runNamePattern: String?
    /// Named runs (`runs:`): name, overrides (a config file's keys, then `set`).
    public var named: [(name: String, overrides: [String])] = []
    public var storeDirectory: String
    public var evalArguments: [String]
    /// `--set key=value` given to `vaescope sweep`: applied to every run last.
    public var extraOverrides: [String] = []
    public var runs: [PlannedRun]

    /// Reads and expands a sweep file; every run's configuration is resolved and validated, so a bad key,
    /// a value of the wrong type or two runs with one name is an error naming it (before anything trains).
    public static func load(_ path: String, overrides: [String] = []) throws -> Sweep {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw TrainingError.unreadableConfig(path: path, reason: error.localizedDescription)
        }
        return try parse(text, file: path, overrides: overrides)
    }

    /// `overrides` (`--set` on the command line) apply to every run, after everything in the file.
    public static func parse(_ text: String, file: String, overrides extra: [String] = []) throws -> Sweep {
        func bad(_ reason: String) -> TrainingError { .invalidConfigFile(path: file, reason: reason) }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw bad("\(error)".split(separator: "\n").first.map(String.init) ?? "not YAML")
        }
        guard let mapping = root?.mapping else { throw bad("expected a mapping with name, corpus, base and axes") }
        let known: Set<String> = ["name", "corpus", "preset", "base", "axes", "runName", "stores", "eval", "runs"]
        for key in mapping.keys.compactMap(\.string) where !known.contains(key) {
            throw bad("unknown sweep key '\(key)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        func value(_ key: String) -> Node? { mapping.first { $0.key.string == key }?.value }
        func scalar(_ key: String) -> String? { value(key)?.scalar?.string }
        guard let name = scalar("name"), !name.isEmpty, !name.contains("/") else { throw bad("needs a name (no '/')") }
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        func resolve(_ p: String) -> String {
            p.hasPrefix("/") ? p : directory.appendingPathComponent(p).standardizedFileURL.path
        }
        guard let corpus = scalar("corpus") else { throw bad("needs corpus: DIR") }
        var base: [String] = []
        if let b = value("base") {
            guard let m = b.mapping else { throw bad("base must be a mapping of key: value") }
            for (k, v) in m {
                guard let key = k.string, let value = v.scalar?.string else { throw bad("base values must be scalars") }
                base.append("\(key)=\(value)")
            }
        }
        var axes: [(String, [String])] = []
        if let a = value("axes") {
            guard let m = a.mapping else { throw bad("axes must be a mapping of key: [values]") }
            for (k, v) in m {
                guard let key = k.string else { throw bad("axis names must be plain keys") }
                guard let values = v.sequence?.compactMap({ $0.scalar?.string }), values.count == v.sequence?.count,
                      !values.isEmpty else { throw bad("axis '\(key)' must be a non-empty list of values") }
                if Set(values).count != values.count { throw bad("axis '\(key)' repeats a value") }
                _ = try ConfigKey.named(key)
                axes.append((key, values))
            }
        }
        var evalArguments: [String] = []
        if let e = value("eval") {
            guard let list = e.sequence?.compactMap({ $0.scalar?.string }) else { throw bad("eval must be a list of arguments") }
            evalArguments = list
        }
        var named: [(String, [String])] = []
        if let list = value("runs") {
            guard let entries = list.sequence else { throw bad("runs must be a list of {name, config, set}") }
            for entry in entries {
                guard let m = entry.mapping, let runName = m.first(where: { $0.key.string == "name" })?.value.scalar?.string,
                      !runName.isEmpty else { throw bad("each entry of runs needs a name") }
                var overrides: [String] = []
                if let path = m.first(where: { $0.key.string == "config" })?.value.scalar?.string {
                    let configPath = resolve(path)
                    let configText: String
                    do { configText = try String(contentsOfFile: configPath, encoding: .utf8) } catch {
                        throw TrainingError.unreadableConfig(path: configPath, reason: error.localizedDescription)
                    }
                    guard let configRoot = try? Yams.compose(yaml: configText), let cm = configRoot.mapping else {
                        throw TrainingError.invalidConfigFile(path: configPath, reason: "expected a mapping of key: value")
                    }
                    for (k, v) in cm {
                        guard let key = k.string, let val = v.scalar?.string else {
                            throw TrainingError.invalidConfigFile(path: configPath, reason: "values must be scalars")
                        }
                        overrides.append("\(key)=\(val)")
                    }
                }
                if let set = m.first(where: { $0.key.string == "set" })?.value {
                    guard let sm = set.mapping else { throw bad("set of run '\(runName)' must be a mapping") }
                    for (k, v) in sm {
                        guard let key = k.string, let val = v.scalar?.string else { throw bad("set values must be scalars") }
                        overrides.append("\(key)=\(val)")
                    }
                }
                named.append((runName, overrides))
            }
        }
        let preset = scalar("preset")
        if let preset { _ = try ConfigPreset.named(preset) }
        let stores = resolve(scalar("stores") ?? name)
        var sweep = Sweep(name: name, file: file, corpus: resolve(corpus), preset: preset, base: base, axes: axes,
                          runNamePattern: scalar("runName"), named: named, storeDirectory: stores,
                          evalArguments: evalArguments, extraOverrides: extra, runs: [])
        sweep.runs = try sweep.expand()
        return sweep
    }

    /// The product of the axes, in order (last axis fastest).
    func expand() throws -> [PlannedRun] {
        var combos: [[(String, String)]] = [[]]
        for (key, values) in axes {
            combos = combos.flatMap { c in values.map { c + [(key, $0)] } }
        }
        var seen: [String: Int] = [:]
        var runs: [PlannedRun] = []
        let entries: [(name: String?, overrides: [String])] = named.isEmpty ? [(nil, [])] : named.map { ($0.name, $0.overrides) }
        let all = entries.flatMap { e in combos.map { (e, $0) } }
        for (i, (entry, combo)) in all.enumerated() {
            let name = entry.name.map { combo.isEmpty ? $0 : $0 + "-" + runName(combo) } ?? runName(combo)
            if let j = seen[name] {
                throw TrainingError.invalidConfigFile(path: file, reason: "runs \(j + 1) and \(i + 1) are both named '\(name)'; "
                    + "put every axis in runName")
            }
            seen[name] = i
            let overrides = base + entry.overrides + combo.map { "\($0.0)=\($0.1)" } + extraOverrides
            let config: TrainConfig
            do { config = try TrainConfig.resolve(preset: preset, overrides: overrides) } catch let error as TrainingError {
                throw TrainingError.inConfigFile(path: file + " (run \(name))", error)
            }
            runs.append(PlannedRun(name: name, axisValues: combo.map { "\($0.0)=\($0.1)" }, overrides: overrides,
                                   config: config, storePath: storeDirectory + "/" + name + ".sqlite"))
        }
        return runs
    }

    /// `{key}` in the pattern replaced by the run's value of that axis (or base) key; without a pattern, the
    /// axis values joined by "-" (or the sweep's name for a sweep without axes).
    func runName(_ combo: [(String, String)]) -> String {
        guard let pattern = runNamePattern else {
            return combo.isEmpty ? name : combo.map { $0.1 }.joined(separator: "-")
        }
        var out = pattern
        for (k, v) in combo { out = out.replacingOccurrences(of: "{\(k)}", with: v) }
        for pair in base {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { out = out.replacingOccurrences(of: "{\(parts[0])}", with: parts[1]) }
        }
        return out
    }

    /// The plan as printed by `vaescope sweep plan`: one line per run with its axis values and store.
    public var planText: String {
        var lines = ["sweep \(name): \(runs.count) runs, corpus \(corpus), stores in \(storeDirectory)"
                     + (preset.map { ", preset \($0)" } ?? "")]
        if !base.isEmpty { lines.append("base: " + base.joined(separator: " ")) }
        let width = runs.map(\.name.count).max() ?? 0
        for r in runs {
            lines.append("  " + r.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                         + (r.axisValues.isEmpty ? (named.isEmpty ? "(base only)" : "(named run)") : r.axisValues.joined(separator: " ")))
        }
        return lines.joined(separator: "\n")
    }
}
