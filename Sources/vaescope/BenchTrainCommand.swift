import ArgumentParser
import Bench
import Foundation

/// `vaescope bench train`: training throughput of the sequence VAE against single-thread sgemm.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Tokens/s of a training step (forward, backward, gradient clipping, Adam) on synthetic batches, and its GEMM rate against single-thread cblas_sgemm on the same shapes."
    )

    @Option(help: "Comma-separated configs: small (V5000 E128 H256), paper (V10000 E256 H512), large, long2019 (V10000 E64 H128), paper-gru and paper-cnn (the paper size with a GRU or gated CNN decoder, Prokhorov et al. 2019).")
    var configs = "small,paper"

    @Option(help: "Comma-separated sentence lengths replacing each config's own (20; large 40), e.g. 20,250: the per-token cost relative to the first is printed.")
    var lengths = ""

    @Option(help: "Comma-separated BLAS thread counts.")
    var threads = "1,2"

    @Option(help: "Timed steps per measurement (at least 2 s of steps are timed).")
    var steps = 20

    func validate() throws {
        guard steps > 0 else { throw ValidationError("--steps must be positive") }
        guard parsedThreads.allSatisfy({ $0 > 0 }), !parsedThreads.isEmpty else {
            throw ValidationError("--threads must be a comma-separated list of positive integers, e.g. 1,2")
        }
    }

    var parsedThreads: [Int] { threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
    var parsedConfigs: [String] { configs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    var parsedLengths: [Int] { lengths.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() throws {
        print("config    threads length  tokens/s  step ms  model GFLOP/s  GEMM GFLOP/s in step  sgemm 1-thread GFLOP/s  ratio  calls  s/token vs first length")
        var first: [String: Double] = [:]
        try TrainBenchmark.run(configs: parsedConfigs, threads: parsedThreads, steps: steps, lengths: parsedLengths) { r in
            let key = "\(r.config)/\(r.threads)"
            let reference = first[key] ?? r.tokensPerSecond
            first[key] = reference
            let line = String(format: "%@ %7d %6d %9.0f %8.1f %14.1f %21.1f %23.1f %5.0f%% %6d  %.2f×",
                              r.config.padding(toLength: max(9, r.config.count), withPad: " ", startingAt: 0), r.threads, r.length, r.tokensPerSecond, r.medianStepSeconds * 1000, r.modelGFLOPs,
                              r.gemmGFLOPsInStep, r.sgemmSingleThreadGFLOPs, r.ratioToSgemm * 100, r.gemmCallsPerStep,
                              reference / r.tokensPerSecond)
            print(line)
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "peak resident memory: %.0f MB", Double(usage.ru_maxrss) / 1024))
    }
}
