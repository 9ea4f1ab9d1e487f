import Foundation
import XCTest
import Metrics
import RunStore
@testable import Site

final class SpecTests: XCTestCase {
    func testShippedSpecsParse() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        for name in ["prokhorov2019.yaml", "long2019.yaml", "long2019-longdocs.yaml", "long2019-baselines.yaml", "demo.yaml"] {
            let spec = try ReportSpec.load(path: root.appendingPathComponent("Reports/\(name)").path)
            XCTAssertFalse(spec.exhibits.isEmpty, name)
        }
    }

    func testSyntaxErrorsSayWhere() {
        let yaml = """
            title: t
            exhibits:
              - kind: metricTable
                colums: [rate]
            """
        XCTAssertThrowsError(try ReportSpec.parse(yaml: yaml, file: "Reports/x.yaml")) { error in
            XCTAssertEqual(error.localizedDescription.hasPrefix("Reports/x.yaml:4:"), true, error.localizedDescription)
            XCTAssertTrue(error.localizedDescription.contains("colums"))
        }
        XCTAssertThrowsError(try ReportSpec.parse(yaml: "exhibits:\n  - kind: pieChart\n", file: "r.yaml")) {
            XCTAssertTrue($0.localizedDescription.contains("r.yaml:2:") && $0.localizedDescription.contains("pieChart"), $0.localizedDescription)
        }
        XCTAssertThrowsError(try ReportSpec.parse(yaml: "title: [unclosed", file: "r.yaml"))
    }

    func testUnknownRunKeyOrMetricIsReportedWithItsLine() throws {
        let f = try Fixture()
        defer { f.remove() }
        func failure(_ yaml: String) -> String {
            let path = f.directory.appendingPathComponent("bad.yaml").path
            _ = FileManager.default.createFile(atPath: path, contents: Data(yaml.utf8))
            do {
                try SiteBuilder.build(.init(stores: [f.store], specs: [path], output: f.directory.appendingPathComponent("out").path))
                return "no error"
            } catch { return error.localizedDescription }
        }
        let metric = failure("title: t\nexhibits:\n  - kind: metricTable\n    columns: [rate, ratee]\n")
        XCTAssertTrue(metric.contains("bad.yaml:4:") && metric.contains("unknown metric or config key 'ratee'"), metric)
        let y = failure("title: t\nexhibits:\n  - kind: metricFigure\n    x: klTarget\n    y: [rate, distortoin]\n")
        XCTAssertTrue(y.contains("bad.yaml:5:") && y.contains("unknown metric 'distortoin'"), y)
        let run = failure("runs:\n  names: [ptb-last-elbo, nosuchrun]\nexhibits:\n  - kind: probeTable\n")
        XCTAssertTrue(run.contains("bad.yaml:2:") && run.contains("no run named 'nosuchrun'"), run)
        let key = failure("groupBy: [poolng]\nexhibits:\n  - kind: probeTable\n")
        XCTAssertTrue(key.contains("bad.yaml:1:") && key.contains("unknown config key 'poolng'"), key)
        let scalar = failure("exhibits:\n  - kind: curveFigure\n    scalar: klx\n")
        XCTAssertTrue(scalar.contains("bad.yaml:3:") && scalar.contains("no run logged scalar 'klx'"), scalar)
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.directory.appendingPathComponent("out").path), "nothing written on error")
    }

    func testSelectionAndGrouping() throws {
        let spec = try ReportSpec.parse(yaml: "runs:\n  match: 'ptb-*'\n  where: {pooling: max}\ngroupBy: pooling\nexhibits:\n  - kind: probeTable\n", file: "s.yaml")
        func run(_ name: String, _ pooling: String) -> LoadedRun {
            LoadedRun(data: RunData(id: name, name: name, status: "completed", config: ["pooling": .text(pooling)]),
                      metrics: RunMetricSet(split: "test", values: [], dimensions: [], inputsHash: ""), metricsCached: false, slug: name, pca: nil)
        }
        let runs = [run("ptb-a", "max"), run("ptb-b", "last"), run("wiki-c", "max")]
        XCTAssertEqual(spec.select(runs).map(\.name), ["ptb-a"])
        XCTAssertEqual(spec.group(runs).map(\.label), ["pooling=last", "pooling=max"])
    }

    func testPCAFigureShowsEverySeedOfAGroup() throws {
        let spec = try ReportSpec.parse(yaml: "groupBy: pooling\nexhibits:\n  - kind: pcaFigure\n    id: pca\n", file: "s.yaml")
        func run(_ name: String, _ pooling: String, features: Bool) -> LoadedRun {
            let pca = PCAProjection(points: [0, 0, 1, 1, 2, -1], count: 3, explained: [0.8, 0.1], total: 3)
            return LoadedRun(data: RunData(id: name, name: name, status: "completed", config: ["pooling": .text(pooling)]),
                             metrics: RunMetricSet(split: "test", values: [], dimensions: [], inputsHash: ""),
                             metricsCached: false, slug: name, pca: features ? pca : nil)
        }
        let runs = [run("max-s0", "max", features: true), run("max-s1", "max", features: true),
                    run("last-s0", "last", features: false), run("mean-s0", "mean", features: true)]
        let figure = try XCTUnwrap(ReportBuilder.pcaFigures(spec.exhibits[0], groups: spec.group(runs)).first)
        guard case .panels(let panels, let columns, _)? = figure.plot else { return XCTFail("expected panels") }
        XCTAssertEqual(panels.count, 3, "both seeds of the max group and the mean run; no panel for the run without features")
        XCTAssertEqual(columns, 3)
        let titles = panels.compactMap { panel -> String? in if case .scatter(let s) = panel { return s.title }; return nil }
        XCTAssertTrue(titles.contains { $0.hasPrefix("pooling=max, max-s0") } && titles.contains { $0.hasPrefix("pooling=max, max-s1") }, "\(titles)")
        XCTAssertTrue(titles.contains { $0.hasPrefix("pooling=mean: ") }, "a group of one run is named by its group alone: \(titles)")
        XCTAssertTrue(figure.notes.contains("pooling=last: no encoder features were saved."), "\(figure.notes)")
    }

    func testKLTargetOnlyKeysDoNotSplitELBORunsAndLongLabelsKeepValues() throws {
        let spec = try ReportSpec.parse(yaml: "groupBy: [objective, pooling, klTarget]\nexhibits:\n  - kind: probeTable\n", file: "s.yaml")
        func run(_ name: String, _ objective: String, _ pooling: String, _ c: Double) -> LoadedRun {
            LoadedRun(data: RunData(id: name, name: name, status: "completed",
                                    config: ["objective": .text(objective), "pooling": .text(pooling), "klTarget": .number(c)]),
                      metrics: RunMetricSet(split: "test", values: [], dimensions: [], inputsHash: ""), metricsCached: false, slug: name, pca: nil)
        }
        // Two ELBO runs whose unused default C differs fall into one group; the KL-target runs split by C.
        let runs = [run("e1", "elbo", "last", 15), run("e2", "elbo", "last", 10), run("e3", "elbo", "max", 15),
                    run("k3", "klTarget", "last", 3), run("k15", "klTarget", "last", 15)]
        let groups = spec.group(runs)
        XCTAssertEqual(groups.map(\.label), ["elbo, last", "elbo, max",
                                             "klTarget, last, C=3", "klTarget, last, C=15"])
        XCTAssertEqual(groups.map { $0.runs.map(\.name) }, [["e1", "e2"], ["e3"], ["k3"], ["k15"]])
    }
}

