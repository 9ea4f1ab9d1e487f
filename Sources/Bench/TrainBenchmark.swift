import Foundation
import Model
import Tensor

/// `vaescope bench train`: tokens/s of a full training step (zero gradients, forward, backward, gradient-norm
/// clipping as the trainer does it — the PyTorch reference does not clip —, Adam) of the
/// sequence VAE on synthetic batches, and — measured in the same process — single-thread cblas_sgemm on
/// exactly the GEMM shapes one step uses, so the ratio says how close the step is to pure BLAS.
///
/// The model matches ../shared/bench/torch_vae.py: LSTM encoder, last-state pooling, decoder LSTM with z at
/// every step (the `paper-gru` and `paper-cnn` configs swap in Prokhorov et al. 2019's other decoders), loss rec + β·|KL − C| (β = 1, C = 5), Adam (lr 1e-3), B sentences of T random words (ids ≥ 4),
/// 8 batches in rotation. tokens/s counts B·T tokens per step like the reference (VAEScope's decoder also
/// predicts <eos>, one extra position per sentence, which is not counted).
public enum TrainBenchmark {
    public struct Shape: Sendable {
        public var name: String
        public var vocabulary: Int, embedding: Int, hidden: Int, latent: Int, batch: Int, length: Int
        public var decoder: VAEConfig.DecoderCell = .lstm

        /// The model of this shape: last-state pooling, z at every decoder step, the shape's decoder.
        public var vaeConfig: VAEConfig {
            var config = VAEConfig()
            config.vocabularySize = vocabulary
            config.embeddingSize = embedding
            config.encoderHiddenSize = hidden
            config.decoderHiddenSize = hidden
            config.latentSize = latent
            config.decoderCell = decoder
            config.pooling = .last
            return config
        }
    }

    /// The shape called `name`, or the error listing the known ones.
    public static func shape(named name: String) throws -> Shape {
        guard let s = shapes.first(where: { $0.name == name }) else { throw BenchError.unknownConfig(name) }
        return s
    }

    public static let shapes: [Shape] = [
        Shape(name: "small", vocabulary: 5_000, embedding: 128, hidden: 256, latent: 32, batch: 32, length: 20),
        Shape(name: "paper", vocabulary: 10_000, embedding: 256, hidden: 512, latent: 32, batch: 32, length: 20),
        Shape(name: "large", vocabulary: 20_000, embedding: 256, hidden: 1_024, latent: 32, batch: 32, length: 40),
        // The model of the long-document test of Long et al. 2019 (docs/long2019.md).
        Shape(name: "long2019", vocabulary: 10_000, embedding: 64, hidden: 128, latent: 32, batch: 32, length: 20),
        // Prokhorov et al. 2019's three decoders at the paper's size (the CNN: 512 channels, 128 inside, width 20).
        Shape(name: "paper-gru", vocabulary: 10_000, embedding: 256, hidden: 512, latent: 32, batch: 32, length: 20, decoder: .gru),
        Shape(name: "paper-cnn", vocabulary: 10_000, embedding: 256, hidden: 512, latent: 32, batch: 32, length: 20, decoder: .cnn),
    ]

    public struct Result: Sendable {
        public var config: String
        public var threads: Int
        public var length: Int
        public var steps: Int
        public var medianStepSeconds: Double
        public var tokensPerSecond: Double
        /// Matmul FLOPs of the model by torch_vae.py's formula (3 × forward), per second.
        public var modelGFLOPs: Double
        /// FLOPs of the GEMM calls the step really makes, per second of step time.
        public var gemmGFLOPsInStep: Double
        /// The same GEMM calls timed alone with one BLAS thread.
        public var sgemmSingleThreadGFLOPs: Double
        public var gemmCallsPerStep: Int
        public var finalLoss: Double
        /// gemmGFLOPsInStep / sgemmSingleThreadGFLOPs.
        public var ratioToSgemm: Double { gemmGFLOPsInStep / sgemmSingleThreadGFLOPs }
    }

    public enum BenchError: LocalizedError {
        case unknownConfig(String)
        public var errorDescription: String? {
            switch self {
            case .unknownConfig(let name):
                return "bench train: unknown config '\(name)'; use one of \(TrainBenchmark.shapes.map(\.name).joined(separator: ", "))"
            }
        }
    }

    /// Runs every config × thread count (× sentence length, when `lengths` replaces the configs' own);
    /// `report` receives each result as soon as it is measured.
    public static func run(configs: [String], threads: [Int], steps: Int, warmup: Int = 3, lengths: [Int] = [],
                           report: (Result) -> Void) throws {
        let chosen = try configs.map(shape(named:))
        for t in threads {
            for shape in chosen {
                for length in lengths.isEmpty ? [shape.length] : lengths {
                    var s = shape
                    s.length = length
                    report(measure(s, threads: t, steps: steps, warmup: warmup))
                }
            }
        }
        BLAS.setThreads(1)
    }

