import ArgumentParser
import Bench
import Foundation

/// `vaescope bench eval`: the IW-NLL's inner loop (K samples of a sentence through the decoder and the full
/// softmax) against single-thread sgemm on the same GEMM shapes.
struct BenchEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Token-decodes/s of the importance-weighted NLL (K samples of a sentence as one batch, full softmax), and its GEMM rate against single-thread cblas_sgemm on the same shapes."
    )

    @Option(help: "Comma-separated configs (as bench train): small, paper, large, long2019, paper-gru, paper-cnn.")
    var configs = "long2019,paper"

    @Option(help: "K, samples per sentence (He et al. 2019: 500).")
    var samples = 500

    @Option(help: "Timed calls per config (median reported).")
    var repeats = 5

    func validate() throws {
        guard samples > 0 else { throw ValidationError("--samples must be positive") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive") }
    }

    func run() throws {
        print("config     K  length  token-decodes/s  ms per sentence  GEMM GFLOP/s  sgemm 1-thread GFLOP/s  GEMM share")
        let names = configs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        try EvalBenchmark.run(configs: names, samples: samples, repeats: repeats) { r in
            print(String(format: "%@ %5d %7d %16.0f %16.1f %13.1f %23.1f %10.0f%%",
                         r.config.padding(toLength: max(9, r.config.count), withPad: " ", startingAt: 0), r.samples, r.length,
                         r.tokenDecodesPerSecond, r.medianSeconds * 1000, r.gemmGFLOPs, r.sgemmGFLOPs, r.ratioToSgemm * 100))
        }
        print("GEMM share: the time the same GEMM calls take alone at single-thread sgemm's rate, over the measured time;")
        print("the rest is the softmax (max, exp and sum over the vocabulary at every position) and the recurrence's elementwise work.")
    }
}
