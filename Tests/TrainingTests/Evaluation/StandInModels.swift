import TestSupport
import Foundation
@testable import Evaluation
@testable import Training


/// A collapsed model: q(z|x) = N(0, I) = p(z) and a decoder that ignores z, log p(x|z) = −0.7·(|x| + 1).
/// Its exact log-likelihood is −0.7·(|x| + 1), and every importance weight equals it.
struct CollapsedModel: LatentLikelihoodModel {
    let latentSize = 3
    static func exactLogLikelihood(_ x: [Int32]) -> Double { -0.7 * Double(x.count + 1) }
    func posterior(_ sentences: [[Int32]]) -> PosteriorBatch {
        let n = sentences.count * latentSize
        return PosteriorBatch(mu: .init(repeating: 0, count: n), logVariance: .init(repeating: 0, count: n),
                              batchSize: sentences.count, latentSize: latentSize)
    }
    func logLikelihood(_ sentences: [[Int32]], z: [Float]) -> [Double] {
        sentences.map(Self.exactLogLikelihood)
    }
}

/// A linear-Gaussian model with Z = 2: the "sentence" x carries a number c(x) = Σ ids / 10, and
/// log p(x|z) = log N(c; w·z, s²) with w = (1.5, 0), s² = 0.5. Then p(x) = N(c; 0, w·w + s²) exactly, and the
/// posterior N(m, v) on z₁ (v = 1/(1 + w₁²/s²), m = v·w₁·c/s²; z₂ keeps the prior) is diagonal and exact, so every
/// importance weight equals p(x): the IW estimate is exact for any K.
struct LinearGaussianModel: LatentLikelihoodModel {
    let latentSize = 2
    let w1 = 1.5, noise = 0.5
    static func value(_ x: [Int32]) -> Double { Double(x.reduce(0, +)) / 10 }
    func exactLogLikelihood(_ x: [Int32]) -> Double {
        let variance = w1 * w1 + noise, c = Self.value(x)
        return -0.5 * (log(2 * Double.pi * variance) + c * c / variance)
    }
    func posterior(_ sentences: [[Int32]]) -> PosteriorBatch {
        let v = 1 / (1 + w1 * w1 / noise)
        var mu: [Float] = [], logVariance: [Float] = []
        for x in sentences {
            mu += [Float(v * w1 * Self.value(x) / noise), 0]
            logVariance += [Float(log(v)), 0]
        }
        return PosteriorBatch(mu: mu, logVariance: logVariance, batchSize: sentences.count, latentSize: 2)
    }
    func logLikelihood(_ sentences: [[Int32]], z: [Float]) -> [Double] {
        sentences.enumerated().map { i, x in
            let diff = Self.value(x) - w1 * Double(z[2 * i])
            return -0.5 * (log(2 * Double.pi * noise) + diff * diff / noise)
        }
    }
}

/// A discrete model whose marginal is a one-dimensional integral: a sentence is one word, a (id 4) or b (id 5),
/// then <eos> with probability 1; p(a|z) = σ(3z). The posterior is a hand-set Gaussian N(±1, 1.2), wider than the prior so the weights are bounded, and NOT the true
/// posterior, so the IW estimate is exact only as K grows.
struct BernoulliModel: LatentLikelihoodModel {
    let latentSize = 1
    static func logSigmoid(_ x: Double) -> Double { x >= 0 ? -log1p(exp(-x)) : x - log1p(exp(x)) }
    static func logLikelihood(_ x: [Int32], z: Double) -> Double {
        x.first == 4 ? logSigmoid(3 * z) : logSigmoid(-3 * z)
    }
    /// log ∫ p(x|z) N(z; 0, 1) dz by the trapezoid rule on [−10, 10] with 200 001 points.
    static func exactLogMarginal(_ x: [Int32]) -> Double {
        let n = 200_000, a = -10.0, h = 20.0 / Double(n)
        var sum = 0.0
        for i in 0...n {
            let z = a + Double(i) * h
            let f = exp(logLikelihood(x, z: z) - 0.5 * z * z) / (2 * Double.pi).squareRoot()
            sum += (i == 0 || i == n) ? 0.5 * f : f
        }
        return log(sum * h)
    }
    func posterior(_ sentences: [[Int32]]) -> PosteriorBatch {
        PosteriorBatch(mu: sentences.map { $0.first == 4 ? 1.0 : -1.0 },
                       logVariance: sentences.map { _ in Float(log(1.2)) },
                       batchSize: sentences.count, latentSize: 1)
    }
    func logLikelihood(_ sentences: [[Int32]], z: [Float]) -> [Double] {
        sentences.enumerated().map { Self.logLikelihood($1, z: Double(z[$0])) }
    }
}

/// Records every logLikelihood call's sentences (wraps another model).
final class RecordingModel<Base: LatentLikelihoodModel>: LatentLikelihoodModel {
    let base: Base
    var calls: [[[Int32]]] = []
    init(_ base: Base) { self.base = base }
    var latentSize: Int { base.latentSize }
    func posterior(_ sentences: [[Int32]]) -> PosteriorBatch { base.posterior(sentences) }
    func logLikelihood(_ sentences: [[Int32]], z: [Float]) -> [Double] {
        calls.append(sentences)
        return base.logLikelihood(sentences, z: z)
    }
}
