import Foundation
import RunStore

/// `vaescope bench store`: how fast the run store writes and reads what training and evaluation log.
/// Each figure is the median of `repeats` runs on a fresh store in a temporary directory.
public enum StoreBenchmark {
    public struct Figure: Sendable { public var name: String; public var seconds: Double; public var perSecond: Double; public var unit: String }

    /// Scalars: `scalarRows` rows in one batch; latents: N × d with S samples and H features (write and read).
    public static func run(scalarRows: Int = 100_000, n: Int = 10_000, d: Int = 32, s: Int = 5, h: Int = 512,
                           repeats: Int = 3) throws -> [Figure] {
        let dir = NSTemporaryDirectory() + "vaescope-bench-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var times: [String: [Double]] = [:]
        let points = (0..<scalarRows).map { ScalarPoint(step: $0 / 10, split: "train", key: "k\($0 % 10)", value: Double($0)) }
        var latents = LatentSet(count: n, latentSize: d, samples: s, featureSize: h)
        latents.mu = (0..<(n * d)).map { Float($0 % 97) * 0.01 }
        latents.logVariance = latents.mu.map { -$0 }
        latents.z = (0..<(s * n * d)).map { Float($0 % 89) * 0.02 }
        latents.features = (0..<(n * h)).map { Float($0 % 83) * 0.03 }
        for r in 0..<repeats {
            let store = try RunStore(path: dir + "/bench\(r).sqlite")
            let run = try store.createRun(Run(name: "bench"))
            func time(_ name: String, _ body: () throws -> Void) rethrows {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                times[name, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            try time("scalars append") { try store.appendScalars(points, to: run.id) }
            try time("scalars read") { _ = try store.scalars(of: run.id) }
            try time("latents write") { try store.writeLatents(latents, split: "test", of: run.id) }
            try time("latents read") { _ = try store.latents(split: "test", of: run.id) }
            try store.close()
        }
        func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }
        return [
            Figure(name: "scalars append (\(scalarRows) rows, 1 transaction)", seconds: median(times["scalars append"]!),
                   perSecond: Double(scalarRows) / median(times["scalars append"]!), unit: "rows/s"),
            Figure(name: "scalars read (\(scalarRows) rows)", seconds: median(times["scalars read"]!),
                   perSecond: Double(scalarRows) / median(times["scalars read"]!), unit: "rows/s"),
            Figure(name: "latents write (N=\(n) d=\(d) S=\(s) H=\(h))", seconds: median(times["latents write"]!),
                   perSecond: Double(n) / median(times["latents write"]!), unit: "sentences/s"),
            Figure(name: "latents read (N=\(n) d=\(d) S=\(s) H=\(h))", seconds: median(times["latents read"]!),
                   perSecond: Double(n) / median(times["latents read"]!), unit: "sentences/s"),
        ]
    }
}
