import Foundation

/// The decision rule of docs/long2019.md, fixed before the first training step (commit 2132776) and applied here
/// to the runs as they are: the report's `long2019Verdict` exhibit. Nothing in it may change after results are
/// seen; the thresholds are the document's.
///
/// Per seed s (runs grouped by `pooling`, paired by `seed`), at the evaluated (best-ELBO) checkpoint:
/// - max pooling: KL ≥ 1 nat, AU ≥ 3, MI ≥ 0.5 (He et al.'s minibatch estimator), IW-NLL ≤ last-state's + 0.1;
/// - last state: KL ≤ 0.2, AU ≤ 1;
/// - the validation mean pairwise cosine of the encoder features is lower for max pooling at every epoch end
///   both runs of the seed reached.
/// **Reproduces** when all hold in both seeds; **does not reproduce** when both poolings keep their KL (> 0.2)
/// in both seeds or both collapse (≤ 0.2) in both seeds; **mixed** otherwise (what held and what did not is listed).
enum Long2019Rule {
    /// `value` as shown; `number` when it is one value (not a comparison or a count), kept as a number in tables.
    struct Check { var seed: Int; var condition: String; var value: String; var number: Double? = nil; var held: Bool? }

    static let seeds = [0, 1]
    /// docs/long2019.md, "Budget": a deciding run is not judged before it has stopped early or done 40 epochs.
    static let minimumEpochs = 40

    /// Epochs whose end the run reached: the validation split is logged at every epoch end (epochs count from 0).
    static func completeEpochs(_ r: LoadedRun) -> Int {
        r.data.scalars.filter { $0.split == "valid" }.compactMap { $0.epochs.compactMap { $0 }.max() }.max().map { $0 + 1 } ?? 0
    }

    /// Completed (early stopping or the epoch limit), or paused after exactly the minimum budget (the amendment of
    /// 2026-12-06: the verdict is at the best checkpoint of the first 40 epochs; a run continued past them is
    /// judged again only when it completes).
    static func judgeable(_ r: LoadedRun) -> Bool {
        r.data.status == "completed" || (r.data.status == "interrupted" && completeEpochs(r) == minimumEpochs)
    }

