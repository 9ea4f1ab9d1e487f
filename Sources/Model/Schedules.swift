/// The weight β of the KL term at a training step (0-based).
/// - `.constant`: `objective.beta`.
/// - `.linear` (Bowman et al. 2016): β₀ + (1 − β₀)·min(1, step / annealSteps); annealSteps ≤ 0 gives 1.
/// - `.cyclical` (Fu et al. 2019, Eq. 3 with a linear ramp): the span `annealSteps` is cut into M = `cycles`
///   cycles of length L = annealSteps / M; within a cycle, τ = (step mod L) / L; β = τ / R while τ ≤ R
///   (R = `cycleRampFraction`), then 1. After the last cycle β stays 1. (β starts each cycle at 0, as in
///   Fu et al.; β₀ is not used.) Degenerate settings (M ≤ 0, span ≤ 0, R ≤ 0) give 1.
/// For `.klTarget` the same schedules give the weight of |KL − C| (Prokhorov et al. use a constant 1).
public func beta(at step: Int, objective: ObjectiveConfig) -> Double {
    switch objective.betaSchedule {
    case .constant:
        return objective.beta
    case .linear:
        guard objective.annealSteps > 0 else { return 1 }
        let progress = min(1, max(0, Double(step) / Double(objective.annealSteps)))
        return objective.beta0 + (1 - objective.beta0) * progress
    case .cyclical:
        let span = Double(objective.annealSteps), cycles = objective.cycles, ramp = objective.cycleRampFraction
        guard cycles > 0, span > 0, ramp > 0, Double(step) < span else { return 1 }
        let length = span / Double(cycles)
        let s = Double(max(step, 0))
        let tau = (s - length * (s / length).rounded(.down)) / length
        return tau <= ramp ? min(1, tau / ramp) : 1
    }
}

/// The target rate C of the KL-target objective (Prokhorov et al. 2019 §2) at a step: raised linearly (the capacity
/// increase of Burgess et al. 2018)
/// from 0 to `klTarget` over `klTargetWarmupSteps` steps, then constant; warm-up ≤ 0 gives the target at once.
public func klTarget(at step: Int, objective: ObjectiveConfig) -> Double {
    guard objective.klTargetWarmupSteps > 0 else { return objective.klTarget }
    let progress = min(1, max(0, Double(step) / Double(objective.klTargetWarmupSteps)))
    return objective.klTarget * progress
}
