import ArgumentParser
import Bench
import Foundation

/// `vaescope bench train`: training throughput of the sequence VAE against single-thread sgemm.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Tokens/s of a training step (forward, backward, gradient clipping, Adam) on synthetic batches, and its GEMM rate against single-thread cblas_sgemm on the same shapes."
    )

    @Option(help: "Comma-separated configs: small (V5000 E128 H256), paper (V10000 E256 H512), large.")
    var configs = "small,paper"

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

    func run() throws {
        print("config threads  tokens/s  step ms  model GFLOP/s  GEMM GFLOP/s in step  sgemm 1-thread GFLOP/s  ratio  calls")
        try TrainBenchmark.run(configs: parsedConfigs, threads: parsedThreads, steps: steps) { r in
            let line = String(format: "%-6@ %7d %9.0f %8.1f %14.1f %21.1f %23.1f %5.0f%% %6d",
                              r.config, r.threads, r.tokensPerSecond, r.medianStepSeconds * 1000, r.modelGFLOPs,
                              r.gemmGFLOPsInStep, r.sgemmSingleThreadGFLOPs, r.ratioToSgemm * 100, r.gemmCallsPerStep)
            print(line)
        }
    }
}
