import Foundation
import RunStore

/// The store side of the site: opens stores, lists runs in a stable order, reads a run into `RunData`, and
/// reads / writes the metrics cache. The only Site file that calls RunStore.
public enum StoreLoader {
    /// What `report` and `metrics` do with the stores' metrics cache (`--metrics-cache`): `write` reads it and
    /// writes what it lacks into stores whose files are writable (a store on a read-only share is still read);
    /// `read` opens every store read-only and only reads it; `off` neither reads nor writes it.
    public enum MetricsCache: String, CaseIterable, Sendable { case write, read, off }

    /// A run and the store it lives in (RunStore's `StoredRun`: the one abstraction of "the stores named by --db").
    public typealias Located = StoredRun

    /// Opens the stores and lists their runs in the site's order (`RunStoreSet`). `writeCache`: the metrics cache
    /// may be written into stores whose files are writable (`--metrics-cache write`); otherwise every store is
    /// opened read-only and nothing is written. A missing or non-SQLite file is an error naming it.
    public static func runs(paths: [String], writeCache: Bool) throws -> [Located] {
        try runs(in: open(paths: paths, writeCache: writeCache), paths: paths)
    }

    /// The stores named by `paths`, opened as `runs(paths:writeCache:)` opens them (for a run lookup by name).
    public static func open(paths: [String], writeCache: Bool) throws -> RunStoreSet {
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            throw SiteError.load(store: path, message: "no such store (check the --db path)")
        }
        do { return try RunStoreSet(paths: paths, writableWhereAllowed: writeCache) } catch let error as RunStoreError {
            throw SiteError.load(store: error.path ?? paths.joined(separator: ", "), message: error.localizedDescription)
        }
    }

    static func runs(in set: RunStoreSet, paths: [String]) throws -> [Located] {
        do { return try set.runsByName() } catch {
            throw SiteError.load(store: paths.joined(separator: ", "), message: error.localizedDescription)
        }
    }

    /// The store's own timestamps, formatted without locale: "2026-11-21 14:08:29 UTC".
    public static func timestamp(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return f.string(from: date)
    }

    /// A fingerprint of the run as the site sees it: the store's change stamp (run row, row counts and last
    /// rowids; see `RunStore.changeStamp`), the content of every scalar outside the training split (`vaescope
    /// eval` rewrites its scalars, possibly under the same rowids), the store path, the split and the metrics
    /// version. Training scalars are only appended by the trainer, so the change stamp covers them and a reused
    /// run's training curves need not be read at all. Equal stamps mean the run's page and metrics can be taken
    /// from the previous build. `head`: the run as `loadHead` read it (its training scalars are not hashed).
    public static func stamp(_ located: Located, head: RunData) throws -> String {
        do {
            var h = ContentHasher()
            h.combine(RunMetrics.version)
            h.combine("stamp-2")
            h.combine(located.store.path)
            h.combine(located.run.id.uuidString)
            h.combine(head.split)
            h.combine(try located.store.changeStamp(of: located.run.id, split: head.split))
            for s in head.scalars where s.split != "train" {
                h.combine(s.key); h.combine(s.split); h.combine(s.values)
                h.combine(s.steps.count)
                for (step, epoch) in zip(s.steps, s.epochs) { h.combine(step); h.combine(epoch ?? -1) }
            }
            return h.hex
        } catch {
            throw SiteError.load(store: located.store.path, message: "run '\(located.run.name)': \(error.localizedDescription)")
        }
    }

    /// Reads a run: config, scalars grouped by (split, key), and the latents, sentences and decoded texts of
    /// `split`. Absent parts stay empty (the pages say so). `summary`: only what the index and the report
    /// pages use (scalars and interpolations; no latents, sentences, reconstructions or prior samples), for
    /// a run whose own page is taken from the previous build.
    public static func load(_ located: Located, split: String, summary: Bool = false) throws -> RunData {
        var data = try loadHead(located, split: split)
        try loadRest(located, into: &data, summary: summary)
        return data
    }

    /// The run's record and its scalars grouped by (split, key), in step order. `trainKeys`: read only these keys
    /// of the training split (nil: all) — a reused run needs its training curves only where a report draws them.
    public static func loadHead(_ located: Located, split: String, trainKeys: Set<String>? = nil) throws -> RunData {
        let s = located.store, r = located.run
        do {
            var data = RunData(id: r.id.uuidString, name: r.name, status: r.status.rawValue, store: s.path,
                               createdAt: timestamp(r.createdAt), finishedAt: r.finishedAt.map(timestamp),
                               config: ConfigValue.flatten(json: Data(r.config.utf8)), corpus: r.corpusName,
                               split: split)
            data.toolVersion = r.toolVersion
            data.corpusHash = r.corpusHash
            data.seed = r.seed
            var h = ContentHasher()
            h.combine(r.config)
            data.configHash = String(h.hex.prefix(16))
            var series: [ScalarSeries] = []
            var points: [ScalarPoint]
            if let trainKeys {
                points = try s.scalars(of: r.id, excludingSplit: "train")
                for key in trainKeys.sorted() { points += try s.scalars(of: r.id, key: key, split: "train") }
                // The full query's order (key, split, step, then insertion), kept stable for equal steps.
                points = points.enumerated().sorted { a, b in
                    (a.element.key, a.element.split, a.element.step, a.offset) < (b.element.key, b.element.split, b.element.step, b.offset)
                }.map(\.element)
            } else {
                points = try s.scalars(of: r.id)
            }
            for p in points {
                if let last = series.last, last.key == p.key, last.split == p.split {
                    series[series.count - 1].steps.append(p.step)
                    series[series.count - 1].epochs.append(p.epoch)
                    series[series.count - 1].values.append(p.value)
                } else {
                    series.append(ScalarSeries(key: p.key, split: p.split, steps: [p.step], epochs: [p.epoch], values: [p.value]))
                }
            }
            data.scalars = series
            return data
        } catch {
            throw SiteError.load(store: s.path, message: "run '\(r.name)': \(error.localizedDescription)")
        }
    }

    /// Adds the latents, sentences and decoded texts of the split (`summary`: only the interpolations).
    public static func loadRest(_ located: Located, into data: inout RunData, summary: Bool = false) throws {
        let s = located.store, r = located.run, split = data.split
        do {
            if summary {
                data.texts = try s.decodedTexts(of: r.id, split: split, kind: .interpolation)
                return
            }
            data.latents = try s.latents(split: split, of: r.id)
            data.sentences = try s.sentences(split: split, of: r.id).sorted { $0.index < $1.index }.map(\.text)
            data.texts = try s.decodedTexts(of: r.id, split: split)
        } catch {
            throw SiteError.load(store: s.path, message: "run '\(r.name)': \(error.localizedDescription)")
        }
    }

    /// The cached metrics of a run whose inputs hash is known (from the previous build), or nil.
    public static func cachedMetrics(_ located: Located, split: String, inputsHash: String) -> RunMetricSet? {
        guard let rows = try? located.store.metrics(of: located.run.id, split: split) else { return nil }
        let mine = rows.filter { $0.inputsHash == inputsHash }.map {
            RunMetrics.CacheRow(metric: $0.metric, variant: $0.variant, bucket: $0.bucket, value: $0.value)
        }
        return RunMetrics.decode(mine, inputsHash: inputsHash, split: split)
    }

    /// The run's metrics from the cache when its rows carry the inputs hash, else computed and written back
    /// (when the store is writable). Returns whether the cache answered.
    public static func metrics(of data: RunData, _ located: Located, useCache: Bool = true, clock: PhaseClock? = nil,
                               miSubsample: Int? = nil) throws -> (set: RunMetricSet, cached: Bool) {
        let hash = PhaseClock.time(clock, "hash inputs") { RunMetrics.inputsHash(data, miSubsample: miSubsample) }
        let s = located.store, id = located.run.id
        if useCache, let set = PhaseClock.time(clock, "read cache", { cachedMetrics(located, split: data.split, inputsHash: hash) }) {
            return (set, true)
        }
        let set = try PhaseClock.time(clock, "compute metrics") {
            try RunMetrics.compute(data, inputsHash: hash, miSubsample: miSubsample)
        }
        if useCache, s.mode == .readWrite {
            let rows = RunMetrics.encode(set).map {
                MetricValue(metric: $0.metric, variant: $0.variant, split: data.split, bucket: $0.bucket,
                            value: $0.value, inputsHash: hash)
            }
            PhaseClock.time(clock, "write cache") { try? s.putMetrics(rows, of: id) }
        }
        return (set, false)
    }
}
