import Foundation
import Metrics
import Tensor

/// `vaescope bench metrics`: times the text metrics on sentence pairs and the latent metrics on N × d
/// latents (plus N × D features), medians of repeats, wall and process-CPU seconds. The Python references
/// (/work/shared/bench/metrics_ref.py: sacrebleu, rouge-score, NumPy) are run beside it by the user, on the
/// same pairs file, in the same session; the closing table prints their figures when given as JSON lines.
public struct MetricsBenchmark {
    public struct Options: Sendable {
        public var pairsPath: String?          // TSV "reference<TAB>hypothesis"; nil = generate from `seed`
        public var pairs = 10_000
        public var latentCount = 10_000
        public var latentDimension = 64
        public var featureDimension = 512
        public var repeats = 5
        public var minimumSeconds = 0.5
        public var seed: UInt64 = 1234
        public init() {}
    }

    /// One timed measurement.
    public struct Measurement: Sendable {
        public var name: String
        public var seconds: Double             // median wall
        public var cpuSeconds: Double          // median process CPU
        public var runs: Int
        public var value: String
    }

    public let options: Options
    public init(options: Options) { self.options = options }

    /// Runs every measurement, printing one JSON line each through `emit`; returns them.
    public func run(emit: (String) -> Void) throws -> [Measurement] {
        var out: [Measurement] = []
        func record(_ m: Measurement) {
            out.append(m)
            emit(#"{"bench":"vaescope_metrics","metric":"\#(m.name)","seconds":\#(m.seconds),"cpu_seconds":\#(m.cpuSeconds),"runs":\#(m.runs),"value":"\#(m.value)"}"#)
        }
        let (refs, hyps) = try loadPairs()
        record(time("read_pairs") { _ = try? loadPairs(); return "\(refs.count) pairs" })
        record(time("text_all_metrics_by_bucket") {
            let v = TextMetrics.reconstruction(references: refs, hypotheses: hyps)
            let bleu4 = v.first { $0.bucket == .all && $0.variant.id == "bleu4.corpus.sacrebleu-exp" }?.value ?? .nan
            return "\(v.count) values; all: sacreBLEU-4 \(fmt(bleu4 * 100))"
        })
        record(time("bleu2_bleu4_corpus_sacrebleu_none") {
            var interner = TokenInterner()
            let r = refs.map { interner.whitespaceTokens($0) }, h = hyps.map { interner.whitespaceTokens($0) }
            let s = PairStatistics.of(hypotheses: h, references: r)
            let b2 = BLEU.corpusSacreBLEU(s, maxOrder: 2).score, b4 = BLEU.corpusSacreBLEU(s, maxOrder: 4).score
            return "BLEU-2 \(fmt(b2 * 100)) BLEU-4 \(fmt(b4 * 100))"
        })
        record(time("rouge_score_r2_r4_rL_f1") {
            var interner = TokenInterner()
            let r = refs.map { interner.rougeScoreTokens($0) }, h = hyps.map { interner.rougeScoreTokens($0) }
            let s = PairStatistics.of(hypotheses: h, references: r)
            let n = Double(s.count)
            let r2 = s.reduce(0) { $0 + ROUGE.nScoreF1($1, n: 2) } / n
            let r4 = s.reduce(0) { $0 + ROUGE.nScoreF1($1, n: 4) } / n
            let rl = zip(h, r).reduce(0) { $0 + ROUGE.lcsF1(hypothesis: $1.0, reference: $1.1) } / n
            return "R2 \(fmt(r2)) R4 \(fmt(r4)) RL \(fmt(rl))"
        })
        record(time("self_bleu4_10k") {
            var interner = TokenInterner()
            let h = hyps.map { interner.whitespaceTokens($0) }
            return "self-BLEU-4 \(fmt(BLEU.selfBLEU(h) ?? .nan))"
        })

        let (p, z, h) = try latents()
        let n = options.latentCount, d = options.latentDimension
        record(time("active_units_\(n)x\(d)") {
            "\(LatentMetrics.activeUnits(mu: p.mu, dimension: d).count)"
        })
        record(time("logdet_cov_\(n)x\(d)") {
            "\(LatentMetrics.logDetCovariance(z: p.mu, dimension: d))"
        })
        record(time("gaussian_kl_to_std_normal_\(n)x\(d)") {
            fmt(LatentMetrics.gaussianFit(z: p.mu, dimension: d).klToStandardNormal(dimension: d) ?? .nan)
        })
        record(time("mi_full_split_\(n)x\(d)") {
            fmt((try? LatentMetrics.mutualInformationMixture(p, z: z)) ?? .nan)
        })
        record(time("mean_pairwise_cosine_\(n)x\(options.featureDimension)") {
            fmt(Dispersion.meanPairwiseCosine(h, dimension: options.featureDimension) ?? .nan)
        })
        record(time("cosine_histogram_sampled_200k_\(n)x\(options.featureDimension)") {
            var g = SplitMix64(seed: options.seed)
            return Dispersion.cosineHistogram(h, dimension: options.featureDimension, generator: &g).description
        })
        return out
    }

    // MARK: inputs

    func loadPairs() throws -> ([String], [String]) {
        guard let path = options.pairsPath else { return generatedPairs() }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchError.unreadable(path)
        }
        var refs: [String] = [], hyps: [String] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let tab = line.firstIndex(of: "\t") else { throw BenchError.badPair(path, i + 1) }
            refs.append(String(line[..<tab]))
            hyps.append(String(line[line.index(after: tab)...]))
        }
        return (refs, hyps)
    }

    /// Deterministic pairs like gen_pairs.py: Zipf-distributed words, lengths 3…40, per-pair noise
    /// p ~ U(0, 0.45) (drop p/2, substitute p/2, insert p/8), 5% exact copies.
    func generatedPairs() -> ([String], [String]) {
        var g = SplitMix64(seed: options.seed)
        let vocabulary = (0..<20_000).map { "w\($0)" }
        let weights = (1...vocabulary.count).map { 1 / Double($0) }
        var cumulative: [Double] = []
        var s = 0.0
        for w in weights { s += w; cumulative.append(s) }
        func word() -> String {
            let u = Double.random(in: 0..<s, using: &g)
            var lo = 0, hi = cumulative.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] < u { lo = mid + 1 } else { hi = mid } }
            return vocabulary[lo]
        }
        var refs: [String] = [], hyps: [String] = []
        for _ in 0..<options.pairs {
            let ref = (0..<Int.random(in: 3...40, using: &g)).map { _ in word() }
            let p = Double.random(in: 0..<1, using: &g) < 0.05 ? 0 : Double.random(in: 0..<0.45, using: &g)
            var hyp: [String] = []
            for w in ref {
                let r = Double.random(in: 0..<1, using: &g)
                if r < p / 2 { continue }
                hyp.append(r < p ? word() : w)
                if Double.random(in: 0..<1, using: &g) < p / 8 { hyp.append(word()) }
            }
            if hyp.isEmpty { hyp = [ref[0]] }
            refs.append(ref.joined(separator: " "))
            hyps.append(hyp.joined(separator: " "))
        }
        return (refs, hyps)
    }

    /// Latents like metrics_ref.py: 60% of dimensions with spread 1, 40% with 0.05 (var 0.0025), a slight
    /// mixing, offset 0.1; log σ² ~ U(−3, 0); z = μ + σ ε; features h ~ N(0.2, 1).
    func latents() throws -> (Posteriors, [Float], [Float]) {
        var g = SplitMix64(seed: options.seed &+ 1)
        let n = options.latentCount, d = options.latentDimension, dh = options.featureDimension
        let active = Int(0.6 * Double(d))
        var mu = [Float](repeating: 0, count: n * d), lv = mu, z = mu
        for i in 0..<n {
            var row = (0..<d).map { k in g.nextGaussian() * (k < active ? 1 : 0.05) }
            for k in 1..<d { row[k] += 0.05 * row[k - 1] }
            for k in 0..<d {
                mu[i * d + k] = Float(row[k] + 0.1)
                lv[i * d + k] = Float(Double.random(in: -3..<0, using: &g))
                z[i * d + k] = mu[i * d + k] + Float(exp(0.5 * Double(lv[i * d + k])) * g.nextGaussian())
            }
        }
        let h = (0..<(n * dh)).map { _ in Float(g.nextGaussian() + 0.2) }
        return (try Posteriors(mu: mu, logVar: lv, dimension: d), z, h)
    }

    // MARK: timing

    func time(_ name: String, _ body: () -> String) -> Measurement {
        var walls: [Double] = [], cpus: [Double] = []
        var value = ""
        while walls.count < options.repeats || walls.reduce(0, +) < options.minimumSeconds {
            let c0 = processCPUSeconds(), t0 = DispatchTime.now().uptimeNanoseconds
            value = body()
            walls.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            cpus.append(processCPUSeconds() - c0)
            if walls.count >= 1000 { break }
        }
        return Measurement(name: name, seconds: median(walls), cpuSeconds: median(cpus), runs: walls.count, value: value)
    }
}

func median(_ x: [Double]) -> Double {
    let s = x.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func fmt(_ x: Double) -> String { String(format: "%.6g", x) }

/// Errors of the Bench module.
public enum BenchError: LocalizedError, Equatable {
    case unreadable(String)
    case badPair(String, Int)
    public var errorDescription: String? {
        switch self {
        case .unreadable(let p): return "bench: cannot read \(p) (pass a TSV of reference<TAB>hypothesis lines)"
        case .badPair(let p, let l): return "bench: \(p) line \(l) has no tab (expected reference<TAB>hypothesis)"
        }
    }
}