final class RunMetricsTests: XCTestCase {
    func testCacheEncodingRoundTripsAndOrderDoesNotMatter() throws {
        let f = try Fixture()
        defer { f.remove() }
        let located = try StoreLoader.runs(paths: [f.store], writeCache: true)
        let l = try XCTUnwrap(located.first { $0.run.name == "ptb-max-elbo" })
        let data = try StoreLoader.load(l, split: "test")
        let set = try RunMetrics.compute(data)
        XCTAssertNotNil(set.value("rate")?.value)
        XCTAssertEqual(set.value("activeUnits")?.value, 3)
        XCTAssertNotNil(set.value("bleu4", bucket: "≤10"))
        XCTAssertNotNil(set.value("bleu2", variant: "sacrebleu"))
        XCTAssertTrue(set.value("iwNLL")?.variant.id.hasPrefix("stored.iw-nll") ?? false)
        XCTAssertEqual(set.schemes, ["greedy", "top-k k=5"])
        XCTAssertEqual(set.dimensions.filter { $0.state == .signal }.count, 3)
        let rows = RunMetrics.encode(set)
        XCTAssertEqual(RunMetrics.decode(rows.reversed(), inputsHash: set.inputsHash, split: "test"), set)
        XCTAssertNil(RunMetrics.decode(Array(rows.dropLast()), inputsHash: set.inputsHash, split: "test"))
        // Through the store: the second read is a cache hit with equal values.
        let (first, c1) = try StoreLoader.metrics(of: data, l)
        let (second, c2) = try StoreLoader.metrics(of: data, l)
        XCTAssertFalse(c1)
        XCTAssertTrue(c2)
        XCTAssertEqual(first, second)
        // Changed inputs miss the cache.
        var changed = data
        changed.sentences[0] += " changed"
        XCTAssertFalse(try StoreLoader.metrics(of: changed, l).cached)
    }

    func testStoredFullSplitMIIsUsedInsteadOfRecomputing() throws {
        let n = 6, d = 2
        let mu: [Float] = (0..<(n * d)).map { Float($0 % 5) * 0.3 }
        let lv = [Float](repeating: -1, count: n * d)
        let latents = LatentSet(count: n, latentSize: d, samples: 1, featureSize: 0, mu: mu, logVariance: lv, z: mu, features: [])
        var data = RunData(id: "r", name: "r", status: "completed", latents: latents)
        let computed = try RunMetrics.compute(data)
        let mi = computed.value("mutualInformation")
        XCTAssertEqual(mi?.variant.id, "mi.full-split")
        let direct = try LatentMetrics.mutualInformationMixture(Posteriors(mu: mu, logVar: lv, dimension: d), z: mu)
        XCTAssertEqual(mi?.value ?? .nan, direct, accuracy: 1e-12)
        data.scalars = [ScalarSeries(key: "eval.mi.mixture", split: "test", steps: [3], values: [0.625])]
        let stored = try RunMetrics.compute(data)
        XCTAssertEqual(stored.value("mutualInformation")?.variant.id, "stored.mi.full-split", "labelled as the evaluation's value")
        XCTAssertEqual(stored.value("mutualInformation")?.value, 0.625)
        XCTAssertEqual(stored.value("aggregateKL", variant: "rate-minus-mi")?.value ?? .nan,
                       (stored.value("rate")?.value ?? .nan) - 0.625, accuracy: 1e-12)
        XCTAssertNotEqual(stored.inputsHash, computed.inputsHash)
    }

