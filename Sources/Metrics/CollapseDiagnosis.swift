import Foundation

/// Per-dimension collapse diagnosis in the sense of the "too weak vs too noisy signal" explanation of
/// posterior collapse (Goyal et al. 2017, Z-Forcing §2; as summarised in the Data Science Stack Exchange
/// answer "What is posterior collapse phenomenon?", 2019): the decoder ignores z_d when the signal from x to
/// the posterior is either too weak (μ_d hardly depends on x, q(z_d|x) ≈ q(z_d)) or too noisy (samples of z_d
/// are dominated by σ_d rather than by the movement of μ_d across sentences).
///
/// Per dimension d, with signal s_d = Var_x(μ_d) (N − 1 divisor), noise n_d = E_x[σ_d²] and KL_d the mean
/// per-dimension KL to the prior:
/// - `.collapsedToPrior`: s_d < `signalVariance` and KL_d < `priorKL` — q(z_d|x) ≈ N(0, 1) for every x;
/// - `.tooWeak`: s_d < `signalVariance` but KL_d ≥ `priorKL` — a constant posterior away from the prior;
/// - `.tooNoisy`: s_d ≥ `signalVariance` but s_d / n_d < `signalToNoise` — μ_d moves, less than σ_d blurs it;
/// - `.signal`: s_d ≥ `signalVariance` and s_d / n_d ≥ `signalToNoise`.
/// Defaults: `signalVariance` 0.01 is the active-unit threshold of Burda et al. 2016 / He et al. 2019;
/// `priorKL` 0.01 nats; `signalToNoise` 1 (between-sentence spread at least the within-sentence spread).
/// With N < 2 the signal is undefined: every dimension is `.tooWeak`, or `.collapsedToPrior` when KL_d is small.
public enum DimensionState: String, Codable, CaseIterable, Sendable {
    case signal, collapsedToPrior, tooWeak, tooNoisy
}

/// Thresholds of the collapse diagnosis (see `DimensionState`).
public struct CollapseThresholds: Codable, Hashable, Sendable {
    public var signalVariance: Double
    public var priorKL: Double
    public var signalToNoise: Double
    public init(signalVariance: Double = 0.01, priorKL: Double = 0.01, signalToNoise: Double = 1) {
        self.signalVariance = signalVariance
        self.priorKL = priorKL
        self.signalToNoise = signalToNoise
    }
}

/// The diagnosis of one latent dimension.
public struct DimensionDiagnosis: Codable, Hashable, Sendable {
    public var dimension: Int
    /// Var_x(μ_d), N − 1 divisor; nil when N < 2.
    public var signal: Double?
    /// E_x[σ_d²].
    public var noise: Double
    /// Mean KL(q(z_d|x) ‖ N(0, 1)).
    public var kl: Double
    public var state: DimensionState
}

extension LatentMetrics {
    /// Classifies every latent dimension (see `DimensionState` for the rules and their source).
    public static func diagnoseCollapse(_ p: Posteriors, thresholds t: CollapseThresholds = .init())
        -> [DimensionDiagnosis] {
        let d = p.dimension
        let signal = columnVariances(p.mu, dimension: d)
        let kl = klPerDimension(p)
        var noise = [Double](repeating: 0, count: d)
        for i in 0..<p.count {
            for k in 0..<d { noise[k] += exp(Double(p.logVar[i * d + k])) }
        }
        if p.count > 0 { noise = noise.map { $0 / Double(p.count) } }
        return (0..<d).map { k in
            let s = signal?[k]
            let state: DimensionState
            if let s, s >= t.signalVariance {
                state = s >= t.signalToNoise * noise[k] ? .signal : .tooNoisy
            } else {
                state = kl[k] < t.priorKL ? .collapsedToPrior : .tooWeak
            }
            return DimensionDiagnosis(dimension: k, signal: s, noise: noise[k], kl: kl[k], state: state)
        }
    }
}
