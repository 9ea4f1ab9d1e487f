import Foundation

/// A sweep as one Slurm job array (issue 17): each array task trains and evaluates a fixed pack of runs
/// (`vaescope sweep task FILE --index $SLURM_ARRAY_TASK_ID --pack P`), one run after another, each into its own
/// store in the sweep's store directory. VAEScope does not schedule: Slurm does, throttled by `%K`.
///
/// - Pack size: 1 (one run per task) unless the sweep has more runs than the cluster's `MaxArraySize` allows
///   array tasks (indices 0 … MaxArraySize − 1); then the smallest pack that fits.
/// - Requeue and preemption: the script asks for `--requeue`; Slurm sends SIGTERM to the job's processes, the
///   trainer checkpoints and stops, and the requeued task resumes every run of its pack from its store.
/// - Shared filesystems: the script exports `VAESCOPE_JOURNAL=delete` (see `RunStore.JournalMode`).
public struct SlurmJob: Sendable, Equatable {
    public var sweepName: String
    /// Absolute paths: the sweep file, the vaescope binary the tasks run, the store directory.
    public var sweepFile: String
    public var executable: String
    public var storeDirectory: String
    public var runs: Int
    public var pack: Int
    /// At most this many array tasks at once (`%K`); nil: as many as Slurm allows.
    public var maxParallel: Int?
    /// `#SBATCH` options passed through (e.g. `--partition=gpu`, `--time=04:00:00`, `--mem=4G`, `--account=x`).
    public var options: [String]
    /// `--set key=value` overrides of the sweep command, repeated in every task.
    public var overrides: [String]

    public init(sweepName: String, sweepFile: String, executable: String, storeDirectory: String, runs: Int, pack: Int,
                maxParallel: Int? = nil, options: [String] = [], overrides: [String] = []) {
        self.sweepName = sweepName; self.sweepFile = sweepFile; self.executable = executable
        self.storeDirectory = storeDirectory; self.runs = runs; self.pack = pack
        self.maxParallel = maxParallel; self.options = options; self.overrides = overrides
    }

    public var tasks: Int { (runs + pack - 1) / pack }

    /// The pack size for `runs` runs under `maxArraySize` (Slurm's array indices run from 0 to MaxArraySize − 1).
    public static func packSize(runs: Int, maxArraySize: Int, requested: Int? = nil) throws -> Int {
        guard runs > 0 else { throw TrainingError.invalidValue(key: "sweep", expected: "at least one run") }
        guard maxArraySize >= 1 else { throw TrainingError.invalidValue(key: "MaxArraySize", expected: "at least 1 (found \(maxArraySize))") }
        let smallest = (runs + maxArraySize - 1) / maxArraySize
        if let requested {
            guard requested >= 1 else { throw TrainingError.invalidValue(key: "--pack", expected: "at least 1") }
            guard requested >= smallest else {
                throw TrainingError.invalidValue(key: "--pack", expected: "at least \(smallest): \(runs) runs in packs of \(requested) "
                                                 + "need more array tasks than MaxArraySize = \(maxArraySize) allows")
            }
            return requested
        }
        return smallest
    }

    /// The runs (indices into the sweep's runs) that array task `index` trains.
    public static func runIndices(task index: Int, pack: Int, runs: Int) -> Range<Int> {
        let start = min(index * pack, runs)
        return start..<min(start + pack, runs)
    }

    /// `MaxArraySize` from `scontrol show config` output ("MaxArraySize            = 1001").
    public static func maxArraySize(fromConfig text: String) -> Int? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "MaxArraySize", let n = Int(parts[1]) { return n }
        }
        return nil
    }

    /// The first of `values` that cannot stand in an `#SBATCH` line unquoted (whitespace, quotes, `#`, `\`), if any.
    public static func unsafeInDirective(_ values: [String]) -> String? {
        values.first { $0.contains { $0.isWhitespace || "\"'#\\".contains($0) } }
    }

    /// Quotes a word for the shell (single quotes, `'` as `'\''`).
    static func shellQuoted(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-=:,+@%".contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The batch script: one array over the packs, logs in STORES/slurm/, one CPU and one BLAS thread per task.
    public var script: String {
        let logs = storeDirectory + "/slurm"
        var lines = [
            "#!/bin/bash",
            "# Written by `vaescope sweep slurm` for sweep \(sweepName): \(runs) runs in \(tasks) array tasks of \(pack).",
            "# Each task trains and evaluates its runs one after another, each into STORES/RUN.sqlite; a requeued or",
            "# preempted task resumes them from their checkpoints. Submit again with: sbatch \(Self.shellQuoted(logs + "/" + sweepName + ".sbatch"))",
            // #SBATCH lines are read by sbatch, not the shell: no quoting there (`unsafeInDirective` refuses what
            // would need it).
            "#SBATCH --job-name=vaescope-" + sweepName,
            "#SBATCH --array=0-\(tasks - 1)" + (maxParallel.map { "%\($0)" } ?? ""),
            "#SBATCH --output=" + logs + "/%A_%a.out",
            "#SBATCH --cpus-per-task=1",
            "#SBATCH --requeue",
            "#SBATCH --open-mode=append",
        ]
        lines += options.map { "#SBATCH " + $0 }
        var command = [Self.shellQuoted(executable), "sweep", "task", Self.shellQuoted(sweepFile),
                       "--index", "\"$SLURM_ARRAY_TASK_ID\"", "--pack", "\(pack)"]
        for o in overrides { command += ["--set", Self.shellQuoted(o)] }
        lines += [
            "set -u",
            "export OPENBLAS_NUM_THREADS=1",
            "# Rollback journal, not WAL: WAL's shared-memory index does not work across nodes on NFS or Lustre.",
            "export VAESCOPE_JOURNAL=delete",
            "exec " + command.joined(separator: " "),
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