    func testMetricsListingFormats() throws {
        let f = try Fixture()
        defer { f.remove() }
        let entries = try MetricsListing.collect(stores: [f.store], runs: ["ptb-max-elbo"], split: "test")
        let json = try MetricsListing.format(entries, as: .json)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        XCTAssertTrue(parsed?.contains { ($0["metric"] as? String) == "AU" && (($0["variant"] as? [String: Any])?["label"] as? String)?.contains("calc_au") == true } == true)
        let table = try MetricsListing.format(entries, as: .table)
        XCTAssertTrue(table.contains("BLEU-4") && table.contains("≤10"))
        let csv = try MetricsListing.format(entries, as: .csv)
        XCTAssertTrue(csv.hasPrefix("run,run_id,split,metric,variant_id"))
        XCTAssertThrowsError(try MetricsListing.collect(stores: [f.store], runs: ["nope"], split: "test"))
    }
}

final class MetricFigureTests: XCTestCase {
    func run(_ name: String, pooling: String, c: Double, rate: Double) -> LoadedRun {
        LoadedRun(data: RunData(id: name, name: name, status: "completed",
                                config: ["pooling": .text(pooling), "klTarget": .number(c)]),
                  metrics: RunMetricSet(split: "test", values: [SiteMetric(name: "Rate", variant: .rate, value: rate)],
                                        dimensions: [], inputsHash: ""),
                  metricsCached: false, slug: name, pca: nil)
    }

    /// Seeds of one setting share an x: the figure shows their mean with ± one sample SD, not a zigzag line
    /// through each run.
    func testRunsSharingXAreAveragedWithABand() throws {
        let spec = try ReportSpec.parse(yaml: "groupBy: pooling\nexhibits:\n  - kind: metricFigure\n    x: klTarget\n    y: [rate]\n",
                                        file: "m.yaml")
        let runs = [run("a1", pooling: "last", c: 3, rate: 2), run("a2", pooling: "last", c: 3, rate: 4),
                    run("a3", pooling: "last", c: 15, rate: 14), run("b1", pooling: "max", c: 3, rate: 3)]
        var notes: [String] = []
        let figures = ReportBuilder.metricFigures(spec.exhibits[0], groups: spec.group(runs), notes: &notes)
        guard case .line(let plot)? = figures.first?.plot else { return XCTFail("expected one line plot") }
        let last = try XCTUnwrap(plot.series.first { $0.name == "pooling=last" })
        XCTAssertEqual(last.x, [3, 15])
        XCTAssertEqual(last.y, [3, 14])
        XCTAssertEqual(last.band[0], 2.squareRoot(), accuracy: 1e-12)   // sd of {2, 4}
        XCTAssertEqual(last.band[1], 0)
        let max = try XCTUnwrap(plot.series.first { $0.name == "pooling=max" })
        XCTAssertEqual(max.y, [3])
        XCTAssertEqual(max.band, [], "a group without repeated x has no band")
        XCTAssertTrue(figures[0].notes.contains { $0.contains("mean, shaded ± one standard deviation") }, "\(figures[0].notes)")
    }
}

final class InterpolationExhibitTests: XCTestCase {
    func testPairsPicksHowManyInterpolationsEachGroupShows() throws {
        XCTAssertThrowsError(try ReportSpec.parse(yaml: "exhibits:\n  - {kind: interpolationTable, pairs: 0}\n", file: "i.yaml")) {
            XCTAssertTrue("\($0)".contains("must be an integer from 1 to 50"), "\($0)")
        }
        let spec = try ReportSpec.parse(yaml: "exhibits:\n  - {kind: interpolationTable, id: t2, pairs: 2}\n", file: "i.yaml")
        let texts = (0..<3).flatMap { pair in
            (0..<7).map { p in DecodedText(kind: .interpolation, decoding: .greedy, zIndex: pair * 7 + p, pairIndex: pair,
                                           pointIndex: p, text: "pair \(pair) point \(p)") }
        }
        let run = LoadedRun(data: RunData(id: "r", name: "r", status: "completed", config: [:], texts: texts),
                            metrics: RunMetricSet(split: "test", values: [], dimensions: [], inputsHash: ""),
                            metricsCached: false, slug: "r", pca: nil)
        let tables = ReportBuilder.interpolationTables(spec.exhibits[0], groups: [(label: "all runs", runs: [run])])
        XCTAssertEqual(tables.count, 2)
        XCTAssertEqual(tables.map { $0.rows.count }, [7, 7])
        XCTAssertEqual(tables[1].rows[3][1], .text("pair 1 point 3"))
    }
}