    static func evaluate(_ runs: [LoadedRun]) -> (verdict: String, checks: [Check], notes: [String]) {
        var ambiguous: [String] = []
        func run(_ pooling: String, _ seed: Int) -> LoadedRun? {
            let matches = runs.filter { $0.configValue("pooling")?.description == pooling && $0.data.seed == UInt64(seed)
                && $0.configValue("languageModelOnly") != .bool(true) }
            if matches.count > 1 { ambiguous.append("\(pooling), seed \(seed): " + matches.map(\.name).joined(separator: ", ")) }
            return matches.count == 1 ? matches[0] : nil
        }
        func metric(_ r: LoadedRun?, _ key: String, variant: String? = nil) -> Double? {
            r.flatMap { $0.metrics.value(key, variant: variant)?.value }.flatMap { $0.isFinite ? $0 : nil }
        }
        func fmt(_ v: Double?) -> String { v.map { NumberFormat.auto($0) } ?? "not evaluated" }
        var checks: [Check] = []
        var keptKL: [String: [Bool]] = [:]
        var missing = false
        var deciding: [LoadedRun] = []
        var unfinished: [String] = []
        var notAsRegistered: [String] = []
        for s in seeds {
            let mx = run("max", s), last = run("last", s)
            if mx == nil || last == nil { missing = true }
            deciding += [mx, last].compactMap { $0 }
            // Not judged before the stopping rule: early stopping (or 100 epochs) ends a run as completed; a run
            // stopped (interrupted, not running) after at least 40 complete epochs may be judged as it stands.
            for r in [mx, last].compactMap({ $0 }) where !judgeable(r) {
                unfinished.append("\(r.name) (\(r.data.status), \(completeEpochs(r)) complete epochs)")
            }
            // Evaluated as pre-registered: IW-NLL with K = 500.
            for r in [mx, last].compactMap({ $0 }) {
                if let k = r.series(["eval.iwSamples"], split: r.data.split)?.values.last, k != 500 {
                    notAsRegistered.append("\(r.name) evaluated with K = \(Int(k))")
                }
            }
            let klMax = metric(mx, "kl"), klLast = metric(last, "kl")
            let auMax = metric(mx, "activeUnits"), auLast = metric(last, "activeUnits")
            let miMax = metric(mx, "mutualInformation", variant: "minibatch")
            let nllMax = metric(mx, "iwNLL"), nllLast = metric(last, "iwNLL")
            if klMax == nil || klLast == nil || auMax == nil || auLast == nil || miMax == nil || nllMax == nil || nllLast == nil { missing = true }
            checks.append(Check(seed: s, condition: "max: KL ≥ 1", value: fmt(klMax), number: klMax, held: klMax.map { $0 >= 1 }))
            checks.append(Check(seed: s, condition: "max: AU ≥ 3", value: fmt(auMax), number: auMax, held: auMax.map { $0 >= 3 }))
            checks.append(Check(seed: s, condition: "max: MI ≥ 0.5 (minibatch)", value: fmt(miMax), number: miMax, held: miMax.map { $0 >= 0.5 }))
            let nllHeld: Bool? = (nllMax != nil && nllLast != nil) ? nllMax! <= nllLast! + 0.1 : nil
            checks.append(Check(seed: s, condition: "max: IW-NLL ≤ last's + 0.1", value: "\(fmt(nllMax)) vs \(fmt(nllLast))", held: nllHeld))
            checks.append(Check(seed: s, condition: "last: KL ≤ 0.2", value: fmt(klLast), number: klLast, held: klLast.map { $0 <= 0.2 }))
            checks.append(Check(seed: s, condition: "last: AU ≤ 1", value: fmt(auLast), number: auLast, held: auLast.map { $0 <= 1 }))
            // The cosine at every epoch end both runs reached: the last validation value logged in each epoch
            // (with validateEvery = 0, as the preset has it, the only one), paired by epoch.
            let aliases = ScalarKeys.aliases(of: "mean_pairwise_cosine")
            if let a = mx?.series(aliases, split: "valid"), let b = last?.series(aliases, split: "valid") {
                func byEpoch(_ s: ScalarSeries) -> [Int: Double] {
                    var out: [Int: Double] = [:]
                    for (i, v) in s.values.enumerated() where i < s.epochs.count && v.isFinite {
                        if let e = s.epochs[i] { out[e] = v }
                    }
                    return out
                }
                let ea = byEpoch(a), eb = byEpoch(b)
                let shared = ea.keys.filter { eb[$0] != nil }.sorted().map { (ea[$0]!, eb[$0]!) }
                let lower = shared.filter { $0.0 < $0.1 }.count
                if shared.isEmpty { missing = true }
                checks.append(Check(seed: s, condition: "cosine lower for max at every shared epoch end",
                                    value: "\(lower) of \(shared.count)", held: shared.isEmpty ? nil : lower == shared.count))
            } else {
                missing = true
                checks.append(Check(seed: s, condition: "cosine lower for max at every shared epoch end", value: "not logged", held: nil))
            }
            keptKL["max", default: []].append((klMax ?? 0) > 0.2)
            keptKL["last", default: []].append((klLast ?? 0) > 0.2)
        }
        let verdict: String
        if !ambiguous.isEmpty {
            verdict = "not decided: more than one run for " + ambiguous.joined(separator: "; ")
        } else if !unfinished.isEmpty {
            verdict = "not decided: not yet at the stopping rule — " + unfinished.joined(separator: ", ")
        } else if !notAsRegistered.isEmpty {
            verdict = "not decided: not evaluated as pre-registered — " + notAsRegistered.joined(separator: ", ")
        } else if missing {
            verdict = "not decided: the four deciding runs are not all trained and evaluated yet"
        } else if checks.allSatisfy({ $0.held == true }) {
            verdict = "reproduces"
        } else if (keptKL["max"] ?? []).allSatisfy({ $0 }) && (keptKL["last"] ?? []).allSatisfy({ $0 }) {
            verdict = "does not reproduce (both poolings keep their KL in both seeds)"
        } else if (keptKL["max"] ?? []).allSatisfy({ !$0 }) && (keptKL["last"] ?? []).allSatisfy({ !$0 }) {
            verdict = "does not reproduce (both poolings collapse in both seeds)"
        } else {
            verdict = "mixed"
        }
        let held = checks.filter { $0.held == true }.map { "seed \($0.seed): \($0.condition)" }
        let failed = checks.filter { $0.held == false }.map { "seed \($0.seed): \($0.condition) (\($0.value))" }
        var notes = ["Verdict against the pre-registered rule: \(verdict)."]
        let so = verdict.hasPrefix("not decided") ? " so far (interim values of runs still training or not evaluated; not a verdict)" : ""
        if !failed.isEmpty { notes.append("Did not hold\(so): " + failed.joined(separator: "; ") + ".") }
        if !held.isEmpty && verdict != "reproduces" { notes.append("Held\(so): " + held.joined(separator: "; ") + ".") }
        let stoppedEarly = deciding.filter { $0.data.status == "interrupted" && judgeable($0) }
        if !stoppedEarly.isEmpty {
            notes.append("Judged as stopped after the pre-registered minimum of \(minimumEpochs) epochs, before early stopping: "
                         + stoppedEarly.map { "\($0.name) (\(completeEpochs($0)) epochs)" }.joined(separator: ", ") + ".")
        }
        notes.append("The rule (docs/long2019.md, committed before the first run): max pooling KL ≥ 1, AU ≥ 3, MI ≥ 0.5 and "
                     + "IW-NLL no worse than last-state + 0.1 nats, last-state KL ≤ 0.2 and AU ≤ 1, and a lower validation "
                     + "cosine for max at every shared epoch end, in both seeds; does not reproduce when both keep or both "
                     + "lose their KL in both seeds; mixed otherwise. Values at the evaluated checkpoint (see each run's provenance).")
        return (verdict, checks, notes)
    }

    static func table(_ e: ReportSpec.Exhibit, runs: [LoadedRun]) -> SiteTable {
        let (_, checks, notes) = evaluate(runs)
        let rows = checks.map { c -> [SiteTable.Cell] in
            [SiteTable.Cell(text: String(c.seed), number: Double(c.seed)), .text(c.condition),
             c.number.map { SiteTable.Cell(text: c.value, number: $0) } ?? .text(c.value),
             .text(c.held.map { $0 ? "held" : "did not hold" } ?? "—")]
        }
        return SiteTable(id: Slug.make(e.id), title: e.title, caption: e.caption,
                         columns: ["seed", "condition", "value", "here"], rows: rows, notes: notes)
    }
}
