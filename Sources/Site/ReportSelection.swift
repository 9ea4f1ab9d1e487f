import Foundation

/// Checking a report spec against the loaded runs, selecting and grouping its runs.
extension ReportSpec {
    /// Throws at the first run name, config key, metric or scalar the spec names that does not exist,
    /// saying which and where (file:line:column).
    /// `knownKeys`: the trainer's configuration keys (the caller's — `vaescope report` passes `TrainConfig`'s;
    /// Site keeps no list of its own), accepted even when no loaded run has them (a spec for runs not trained yet).
    public func validate(against runs: [LoadedRun], knownKeys: Set<String> = []) throws {
        let names = Set(runs.map(\.name)).union(runs.map(\.data.id))
        for n in selection.names where !names.contains(n.value) {
            let known = runs.map(\.name).prefix(8).joined(separator: ", ")
            throw SiteError.spec(location: n.location, message: "no run named '\(n.value)' in the stores (runs: \(known.isEmpty ? "none" : known))")
        }
        func isKey(_ k: String) -> Bool {
            knownKeys.contains(k) || knownKeys.contains(String(k.split(separator: ".").last ?? ""))
                || runs.contains(where: { $0.configValue(k) != nil })
        }
        func checkKey(_ k: Located<String>) throws {
            guard !isKey(k.value) else { return }
            throw SiteError.spec(location: k.location, message: "unknown config key '\(k.value)': no run has it and it is not a VAEScope setting")
        }
        func checkMetricOrKey(_ k: Located<String>) throws {
            guard MetricCatalog.entry(k.value) == nil, !isKey(k.value) else { return }
            throw SiteError.spec(location: k.location, message: "unknown metric or config key '\(k.value)' (metrics: \(MetricCatalog.keys.joined(separator: ", ")))")
        }
        func checkMetric(_ m: Located<String>) throws {
            guard MetricCatalog.entry(m.value) == nil else { return }
            throw SiteError.spec(location: m.location, message: "unknown metric '\(m.value)' (known: \(MetricCatalog.keys.joined(separator: ", ")))")
        }
        for w in selection.where { try checkKey(w.key) }
        for g in groupBy { try checkKey(g) }
        for e in exhibits {
            if let x = e.x { try checkMetricOrKey(x) }
            for y in e.y { try checkMetric(y) }
            if e.kind != .publishedTable {
                for c in e.columns where !["run", "group", "status"].contains(c.name.value) { try checkMetricOrKey(c.name) }
            }
            for c in e.claims {
                if let m = c.metric { try checkMetric(m) }
                if let w = c.within { try checkKey(w) }
                if let near = c.near { try checkKey(near); continue }
                if let by = c.by { try checkKey(by) } else if groupBy.isEmpty {
                    throw SiteError.spec(location: c.location, message: "a claim compares values of a config key: give it 'by' or the report a 'groupBy'")
                }
            }
            if let s = e.scalar, !runs.isEmpty {
                let aliases = ScalarKeys.aliases(of: s.value)
                let present = runs.contains { r in r.data.scalars.contains { aliases.contains($0.key) } }
                if !present {
                    let keys = Set(runs.flatMap { $0.data.scalars.map(\.key) }).sorted().prefix(12).joined(separator: ", ")
                    throw SiteError.spec(location: s.location, message: "no run logged scalar '\(s.value)' (logged: \(keys))")
                }
            }
        }
    }

    /// The runs the spec selects, in site order.
    public func select(_ runs: [LoadedRun]) -> [LoadedRun] {
        runs.filter { r in
            if !selection.names.isEmpty, !selection.names.contains(where: { $0.value == r.name || $0.value == r.data.id }) { return false }
            if let pattern = selection.match, !Glob.matches(pattern, r.name) { return false }
            for w in selection.where {
                guard let v = r.configValue(w.key.value) else { return false }
                if v.description != w.value, v.number == nil || v.number != Double(w.value) { return false }
            }
            return true
        }
    }

    /// Groups of runs by the `groupBy` values, ordered by those values; one group "all runs" without groupBy.
    public func group(_ runs: [LoadedRun]) -> [(label: String, runs: [LoadedRun])] {
        guard !groupBy.isEmpty else { return runs.isEmpty ? [] : [("all runs", runs)] }
        var groups: [[ConfigValue]: [LoadedRun]] = [:]
        var languageModels: [LoadedRun] = []
        for r in runs {
            // Language models (no encoder, no z) are a group of their own, whatever the grouping keys: the NLL reference.
            if r.configValue("languageModelOnly") == .bool(true) { languageModels.append(r); continue }
            groups[groupBy.map { r.appliedConfigValue($0.value) }, default: []].append(r)
        }
        let sorted = groups.keys.sorted { a, b in
            for (x, y) in zip(a, b) where x != y { return x < y }
            return false
        }.map { key in (label: Self.groupLabel(keys: groupBy.map(\.value), values: key), runs: groups[key] ?? []) }
        return sorted + (languageModels.isEmpty ? [] : [(label: Self.languageModelGroup, runs: languageModels)])
    }

    /// The label of the language models' group.
    static let languageModelGroup = "language model"

    /// "pooling=max" style labels; past 20 characters (legends shorten longer ones) the values alone, numbers
    /// still named ("klTarget, last, C=3"). Keys a group does not use ("—") are left out.
    static func groupLabel(keys: [String], values: [ConfigValue]) -> String {
        let used = zip(keys, values).filter { $0.1 != .text("—") }
        if used.isEmpty { return "—" }
        let full = used.map { "\($0.0 == "klTarget" ? "C" : $0.0)=\($0.1)" }.joined(separator: ", ")
        if full.count <= 20 { return full }
        return used.map { k, v in
            if case .text(let t) = v { return t }
            return "\(k == "klTarget" ? "C" : k)=\(v)"
        }.joined(separator: ", ")
    }
}

extension LoadedRun {
    /// A config value by bare or dotted key; a bare key also matches `anything.key` (first in key order).
    public func configValue(_ key: String) -> ConfigValue? {
        if let v = data.config[key] { return v }
        if let v = data.config[key + ".kind"] { return v }  // `objective` names the objective's kind
        return data.config.keys.sorted().first { $0.hasSuffix("." + key) }.flatMap { data.config[$0] }
    }
}

extension ScalarKeys {
    /// The alias group a scalar key belongs to (the key itself first).
    static func aliases(of key: String) -> [String] {
        for group in [loss, reconstruction, kl, target, beta, cosine, activeUnits, mi] where group.contains(key) {
            return [key] + group.filter { $0 != key }
        }
        return [key]
    }
}

/// Shell-style name patterns: `*` any run of characters, `?` one character, everything else literal.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] { pi += 1; ti += 1 } else if pi < p.count, p[pi] == "*" { star = pi; mark = ti; pi += 1 } else if star >= 0 { pi = star + 1; mark += 1; ti = mark } else { return false }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }
}