/// The papers beside the runs: their numbers quoted as published, their claims checked against the runs.
final class PaperExhibitTests: XCTestCase {
    func run(_ name: String, pooling: String, seed: Int, kl: Double, cosine: [Double]) -> LoadedRun {
        LoadedRun(data: RunData(id: name, name: name, status: "completed",
                                config: ["pooling": .text(pooling), "seed": .number(Double(seed))],
                                scalars: [ScalarSeries(key: "mean_pairwise_cosine", split: "valid",
                                                       steps: Array(cosine.indices), values: cosine)]),
                  metrics: RunMetricSet(split: "test", values: [SiteMetric(name: "Rate", variant: .rate, value: kl)],
                                        dimensions: [], inputsHash: ""),
                  metricsCached: false, slug: name, pca: nil)
    }

    func testPublishedTableKeepsTheTextAsPublishedAndNamesItsSource() throws {
        let spec = try ReportSpec.parse(yaml: """
            exhibits:
              - kind: publishedTable
                id: he
                title: He et al. Table 1
                source: "He et al. 2019, Table 1"
                columns: [model, NLL, KL]
                rows:
                  - [VAE, 328.8, "0.0"]
                  - [CNN-VAE, "≤332.1", "10.0"]
            """, file: "p.yaml")
        let t = ReportBuilder.publishedTable(spec.exhibits[0])
        XCTAssertEqual(t.columns, ["model", "NLL", "KL"])
        XCTAssertEqual(t.rows[0][2], SiteTable.Cell(text: "0.0", number: 0))
        XCTAssertEqual(t.rows[1][1], .text("≤332.1"), "a bound stays text")
        XCTAssertEqual(t.notes.first, "Source: He et al. 2019, Table 1.")
        XCTAssertThrowsError(try ReportSpec.parse(yaml: "exhibits:\n  - kind: publishedTable\n    source: s\n    columns: [a, b]\n    rows:\n      - [1]\n",
                                                  file: "p.yaml")) {
            XCTAssertTrue("\($0)".contains("p.yaml:6:") && "\($0)".contains("1 cells for 2 columns"), "\($0)")
        }
        XCTAssertThrowsError(try ReportSpec.parse(yaml: "exhibits:\n  - kind: publishedTable\n    columns: [a]\n    rows: [[1]]\n", file: "p.yaml"))
    }

    func testClaimsAreCheckedAgainstGroupMeansAndSaidInOneSentence() throws {
        let spec = try ReportSpec.parse(yaml: """
            groupBy: pooling
            exhibits:
              - kind: claims
                claims:
                  - {text: "max keeps the KL", metric: kl, higher: max, lower: last}
                  - {text: "max disperses the features", scalar: mean_pairwise_cosine, higher: last, lower: max}
                  - {text: "mean is between", metric: kl, higher: mean, lower: last}
            """, file: "c.yaml")
        let runs = [run("l0", pooling: "last", seed: 0, kl: 0.01, cosine: [0.9, 0.5]), run("l1", pooling: "last", seed: 1, kl: 0.03, cosine: [0.9, 0.6]),
                    run("m0", pooling: "max", seed: 0, kl: 0.5, cosine: [0.9, 0.7]), run("m1", pooling: "max", seed: 1, kl: 0.6, cosine: [0.9, 0.8])]
        let t = ReportBuilder.claimsTable(spec.exhibits[0], groups: spec.group(runs), spec: spec)
        XCTAssertEqual(t.rows.map { $0.last }, [.text("held"), .text("did not hold"), .text("not measured")])
        XCTAssertEqual(t.rows[0][3].number ?? .nan, 0.55, accuracy: 1e-12, "mean of the max group's KL")
        XCTAssertEqual(t.rows[1][3].number ?? .nan, 0.55, accuracy: 1e-12, "last validation value, averaged over seeds")
        XCTAssertEqual(t.notes.first, "In these runs, held: max keeps the KL — did not hold: max disperses the features — "
                       + "not measured (no such group or value): mean is between.")
        // Seeds on both sides and a difference inside their spread: neither held nor failed.
        let close = [run("l0", pooling: "last", seed: 0, kl: 0.01, cosine: [0.5]), run("l1", pooling: "last", seed: 1, kl: 0.03, cosine: [0.5]),
                     run("m0", pooling: "max", seed: 0, kl: 0.02, cosine: [0.5]), run("m1", pooling: "max", seed: 1, kl: 0.04, cosine: [0.5])]
        XCTAssertEqual(ReportBuilder.claimsTable(spec.exhibits[0], groups: spec.group(close), spec: spec).rows[0].last,
                       .text("within the seeds' spread"))
        XCTAssertThrowsError(try ReportSpec.parse(yaml: "exhibits:\n  - kind: claims\n    claims:\n      - {text: t, higher: a, lower: b}\n", file: "c.yaml")) {
            XCTAssertTrue($0.localizedDescription.contains("either 'metric' or 'scalar'"), $0.localizedDescription)
        }
    }
}

