import Tensor

/// An optimiser updating Float32 parameters from their accumulated gradients. Codable so its state (moments,
/// step count) goes into checkpoints; state is keyed by parameter name.
public protocol Optimizer: Codable {
    mutating func step(_ parameters: [Parameter], learningRate: Double)
}

/// Adam (Kingma & Ba 2015, Algorithm 1): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g²,
/// θ ← θ − α·m̂/(√v̂ + ε) with m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). No weight decay.
public struct Adam: Optimizer, Equatable {
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    /// Number of steps taken (t).
    public var stepCount: Int = 0
    public var firstMoment: [String: [Float]] = [:]
    public var secondMoment: [String: [Float]] = [:]

    public init(beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public mutating func step(_ parameters: [Parameter], learningRate: Double) {
        stepCount += 1
        let t = Double(stepCount)
        let c1 = 1 - pow(beta1, t), c2 = 1 - pow(beta2, t)
        // θ −= α·(m/c1)/(√(v/c2) + ε) = αₜ·m/(√v + ε̂) with αₜ = α√c2/c1 and ε̂ = ε√c2.
        let stepSize = Float(learningRate * c2.squareRoot() / c1)
        let eps = Float(epsilon * c2.squareRoot())
        let b1 = Float(beta1), b2 = Float(beta2)
        for p in parameters {
            var m = firstMoment[p.name] ?? [Float](repeating: 0, count: p.count)
            var v = secondMoment[p.name] ?? [Float](repeating: 0, count: p.count)
            firstMoment[p.name] = nil
            secondMoment[p.name] = nil
            precondition(m.count == p.count && v.count == p.count, "Adam: state of '\(p.name)' has the wrong size")
            let w = p.valuePointer, g = p.gradPointer
            m.withUnsafeMutableBufferPointer { mb in
                v.withUnsafeMutableBufferPointer { vb in
                    let mp = mb.baseAddress!, vp = vb.baseAddress!
                    for i in 0..<p.count {
                        let gi = g[i]
                        let mi = b1 * mp[i] + (1 - b1) * gi
                        let vi = b2 * vp[i] + (1 - b2) * gi * gi
                        mp[i] = mi
                        vp[i] = vi
                        w[i] -= stepSize * mi / (vi.squareRoot() + eps)
                    }
                }
            }
            firstMoment[p.name] = m
            secondMoment[p.name] = v
        }
    }
}

/// Stochastic gradient descent with (heavy-ball) momentum μ: v ← μv + g, θ ← θ − α·v (PyTorch's convention;
/// μ = 0 is plain SGD and keeps no state).
public struct SGD: Optimizer, Equatable {
    public var momentum: Double
    public var velocity: [String: [Float]] = [:]

    public init(momentum: Double = 0) {
        self.momentum = momentum
    }

    public mutating func step(_ parameters: [Parameter], learningRate: Double) {
        let lr = Float(learningRate), mu = Float(momentum)
        for p in parameters {
            let w = p.valuePointer, g = p.gradPointer
            if momentum == 0 {
                for i in 0..<p.count { w[i] -= lr * g[i] }
                continue
            }
            var vel = velocity[p.name] ?? [Float](repeating: 0, count: p.count)
            velocity[p.name] = nil
            vel.withUnsafeMutableBufferPointer { vb in
                let vp = vb.baseAddress!
                for i in 0..<p.count {
                    vp[i] = mu * vp[i] + g[i]
                    w[i] -= lr * vp[i]
                }
            }
            velocity[p.name] = vel
        }
    }
}

/// Either optimiser, for code that picks one from configuration and checkpoints it (Codable as a tagged value).
public enum AnyOptimizer: Optimizer, Equatable {
    case adam(Adam)
    case sgd(SGD)

    public mutating func step(_ parameters: [Parameter], learningRate: Double) {
        switch self {
        case .adam(var o):
            o.step(parameters, learningRate: learningRate)
            self = .adam(o)
        case .sgd(var o):
            o.step(parameters, learningRate: learningRate)
            self = .sgd(o)
        }
    }
}

/// Scales all gradients so that their global L2 norm (over every parameter) is at most `maxNorm`; returns the
/// norm before clipping (accumulated in Double, parameter by parameter in order, so it is deterministic).
/// maxNorm ≤ 0 or a non-finite norm leaves the gradients unchanged.
/// Specialized for Float and Double: called from other modules (the trainer), the unspecialized generic body
/// converted every element through the runtime and took half of a paper-size training step.
@discardableResult
@_specialize(where S == Float)
@_specialize(where S == Double)
public func clipGradientNorm<S: BLASScalar>(_ parameters: [ParameterOf<S>], maxNorm: Double) -> Double {
    var sum = 0.0
    for p in parameters {
        let g = p.gradPointer
        for i in 0..<p.count { sum += Double(g[i]) * Double(g[i]) }
    }
    let norm = sum.squareRoot()
    if maxNorm > 0, norm.isFinite, norm > maxNorm {
        let scale = S(maxNorm / norm)
        for p in parameters {
            let g = p.gradPointer
            for i in 0..<p.count { g[i] *= scale }
        }
    }
    return norm
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
