import Training
import Foundation

/// One grammatical/ungrammatical pair of a targeted syntactic evaluation set (Marvin & Linzen 2018).
public struct ProbePair: Sendable, Equatable {
    public var phenomenon: String
    /// The row of Prokhorov et al. (2019) Table 4, e.g. `across_object_relative`.
    public var category: String
    /// The sub-condition within which p̄1/p̄2 average z, e.g. `simple_agrmt:plur_MS_MV`.
    public var condition: String
    /// x⁺ and x⁻ as space-separated lower-case tokens.
    public var grammatical: [String]
    public var ungrammatical: [String]

    public init(phenomenon: String, category: String, condition: String, grammatical: [String], ungrammatical: [String]) {
        self.phenomenon = phenomenon
        self.category = category
        self.condition = condition
        self.grammatical = grammatical
        self.ungrammatical = ungrammatical
    }
}

/// The probe's result for one category.
public struct ProbeCategoryResult: Codable, Sendable, Equatable {
    public var category: String
    public var pairs: Int
    /// Share of pairs with log p(x⁺|z⁺) > log p(x⁻|z⁺), z⁺ the posterior mean of x⁺.
    public var p1: Double
    /// Share of pairs with log p(x⁺|z⁻) > log p(x⁻|z⁻), z⁻ the posterior mean of x⁻.
    public var p2: Double
    /// p1 with z⁺ replaced by the mean of z⁺ over the pair's sub-condition.
    public var p1Bar: Double
    /// p2 with z⁻ replaced by the mean of z⁻ over the pair's sub-condition.
    public var p2Bar: Double
    /// Pairs whose two sentences are the same after mapping words to the vocabulary (the differing word is
    /// <unk> in both): they always tie, so they count as failures in every share above.
    public var identicalPairs: Int

    public init(category: String, pairs: Int, p1: Double, p2: Double, p1Bar: Double, p2Bar: Double, identicalPairs: Int) {
        self.category = category
        self.pairs = pairs
        self.p1 = p1
        self.p2 = p2
        self.p1Bar = p1Bar
        self.p2Bar = p2Bar
        self.identicalPairs = identicalPairs
    }
}

/// Prokhorov et al. (2019) §3.4: does the decoder, given the code of a sentence, prefer the grammatical
/// member of a minimal pair? z is the posterior mean μ (deterministic); ties count as failures.
public enum SyntacticProbe {
    static let requiredColumns = ["phenomenon", "category", "condition", "grammatical", "ungrammatical"]

    /// Reads a pairs TSV: a header naming at least the five required columns (any order), then one pair per
    /// line; blank lines are skipped; tokens are separated by spaces.
    public static func load(path: String) throws -> [ProbePair] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw EvaluationError.unreadableProbe(path: path, reason: error.localizedDescription)
        }
        return try parse(text, path: path)
    }

    /// Parses the TSV text of `load(path:)`; `path` only names the source in errors.
    public static func parse(_ text: String, path: String) throws -> [ProbePair] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard let header = lines.first, !header.isEmpty else {
            throw EvaluationError.malformedProbe(path: path, line: 1, reason: "empty file")
        }
        let names = header.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        var column: [String: Int] = [:]
        for name in requiredColumns {
            guard let index = names.firstIndex(of: name) else {
                throw EvaluationError.malformedProbe(path: path, line: 1, reason: "missing column '\(name)'")
            }
            column[name] = index
        }
        var pairs: [ProbePair] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= names.count else {
                throw EvaluationError.malformedProbe(path: path, line: offset + 1,
                                                     reason: "\(fields.count) fields, header has \(names.count)")
            }
            func field(_ name: String) -> String { fields[column[name] ?? 0] }
            let good = field("grammatical").split(separator: " ").map(String.init)
            let bad = field("ungrammatical").split(separator: " ").map(String.init)
            guard !good.isEmpty, !bad.isEmpty else {
                throw EvaluationError.malformedProbe(path: path, line: offset + 1, reason: "empty sentence")
            }
            pairs.append(ProbePair(phenomenon: field("phenomenon"), category: field("category"),
                                   condition: field("condition"), grammatical: good, ungrammatical: bad))
        }
        return pairs
    }

    /// Runs the probe. `encode` maps tokens to ids (unknown words to <unk>); categories are returned in the
    /// order of their first pair. A category's shares are over its pairs; an empty pair list gives [].
    public static func run(_ pairs: [ProbePair], model: some LatentLikelihoodModel, batchSize: Int = 64,
                           encode: ([String]) -> [Int32], progress: ((Int) -> Void)? = nil) -> [ProbeCategoryResult] {
        guard !pairs.isEmpty else { return [] }
        let size = model.latentSize
        let good = pairs.map { encode($0.grammatical) }
        let bad = pairs.map { encode($0.ungrammatical) }
        let zGood = posteriors(of: good, model: model, batchSize: batchSize).mu
        let zBad = posteriors(of: bad, model: model, batchSize: batchSize).mu

        // Sub-condition means of z⁺ and z⁻, keyed by (category, condition).
        func key(_ p: ProbePair) -> String { p.category + "\u{1F}" + p.condition }
        var sums: [String: (good: [Double], bad: [Double], count: Int)] = [:]
        for (i, pair) in pairs.enumerated() {
            var entry = sums[key(pair)] ?? ([Double](repeating: 0, count: size), [Double](repeating: 0, count: size), 0)
            for d in 0..<size {
                entry.good[d] += Double(zGood[i * size + d])
                entry.bad[d] += Double(zBad[i * size + d])
            }
            entry.count += 1
            sums[key(pair)] = entry
        }
        var zGoodBar = [Float](), zBadBar = [Float]()
        for pair in pairs {
            guard let entry = sums[key(pair)] else { continue }
            zGoodBar += entry.good.map { Float($0 / Double(entry.count)) }
            zBadBar += entry.bad.map { Float($0 / Double(entry.count)) }
        }

        // Four comparisons per pair: (x⁺, x⁻) under z⁺, z⁻, z̄⁺, z̄⁻; scored in batches.
        var wins = [[Bool]](repeating: [], count: 4)
        let codes = [zGood, zBad, zGoodBar, zBadBar]
        var start = 0
        while start < pairs.count {
            let end = min(pairs.count, start + max(1, batchSize))
            let range = start..<end
            for (c, code) in codes.enumerated() {
                let z = Array(code[(start * size)..<(end * size)])
                let lpGood = model.logLikelihood(Array(good[range]), z: z)
                let lpBad = model.logLikelihood(Array(bad[range]), z: z)
                wins[c] += zip(lpGood, lpBad).map { $0 > $1 }
            }
            start = end
            progress?(end)
        }

        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (i, pair) in pairs.enumerated() {
            if members[pair.category] == nil { order.append(pair.category) }
            members[pair.category, default: []].append(i)
        }
        return order.map { category in
            let rows = members[category] ?? []
            func share(_ c: Int) -> Double { Double(rows.filter { wins[c][$0] }.count) / Double(rows.count) }
            return ProbeCategoryResult(category: category, pairs: rows.count,
                                       p1: share(0), p2: share(1), p1Bar: share(2), p2Bar: share(3),
                                       identicalPairs: rows.filter { good[$0] == bad[$0] }.count)
        }
    }
}