final class CategoryColourTests: XCTestCase {
    func testACategoryHasOneColourOnEveryFigureAndAFigureNeverRepeatsOne() {
        XCTAssertEqual(CategoryColours.category("pooling=max (n=2)"), "max")
        XCTAssertEqual(CategoryColours.category("KL (valid)"), "valid", "a split's curves share its colour")
        XCTAssertEqual(CategoryColours.slots(["KL (train)", "KL (valid)"]), CategoryColours.slots(["loss (train)", "reconstruction (valid)"]))
        XCTAssertFalse((0..<50).map { "run-\($0)" }.contains { CategoryColours.slots([$0]) == [6] }, "no pale yellow for hashed names")
        let a = CategoryColours.slots(["pooling=last", "pooling=max"])
        let b = CategoryColours.slots(["pooling=mean", "pooling=max (n=2)", "pooling=last (n=2)"])
        XCTAssertEqual(a[1], b[1], "max keeps its colour whatever else the figure holds")
        XCTAssertEqual(a[0], b[2])
        XCTAssertEqual(CategoryColours.slots(["run-b", "run-a"])[1], CategoryColours.slots(["run-a"])[0], "unpinned names too")
        // Two hashed names on the same slot: the second moves on, and never onto yellow while others are free.
        let onFive = (0..<2000).map { "n\($0)" }.filter { CategoryColours.slots([$0]) == [5] }
        XCTAssertGreaterThanOrEqual(onFive.count, 2)
        let pair = CategoryColours.slots(Array(onFive.prefix(2)))
        XCTAssertEqual(pair[0], 5)
        XCTAssertNotEqual(pair[1], 5)
        XCTAssertNotEqual(pair[1], 6, "no pale yellow for a hashed name while other colours are free")
        let many = CategoryColours.slots((0..<8).map { "run-\($0)" })
        XCTAssertEqual(Set(many).count, 8, "no two series of a figure share a colour while the palette lasts")
    }
}

final class ChangedSettingsTests: XCTestCase {
    /// The run page opens with the settings a run chose: differing from the defaults and used by the run.
    func testOnlySettingsThatDifferAndApplyAreListed() {
        let run = LoadedRun(data: RunData(id: "r", name: "r", status: "completed",
                                          config: ["pooling": .text("max"), "objective.kind": .text("elbo"), "objective.klTarget": .number(15),
                                                   "seed": .number(0)]),
                            metrics: RunMetricSet(split: "test", values: [], dimensions: [], inputsHash: ""),
                            metricsCached: false, slug: "r", pca: nil)
        let defaults: [String: ConfigValue] = ["pooling": .text("last"), "objective.kind": .text("elbo"),
                                               "objective.klTarget": .number(3), "seed": .number(0)]
        let t = RunPageBuilder.changedSettingsTable(run, defaults: defaults)
        XCTAssertEqual(t.rows, [[.text("pooling"), .text("max"), .text("last")]], "C differs but an ELBO run does not use it")
        let same = RunPageBuilder.changedSettingsTable(run, defaults: run.data.config)
        XCTAssertEqual(same.rows, [])
        XCTAssertEqual(same.notes, ["Every setting this run uses is VAEScope's default."])
    }
}

extension PaperExhibitTests {
    /// A claim across values of another key than the grouping one (Prokhorov's trends across C).
    func testClaimByAnotherKey() throws {
        let spec = try ReportSpec.parse(yaml: """
            groupBy: pooling
            exhibits:
              - kind: claims
                claims:
                  - {text: "larger seeds, larger KL", metric: kl, by: seed, higher: 1, lower: 0}
            """, file: "c.yaml")
        let runs = [run("l0", pooling: "last", seed: 0, kl: 0.01, cosine: [0.5]), run("l1", pooling: "last", seed: 1, kl: 0.03, cosine: [0.5]),
                    run("m0", pooling: "max", seed: 0, kl: 0.02, cosine: [0.5]), run("m1", pooling: "max", seed: 1, kl: 0.04, cosine: [0.5])]
        let t = ReportBuilder.claimsTable(spec.exhibits[0], groups: spec.group(runs), spec: spec)
        XCTAssertEqual(t.rows[0][2], .text("seed = 1 > seed = 0"))
        XCTAssertEqual(t.rows[0][3].number ?? .nan, 0.035, accuracy: 1e-12)
        XCTAssertEqual(t.rows[0][5], .text("held"))
    }
}

final class SeedSetLabelTests: XCTestCase {
    func testLargeSeedGroupsAreNamedCompactly() {
        func run(_ i: Int) -> LoadedRun {
            var d = RunData(id: "r\(i)", name: "run-\(i)", status: "completed", config: [:])
            d.seed = UInt64(100 + i)
            return LoadedRun(data: d, metrics: RunMetricSet(split: "test", values: [], dimensions: [], inputsHash: ""),
                             metricsCached: false, slug: "r\(i)", pca: nil)
        }
        XCTAssertEqual(ReportBuilder.seedSetNames([run(0), run(1)]), "run-0, run-1")
        XCTAssertEqual(ReportBuilder.seedList([run(0), run(1)]), "100, 101")
        let many = (0..<50).map(run)
        XCTAssertEqual(ReportBuilder.seedSetNames(many), "run-0 … run-49 (50 runs)")
        XCTAssertEqual(ReportBuilder.seedList(many), "50 seeds, 100–149")
    }
}