    static func measure(_ shape: Shape, threads: Int, steps: Int, warmup: Int) -> Result {
        let config = shape.vaeConfig
        var objective = ObjectiveConfig()
        objective.kind = .klTarget
        objective.betaSchedule = .constant
        objective.beta = 1
        objective.klTarget = 5
        objective.klTargetWarmupSteps = 0
        let model = SequenceVAE(config: config, seed: 0)
        var adam = Adam()
        var rng = SplitMix64(seed: 1)
        let batches: [[[Int32]]] = (0..<8).map { _ in
            (0..<shape.batch).map { _ in
                (0..<shape.length).map { _ in Int32(4 + Int(rng.next() % UInt64(shape.vocabulary - 4))) }
            }
        }
        BLAS.setThreads(threads)
        var index = 0
        var lastLoss = 0.0
        func step() {
            model.zeroGradients()
            lastLoss = model.trainStep(batches[index % batches.count], objective: objective, step: index, rng: &rng).loss
            clipGradientNorm(model.parameters, maxNorm: 5)   // as the trainer does (gradientClip = 5)
            adam.step(model.parameters, learningRate: 1e-3)
            index += 1
        }
        GemmTrace.reset()
        GemmTrace.isRecording = true
        step()
        GemmTrace.isRecording = false
        let calls = GemmTrace.shapes
        GemmTrace.reset()
        for _ in 0..<warmup { step() }
        var times: [Double] = []
        var total = 0.0
        while times.count < steps || total < 2 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            step()
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            times.append(dt)
            total += dt
        }
        let median = times.sorted()[times.count / 2]
        let gemmFlops = calls.reduce(0) { $0 + $1.flops }
        let sgemm = sgemmRate(calls, repeats: 5)
        let V = Double(shape.vocabulary), E = Double(shape.embedding), H = Double(shape.hidden)
        let Z = Double(shape.latent), B = Double(shape.batch), T = Double(shape.length)
        let encoder = 2 * 4 * H * (E + H) * B * T + 2 * 2 * H * Z * B
        let decoder: Double
        switch shape.decoder {
        case .lstm: decoder = 2 * 4 * H * (E + Z + H)
        case .gru: decoder = 2 * 3 * H * (E + Z + H)
        case .cnn:
            // Per position: block 1's 1×1 from E (+ z's part), block 2's from H; per block and path C→C/4, the
            // causal taps that reach back inside the sentence (Σ_j (T−j)/T of K), C/4→C.
            let I = H / 4, K = Double(config.convolutionWidth)
            let taps = (0..<Int(min(K, T))).reduce(0.0) { $0 + (T - Double($1)) / T }
            decoder = 2 * (E + Z) * H + 2 * H * H + 2 * 2 * (2 * H * I + 2 * taps * I * I + 2 * I * H)
        }
        let output = 2 * H * V
        let modelFlops = 3 * (encoder + (decoder + output) * B * T)
        return Result(config: shape.name, threads: threads, length: shape.length, steps: times.count, medianStepSeconds: median,
                      tokensPerSecond: B * T / median, modelGFLOPs: modelFlops / median / 1e9,
                      gemmGFLOPsInStep: gemmFlops / median / 1e9, sgemmSingleThreadGFLOPs: sgemm,
                      gemmCallsPerStep: calls.count, finalLoss: lastLoss)
    }

    /// GFLOP/s of single-thread cblas_sgemm over the given calls (each on its own random operands, C
    /// overwritten), median over `repeats` passes of the whole list.
    static func sgemmRate(_ calls: [GemmShape], repeats: Int) -> Double {
        BLAS.setThreads(1)
        var rng = SplitMix64(seed: 9)
        let operands: [(Buffer<Float>, Buffer<Float>, Buffer<Float>)] = calls.map { s in
            let a = Buffer<Float>(count: s.m * s.k), b = Buffer<Float>(count: s.k * s.n), c = Buffer<Float>(count: s.m * s.n)
            for i in 0..<a.count { a[i] = Float(rng.nextUniform(in: -1, 1)) }
            for i in 0..<b.count { b[i] = Float(rng.nextUniform(in: -1, 1)) }
            return (a, b, c)
        }
        let flops = calls.reduce(0) { $0 + $1.flops }
        var times: [Double] = []
        for _ in 0..<(repeats + 1) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for (s, (a, b, c)) in zip(calls, operands) {
                gemm(a.pointer, transposeA: s.transposeA, b.pointer, transposeB: s.transposeB, into: c.pointer,
                     m: s.m, n: s.n, k: s.k)
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        let median = times.dropFirst().sorted()[repeats / 2]
        return flops / median / 1e9
    }
}
