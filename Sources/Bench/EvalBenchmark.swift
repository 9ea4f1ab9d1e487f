import Foundation
import Model
import Tensor

/// `vaescope bench eval`: the importance-weighted NLL's inner loop — K posterior samples of a sentence through the
/// decoder as one matrix batch, then log p(w_t | …) of every target from the full softmax (`logLikelihood`), the
/// evaluation's dominant cost (He et al.'s K = 500). Reports token-decodes per second (K × tokens per second), the
/// GFLOP/s of the GEMM calls it makes against single-thread cblas_sgemm on exactly those shapes (measured in the
/// same process), and the share of time outside GEMM (the softmax's max, exp and sum over V per position).
public enum EvalBenchmark {
    public struct Result: Sendable {
        public var config: String
        public var samples: Int
        public var length: Int
        public var tokenDecodesPerSecond: Double
        public var medianSeconds: Double
        public var gemmGFLOPs: Double
        public var sgemmGFLOPs: Double
        /// GEMM-only time (at single-thread sgemm's rate) / measured time.
        public var ratioToSgemm: Double { gemmGFLOPs / sgemmGFLOPs }
    }

    /// One sentence of `length` random words, K samples of z, `repeats` timed calls (after the call that records
    /// the GEMM shapes, which is also the warm-up).
    public static func run(configs: [String], samples K: Int, repeats: Int, report: (Result) -> Void) throws {
        for name in configs {
            let shape = try TrainBenchmark.shape(named: name)
            BLAS.setThreads(1)
            let model = SequenceVAE(config: shape.vaeConfig, seed: 0)
            var rng = SplitMix64(seed: 3)
            let sentence = (0..<shape.length).map { _ in Int32(4 + Int(rng.next() % UInt64(shape.vocabulary - 4))) }
            var z = [Float](repeating: 0, count: K * shape.latent)
            rng.fillNormal(&z)
            let batch = Array(repeating: sentence, count: K)
            GemmTrace.reset()
            GemmTrace.isRecording = true
            _ = model.logLikelihood(batch, z: z)
            GemmTrace.isRecording = false
            let calls = GemmTrace.shapes
            GemmTrace.reset()
            var times: [Double] = []
            for _ in 0..<max(1, repeats) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = model.logLikelihood(batch, z: z)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            let median = times.sorted()[times.count / 2]
            let flops = calls.reduce(0) { $0 + $1.flops }
            let decodes = Double(K * (shape.length + 1))   // the targets w_1 … w_L <eos> of every sample
            report(Result(config: name, samples: K, length: shape.length, tokenDecodesPerSecond: decodes / median,
                          medianSeconds: median, gemmGFLOPs: flops / median / 1e9,
                          sgemmGFLOPs: TrainBenchmark.sgemmRate(calls, repeats: 5)))
        }
        BLAS.setThreads(1)
    }
}