/// The pre-registered rule of docs/long2019.md on made-up runs: each outcome it can give.
final class Long2019RuleTests: XCTestCase {
    func run(_ pooling: String, seed: Int, kl: Double, au: Double, mi: Double, nll: Double, cosine: [Double],
             status: String = "completed", k: Double = 500, name: String? = nil) -> LoadedRun {
        var d = RunData(id: name ?? "\(pooling)-\(seed)", name: name ?? "\(pooling)-s\(seed)", status: status, config: ["pooling": .text(pooling)],
                        scalars: [ScalarSeries(key: "mean_pairwise_cosine", split: "valid", steps: Array(cosine.indices).map { ($0 + 1) * 462 },
                                               epochs: Array(cosine.indices), values: cosine),
                                  ScalarSeries(key: "eval.iwSamples", split: "test", steps: [1], values: [k])])
        d.seed = UInt64(seed)
        let values = [SiteMetric(name: "Rate", variant: .rate, value: kl), SiteMetric(name: "AU", variant: Variant.activeUnits(threshold: 0.01), value: au),
                      SiteMetric(name: "MI", variant: StoredResults.miMinibatch, value: mi), SiteMetric(name: "IW-NLL", variant: StoredResults.iwNLL, value: nll)]
        return LoadedRun(data: d, metrics: RunMetricSet(split: "test", values: values, dimensions: [], inputsHash: ""),
                         metricsCached: false, slug: d.name, pca: nil)
    }

    func testVerdictTableKeepsSingleValuesNumeric() throws {
        let runs = [0, 1].flatMap { s in
            [run("max", seed: s, kl: 0.05, au: 0, mi: -0.241, nll: 330, cosine: [0.9, 0.9]),
             run("last", seed: s, kl: 0.05, au: 0, mi: -0.24, nll: 330, cosine: [0.9, 0.9])]
        }
        let spec = try ReportSpec.parse(yaml: "exhibits:\n  - kind: long2019Verdict\n    id: verdict\n", file: "s.yaml")
        let table = Long2019Rule.table(spec.exhibits[0], runs: runs)
        let mi = try XCTUnwrap(table.rows.first { $0[1] == .text("max: MI ≥ 0.5 (minibatch)") })
        XCTAssertEqual(mi[2].number ?? .nan, -0.241, accuracy: 1e-3, "a negative value is a number, not CSV text to guard")
        let nll = try XCTUnwrap(table.rows.first { $0[1].text.hasPrefix("max: IW-NLL") })
        XCTAssertNil(nll[2].number, "a comparison stays text")
        XCTAssertTrue(table.csv().contains(",max: MI ≥ 0.5 (minibatch),-0.241,"), table.csv())
    }

    func testEachOutcome() {
        func four(maxKL: Double, lastKL: Double, maxCos: [Double] = [0.5, 0.4], nll: Double = 330) -> [LoadedRun] {
            [0, 1].flatMap { s in
                [run("max", seed: s, kl: maxKL, au: maxKL >= 1 ? 5 : 0, mi: maxKL >= 1 ? 1 : 0, nll: nll, cosine: maxCos),
                 run("last", seed: s, kl: lastKL, au: lastKL > 0.2 ? 4 : 0, mi: 0, nll: 330, cosine: [0.9, 0.9])]
            }
        }
        XCTAssertEqual(Long2019Rule.evaluate(four(maxKL: 3, lastKL: 0.05)).verdict, "reproduces")
        XCTAssertEqual(Long2019Rule.evaluate(four(maxKL: 0.1, lastKL: 0.05)).verdict, "does not reproduce (both poolings collapse in both seeds)")
        XCTAssertEqual(Long2019Rule.evaluate(four(maxKL: 3, lastKL: 2)).verdict, "does not reproduce (both poolings keep their KL in both seeds)")
        // Max keeps its KL but its cosine is higher at one epoch end: mixed, and the note says what failed.
        let mixed = Long2019Rule.evaluate(four(maxKL: 3, lastKL: 0.05, maxCos: [0.5, 0.95]))
        XCTAssertEqual(mixed.verdict, "mixed")
        XCTAssertTrue(mixed.notes[1].contains("cosine lower for max") && mixed.notes[1].contains("1 of 2"), mixed.notes[1])
        // Worse likelihood by more than 0.1 nats: mixed.
        XCTAssertEqual(Long2019Rule.evaluate(four(maxKL: 3, lastKL: 0.05, nll: 330.2)).verdict, "mixed")
        // A deciding run missing: not decided.
        XCTAssertTrue(Long2019Rule.evaluate(Array(four(maxKL: 3, lastKL: 0.05).dropLast())).verdict.hasPrefix("not decided"))
        // The thresholds are inclusive as written: KL exactly 1 and 0.2, NLL exactly +0.1 still reproduce.
        XCTAssertEqual(Long2019Rule.evaluate(four(maxKL: 1, lastKL: 0.2, nll: 330.1)).verdict, "reproduces")
        // Not judged before the stopping rule, nor when evaluated otherwise than pre-registered, nor when ambiguous.
        var running = four(maxKL: 3, lastKL: 0.05)
        running[0] = run("max", seed: 0, kl: 3, au: 5, mi: 1, nll: 330, cosine: [0.5, 0.4], status: "interrupted")
        XCTAssertTrue(Long2019Rule.evaluate(running).verdict.hasPrefix("not decided: not yet at the stopping rule"))
        XCTAssertTrue(Long2019Rule.evaluate(running).verdict.contains("max-s0 (interrupted, 2 complete epochs)"))
        // Stopped by hand after the 40-epoch minimum budget: judged as it stands; still training at 40: not judged.
        let cos40 = (0..<40).map { 0.5 - Double($0) * 0.001 }
        running[0] = run("max", seed: 0, kl: 3, au: 5, mi: 1, nll: 330, cosine: cos40, status: "interrupted")
        XCTAssertEqual(Long2019Rule.evaluate(running).verdict, "reproduces")
        running[0] = run("max", seed: 0, kl: 3, au: 5, mi: 1, nll: 330, cosine: Array(cos40.dropLast()), status: "interrupted")
        XCTAssertTrue(Long2019Rule.evaluate(running).verdict.hasPrefix("not decided: not yet at the stopping rule"))
        running[0] = run("max", seed: 0, kl: 3, au: 5, mi: 1, nll: 330, cosine: cos40, status: "running")
        XCTAssertTrue(Long2019Rule.evaluate(running).verdict.hasPrefix("not decided: not yet at the stopping rule"))
        // Paused later than the 40 epochs (its best checkpoint may come from after them): judged only at completion.
        running[0] = run("max", seed: 0, kl: 3, au: 5, mi: 1, nll: 330, cosine: cos40 + [0.3], status: "interrupted")
        XCTAssertTrue(Long2019Rule.evaluate(running).verdict.hasPrefix("not decided: not yet at the stopping rule"))
        var k50 = four(maxKL: 3, lastKL: 0.05)
        k50[1] = run("last", seed: 0, kl: 0.05, au: 0, mi: 0, nll: 330, cosine: [0.9, 0.9], k: 50)
        XCTAssertTrue(Long2019Rule.evaluate(k50).verdict.contains("K = 50"))
        let twice = four(maxKL: 3, lastKL: 0.05) + [run("max", seed: 1, kl: 3, au: 5, mi: 1, nll: 330, cosine: [0.5, 0.4], name: "max-s1-again")]
        XCTAssertTrue(Long2019Rule.evaluate(twice).verdict.hasPrefix("not decided: more than one run"))
        // Epoch ends only one run reached are not compared; none shared leaves the cosine undecided.
        var short = four(maxKL: 3, lastKL: 0.05)
        short[0] = run("max", seed: 0, kl: 3, au: 5, mi: 1, nll: 330, cosine: [0.5, 0.4, 0.99])   // a third epoch last-s0 lacks
        XCTAssertEqual(Long2019Rule.evaluate(short).verdict, "reproduces")
    }
}

