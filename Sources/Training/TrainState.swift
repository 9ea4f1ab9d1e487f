import Foundation
import Model
import Tensor

/// Where a run is: everything besides weights and optimiser moments that an exact resume needs. Stored as the
/// checkpoint's `extra` JSON (the step RNG goes into `rngState`).
public struct TrainState: Codable, Equatable, Sendable {
    /// Optimiser updates done so far; the next step's schedules (β, C) are evaluated at this value.
    public var step = 0
    /// 0-based epoch in progress.
    public var epoch = 0
    /// Index of the next batch of `epoch`'s batch order (= batch count: the epoch's validation is pending).
    public var nextBatch = 0
    /// Draws ε and word dropout of the training steps.
    public var rng: SplitMix64
    /// Best validation ELBO so far (nats per sentence, higher is better) and its epoch.
    public var bestValidELBO: Double?
    public var bestEpoch: Int?
    /// The scalar window in progress (so logged means do not depend on where a run was interrupted).
    public var window = ScalarWindow()
    /// The step of the latest validation pass (so a budget ending at an epoch boundary validates once).
    public var lastValidationStep: Int?

    // Learning-rate decay on plateau (He et al. 2019's `opt_dict`); absent in checkpoints of older runs.
    /// The learning rate in force; nil = the configured one (no decay yet).
    public var learningRate: Double?
    /// Decays so far, epochs since the plateau reference last improved, and that reference (their
    /// `opt_dict["best_loss"]`, a validation negative ELBO: the previous epoch's, or the one at the last decay).
    public var lrDecays = 0
    public var epochsNotImproved = 0
    public var plateauLoss: Double?
    /// Training stopped early after `maxLRDecays` decays.
    public var stoppedEarly = false

    // Aggressive inference-network training (He et al. 2019).
    /// The aggressive phase is on; nil = as configured (not yet decided).
    public var aggressive: Bool?
    /// Validation MI at the previous epoch end (their `pre_mi`, starting at 0).
    public var previousMI = 0.0
    /// The step at which the aggressive phase ended.
    public var aggressiveEndedStep: Int?
    /// Encoder-only updates so far (all inner steps), and those of the current log window.
    public var innerSteps = 0
    public var windowInnerSteps = 0
    /// Training wall seconds so far (validation and checkpoint pauses excluded), summed at each log flush.
    public var trainingSeconds = 0.0

    public init(seed: UInt64) {
        rng = SplitMix64(seed: Seeds.derive(seed, stream: 1))
    }

    enum CodingKeys: String, CodingKey {
        case step, epoch, nextBatch, rng, bestValidELBO, bestEpoch, window, lastValidationStep, learningRate, lrDecays,
             epochsNotImproved, plateauLoss, stoppedEarly, aggressive, previousMI, aggressiveEndedStep, innerSteps,
             windowInnerSteps, trainingSeconds
    }

    /// Decodes a checkpoint's state; fields added since older runs were stored take their initial values.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        step = try c.decode(Int.self, forKey: .step)
        epoch = try c.decode(Int.self, forKey: .epoch)
        nextBatch = try c.decode(Int.self, forKey: .nextBatch)
        rng = try c.decode(SplitMix64.self, forKey: .rng)
        bestValidELBO = try c.decodeIfPresent(Double.self, forKey: .bestValidELBO)
        bestEpoch = try c.decodeIfPresent(Int.self, forKey: .bestEpoch)
        window = try c.decodeIfPresent(ScalarWindow.self, forKey: .window) ?? ScalarWindow()
        lastValidationStep = try c.decodeIfPresent(Int.self, forKey: .lastValidationStep)
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate)
        lrDecays = try c.decodeIfPresent(Int.self, forKey: .lrDecays) ?? 0
        epochsNotImproved = try c.decodeIfPresent(Int.self, forKey: .epochsNotImproved) ?? 0
        plateauLoss = try c.decodeIfPresent(Double.self, forKey: .plateauLoss)
        stoppedEarly = try c.decodeIfPresent(Bool.self, forKey: .stoppedEarly) ?? false
        aggressive = try c.decodeIfPresent(Bool.self, forKey: .aggressive)
        previousMI = try c.decodeIfPresent(Double.self, forKey: .previousMI) ?? 0
        aggressiveEndedStep = try c.decodeIfPresent(Int.self, forKey: .aggressiveEndedStep)
        innerSteps = try c.decodeIfPresent(Int.self, forKey: .innerSteps) ?? 0
        windowInnerSteps = try c.decodeIfPresent(Int.self, forKey: .windowInnerSteps) ?? 0
        trainingSeconds = try c.decodeIfPresent(Double.self, forKey: .trainingSeconds) ?? 0
    }
}

/// Independent seeded streams derived from the run's seed, so that batch order and validation draws depend
/// only on (seed, epoch) and never on how many numbers another stream consumed.
public enum Seeds {
    /// SplitMix64's finaliser applied to seed ⊕ a per-stream constant.
    public static func derive(_ seed: UInt64, stream: UInt64, index: UInt64 = 0) -> UInt64 {
        var g = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ (index &* 0xD1B5_4A32_D192_ED03))
        return g.next()
    }

    /// Initialisation of the model's parameters.
    public static func model(_ seed: UInt64) -> UInt64 { derive(seed, stream: 0) }
    /// Batch order of training epoch `epoch`.
    public static func batchOrder(_ seed: UInt64, epoch: Int) -> UInt64 { derive(seed, stream: 2, index: UInt64(epoch)) }
    /// z draws of the validation pass after epoch `epoch`.
    public static func validation(_ seed: UInt64, epoch: Int) -> UInt64 { derive(seed, stream: 3, index: UInt64(epoch)) }
}

/// Sums of the training statistics over the steps since the last log row. Loss, reconstruction, KL, |KL − C|
/// and gradient norm are logged as means over the window's steps; β and C as used by its last step.
public struct ScalarWindow: Codable, Equatable, Sendable {
    public var steps = 0
    public var loss = 0.0, reconstruction = 0.0, kl = 0.0, klGap = 0.0, gradientNorm = 0.0
    public var tokens = 0
    public var beta = 0.0
    public var klTarget: Double?

    public init() {}

    public mutating func add(_ s: StepStats, gradientNorm norm: Double) {
        steps += 1
        loss += s.loss
        reconstruction += s.reconstruction
        kl += s.kl
        klGap += abs(s.kl - (s.klTarget ?? 0))
        gradientNorm += norm
        tokens += s.tokens
        beta = s.beta
        klTarget = s.klTarget
    }

    /// Scalar rows (split "train") at `step`; `seconds` is the window's wall time (for tokens/s).
    public func rows(step: Int, epoch: Int, learningRate: Double, seconds: Double) -> [(key: String, value: Double)] {
        guard steps > 0 else { return [] }
        let n = Double(steps)
        var rows: [(String, Double)] = [
            ("loss", loss / n), ("reconstruction", reconstruction / n), ("kl", kl / n),
            ("beta", beta), ("lr", learningRate), ("grad_norm", gradientNorm / n),
        ]
        if let c = klTarget {
            rows.append(("C", c))
            rows.append(("kl_target_gap", klGap / n))
        }
        if seconds > 0 { rows.append(("tokens_per_s", Double(tokens) / seconds)) }
        return rows
    }
}