/// Settings a run does not use read as "—": the CNN decoder's filter width for a recurrent decoder (and for runs
/// stored before the key existed), an initial state from z for the CNN decoder.
final class ConfigApplicabilityTests: XCTestCase {
    func testDecoderSpecificKeys() {
        func applies(_ key: String, _ config: [String: ConfigValue]) -> Bool { ConfigApplicability.applies(key) { config[$0] } }
        let cnn: [String: ConfigValue] = ["decoderCell": .text("cnn"), "convolutionWidth": .number(20), "latentInitializesDecoder": .bool(false)]
        let lstm: [String: ConfigValue] = ["decoderCell": .text("lstm"), "latentInitializesDecoder": .bool(true)]
        XCTAssertTrue(applies("convolutionWidth", cnn))
        XCTAssertTrue(applies("model.convolutionWidth", cnn))
        XCTAssertFalse(applies("convolutionWidth", lstm))
        XCTAssertFalse(applies("convolutionWidth", [:]))
        XCTAssertFalse(applies("latentInitializesDecoder", cnn))
        XCTAssertFalse(applies("latentInitialState", cnn))
        XCTAssertTrue(applies("latentInitialState", lstm))
    }
}

/// Prokhorov et al.'s Table 3 statistics: read off the forward cross-entropy's generated corpora (N sentences each,
/// mean over the corpora) when the evaluation made them, else off the stored prior samples — and labelled which.
final class GenerationStatisticsSourceTests: XCTestCase {
    func run(fce: Bool) -> RunData {
        let texts = ["a b c", "a b d", "e f g h"].enumerated().map { i, t in
            DecodedText(kind: .priorSample, decoding: .greedy, zIndex: i, text: t)
        }
        var scalars: [ScalarSeries] = []
        if fce {
            for (k, v) in [("nll", 80.0), ("nllSD", 0.5), ("corpora", 3), ("sentences", 4096), ("selfBLEU", 0.31),
                           ("vocabularySize", 2500), ("unkPercent", 4.5), ("meanLength", 19.5)] {
                scalars.append(ScalarSeries(key: "eval.fce.greedy.\(k)", split: "test", steps: [10], values: [v]))
            }
        }
        return RunData(id: "r", name: "r", status: "completed", config: [:], scalars: scalars, texts: texts)
    }

    func testFCECorporaReplaceThePriorSamples() throws {
        let with = try RunMetrics.compute(run(fce: true))
        XCTAssertEqual(with.value("selfBLEU", scheme: "greedy")?.value, 0.31)
        XCTAssertEqual(with.value("vocabularySize", scheme: "greedy")?.value, 2500)
        XCTAssertEqual(with.value("meanLength", scheme: "greedy")?.value, 19.5)
        XCTAssertTrue(with.value("selfBLEU", scheme: "greedy")?.note?.contains("mean over 3 generated corpora of 4096 sentences") ?? false)
        let without = try RunMetrics.compute(run(fce: false))
        XCTAssertEqual(without.value("vocabularySize", scheme: "greedy")?.value, 8)
        XCTAssertNotEqual(without.value("selfBLEU", scheme: "greedy")?.value, 0.31)
        XCTAssertTrue(without.value("selfBLEU", scheme: "greedy")?.note?.contains("over the 3 stored prior samples") ?? false)
    }
}

extension PaperExhibitTests {
    /// Prokhorov et al.'s trends per decoder (`within`), and "the rate stays within C ± 1" (`near`).
    func testClaimsWithinEachDecoderAndNearATarget() throws {
        let spec = try ReportSpec.parse(yaml: """
            groupBy: decoderCell
            exhibits:
              - kind: claims
                claims:
                  - {text: "The rate follows C", metric: kl, by: klTarget, higher: 100, lower: 3, within: decoderCell}
                  - {text: "The rate stays within C ± 1", metric: kl, near: klTarget, tolerance: 1, within: decoderCell}
            """, file: "c.yaml")
        func run(_ name: String, _ decoder: String, c: Double, kl: Double) -> LoadedRun {
            LoadedRun(data: RunData(id: name, name: name, status: "completed",
                                    config: ["decoderCell": .text(decoder), "klTarget": .number(c), "objective": .text("klTarget")]),
                      metrics: RunMetricSet(split: "test", values: [SiteMetric(name: "Rate", variant: .rate, value: kl)],
                                            dimensions: [], inputsHash: ""),
                      metricsCached: false, slug: name, pca: nil)
        }
        let runs = [run("l3", "lstm", c: 3, kl: 3.2), run("l100", "lstm", c: 100, kl: 99.5),
                    run("c3", "cnn", c: 3, kl: 4.5), run("c100", "cnn", c: 100, kl: 2)]
        let t = ReportBuilder.claimsTable(spec.exhibits[0], groups: spec.group(runs), spec: spec)
        XCTAssertEqual(t.rows.map { $0[0] }, [.text("The rate follows C — decoderCell = cnn"), .text("The rate follows C — decoderCell = lstm"),
                                              .text("The rate stays within C ± 1 — decoderCell = cnn"),
                                              .text("The rate stays within C ± 1 — decoderCell = lstm")])
        XCTAssertEqual(t.rows.map { $0.last }, [.text("did not hold"), .text("held"), .text("did not hold (2 of 2 runs outside)"),
                                                .text("held (2 runs)")])
        XCTAssertEqual(t.rows[2][3].number ?? .nan, 98, accuracy: 1e-12, "largest |rate − C|")
        XCTAssertThrowsError(try ReportSpec.parse(yaml: "exhibits:\n  - kind: claims\n    claims:\n      - {text: t, metric: kl, near: klTarget, higher: a}\n",
                                                  file: "c.yaml"))
        XCTAssertThrowsError(try ReportSpec.parse(yaml: "exhibits:\n  - kind: claims\n    claims:\n      - {text: t, metric: kl, near: klTarget, tolerance: -1}\n",
                                                  file: "c.yaml"))
    }
}

extension PaperExhibitTests {
    /// Long et al.'s Figure 4: two seeds that disagree give a wide band; it stops at a cosine of 1, and says so.
    func testCosineBandsStayInsideTheCosinesRange() throws {
        let spec = try ReportSpec.parse(yaml: "groupBy: pooling\nexhibits:\n  - kind: curveFigure\n    scalar: mean_pairwise_cosine\n    split: valid\n",
                                        file: "f.yaml")
        let runs = [run("m0", pooling: "max", seed: 0, kl: 1, cosine: [0.99, 0.98]), run("m1", pooling: "max", seed: 1, kl: 1, cosine: [0.3, 0.2])]
        let figure = ReportBuilder.curveFigure(spec.exhibits[0], groups: spec.group(runs))
        guard case .line(let plot)? = figure.plot else { return XCTFail("no line plot") }
        XCTAssertEqual(plot.series.first?.bandLimits, -1...1)
        XCTAssertTrue(figure.notes.contains { $0.contains("clipped to the quantity's range, -1 … 1)") }, "\(figure.notes)")
        // One seed further along: the group's mean stops where both runs have a value.
        let uneven = [run("m0", pooling: "max", seed: 0, kl: 1, cosine: [0.99, 0.98]), run("m1", pooling: "max", seed: 1, kl: 1, cosine: [0.3, 0.2, 0.1])]
        let cut = ReportBuilder.curveFigure(spec.exhibits[0], groups: spec.group(uneven))
        guard case .line(let cutPlot)? = cut.plot else { return XCTFail("no line plot") }
        XCTAssertEqual(cutPlot.series.first?.x.count, 2)
        XCTAssertEqual(cutPlot.series.first?.y.last ?? .nan, 0.59, accuracy: 1e-12)
        XCTAssertTrue(cut.notes.contains { $0.contains("up to the steps every run of the group logged") }, "\(cut.notes)")
    }
}
