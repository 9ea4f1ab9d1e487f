import ArgumentParser
import Foundation
import RunStore
import Training
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vaescope sweep plan|run|status|slurm FILE`: a sweep file (base configuration × axes) expanded into runs, each
/// trained and evaluated into its own store; run locally N at a time, or handed to Slurm as one job array
/// (`sweep task` is what each array task runs); continued where it stopped.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Plan, run and follow a sweep of runs (a base configuration times axes; see docs/training.md).",
        subcommands: [Plan.self, Run.self, Status.self, Slurm.self, Task.self]
    )

    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the runs a sweep file expands to (and check it).")
        @Argument(help: "The sweep file (YAML).") var file: String
        @Option(name: .customLong("set"), help: "Override one key for every run, after the file: key=value (repeatable).")
        var sets: [String] = []
        func run() throws {
            try runReportingErrors { print(try Sweep.load(file, overrides: sets).planText) }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Which runs of a sweep are done, running, failed or missing, from the stores alone.")
        @Argument(help: "The sweep file (YAML).") var file: String
        func run() throws {
            try runReportingErrors {
                let sweep = try Sweep.load(file)
                var counts: [String: Int] = [:]
                for r in sweep.runs {
                    let state = SweepState.of(r)
                    counts[state.word, default: 0] += 1
                    print("\(r.name.padding(toLength: max(12, r.name.count), withPad: " ", startingAt: 0))  \(state.word)\(state.detail.map { " (\($0))" } ?? "")")
                }
                print("sweep \(sweep.name): " + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train and evaluate every run of a sweep, N at a time (one BLAS thread each); completed runs are skipped, interrupted ones resumed.",
            discussion: "Ctrl-C stops every run cleanly (checkpoints written); the same command continues. A failed or diverged run is recorded and the sweep goes on. Logs: STORES/RUN.log.")
        @Argument(help: "The sweep file (YAML).") var file: String
        @Option(name: .long, help: "Runs at a time.") var jobs: Int = 2
        @Option(name: .customLong("set"), help: "Override one key for every new run, after the file: key=value (repeatable).")
        var sets: [String] = []
        @Flag(name: .long, help: "No progress lines.") var quiet = false

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        }

        func run() throws {
            var outcome: SweepRunner.Outcome = .completed
            try runReportingErrors {
                let sweep = try Sweep.load(file, overrides: sets)
                var runner = SweepRunner(sweep: sweep, jobs: jobs, quiet: quiet)
                outcome = try runner.run()
            }
            switch outcome {
            case .completed: return
            case .failed: throw ExitCode(1)
            case .interrupted: throw ExitCode(130)
            }
        }
    }
}

extension SweepCommand {
    struct Slurm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write (and submit with sbatch) one Slurm job array that trains and evaluates the sweep's runs.",
            discussion: """
                Each array task runs `vaescope sweep task` for one run, or for a fixed pack of runs when the sweep has more \
                runs than the cluster's MaxArraySize (read from `scontrol show config`). Every run writes its own store \
                in the sweep's store directory with the rollback journal (safe on NFS/Lustre; WAL is not), so \
                `vaescope report --db 'STORES/*.sqlite'` reads the whole sweep. Requeued or preempted tasks resume \
                their runs from the checkpoints. Runs already done are skipped by the tasks.
                """)
        @Argument(help: "The sweep file (YAML).") var file: String
        @Option(name: .customLong("max-parallel"), help: ArgumentHelp("At most K array tasks at once (%K).", valueName: "K"))
        var maxParallel: Int?
        @Option(name: .long, help: ArgumentHelp("Runs per array task (default: 1, or the fewest that fit MaxArraySize).", valueName: "P"))
        var pack: Int?
        @Option(name: .long, help: "Slurm partition (--partition).") var partition: String?
        @Option(name: .long, help: "Time limit per array task (--time), e.g. 04:00:00.") var time: String?
        @Option(name: .long, help: "Memory per array task (--mem), e.g. 4G.") var mem: String?
        @Option(name: .long, help: "Account to charge (--account).") var account: String?
        @Option(name: .customLong("sbatch"), help: ArgumentHelp("Any other sbatch option, passed through (repeatable), e.g. --sbatch=--qos=long.", valueName: "option"))
        var sbatchOptions: [String] = []
        @Option(name: .customLong("set"), help: "Override one key for every run, after the file: key=value (repeatable).")
        var sets: [String] = []
        @Option(name: .customLong("max-array-size"), help: ArgumentHelp("The cluster's MaxArraySize, when scontrol cannot tell (e.g. with --dry-run off the cluster).", valueName: "N"))
        var maxArraySize: Int?
        @Flag(name: .customLong("dry-run"), help: "Write the job script and print it; do not submit.") var dryRun = false

        func validate() throws {
            if let k = maxParallel, k < 1 { throw ValidationError("--max-parallel must be at least 1") }
            if let p = pack, p < 1 { throw ValidationError("--pack must be at least 1") }
            if let m = maxArraySize, m < 1 { throw ValidationError("--max-array-size must be at least 1") }
            for o in sbatchOptions where !o.hasPrefix("-") || o.contains("\n") {
                throw ValidationError("--sbatch takes one sbatch option starting with '-' (got '\(o)')")
            }
        }

        func run() throws {
            try runReportingErrors {
                let sweep = try Sweep.load(file, overrides: sets)
                let limit: Int
                if let m = maxArraySize {
                    limit = m
                } else if let text = try? Self.capture("scontrol", ["show", "config"]), let m = SlurmJob.maxArraySize(fromConfig: text) {
                    limit = m
                } else if dryRun {
                    limit = 1001
                    FileHandle.standardError.write(Data("sweep slurm: scontrol did not answer; assuming Slurm's default MaxArraySize = 1001 (--max-array-size N to set it)\n".utf8))
                } else {
                    throw ValidationError("cannot read MaxArraySize: `scontrol show config` failed (is this a Slurm login node? --max-array-size N sets it)")
                }
                var options: [String] = []
                if let partition { options.append("--partition=\(partition)") }
                if let time { options.append("--time=\(time)") }
                if let mem { options.append("--mem=\(mem)") }
                if let account { options.append("--account=\(account)") }
                options += sbatchOptions
                if let bad = SlurmJob.unsafeInDirective([sweep.name, sweep.storeDirectory] + options) {
                    throw ValidationError("'\(bad)' cannot go into an #SBATCH line (no spaces, quotes, # or \\ there): rename or move it")
                }
                guard !sweep.runs.isEmpty else { throw ValidationError("the sweep has no runs") }
                let packSize: Int
                do { packSize = try SlurmJob.packSize(runs: sweep.runs.count, maxArraySize: limit, requested: pack) } catch {
                    throw ValidationError("--pack \(pack ?? 0) is too small: \(sweep.runs.count) runs need packs of at least "
                                          + "\((sweep.runs.count + limit - 1) / limit) under MaxArraySize = \(limit)")
                }
                let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
                let job = SlurmJob(sweepName: sweep.name, sweepFile: absolute, executable: SweepRunner.ownExecutable(),
                                   storeDirectory: sweep.storeDirectory, runs: sweep.runs.count, pack: packSize,
                                   maxParallel: maxParallel, options: options, overrides: sets)
                let directory = sweep.storeDirectory + "/slurm"
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let scriptPath = directory + "/" + sweep.name + ".sbatch"
                try Data(job.script.utf8).write(to: URL(fileURLWithPath: scriptPath), options: .atomic)
                print("sweep \(sweep.name): \(sweep.runs.count) runs in \(job.tasks) array tasks of \(packSize) "
                      + "(MaxArraySize \(limit)\(maxParallel.map { ", at most \($0) at once" } ?? "")); script \(scriptPath)")
                if dryRun {
                    print(job.script, terminator: "")
                    return
                }
                let out = try Self.capture("sbatch", ["--parsable", scriptPath])
                let id = out.split(separator: ";").first.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? out
                print("submitted job array \(id); follow it with `vaescope sweep status \(file)` (or squeue -j \(id))")
            }
        }

        /// Runs a program found on PATH and returns its standard output; a non-zero exit is an error with its stderr.
        static func capture(_ program: String, _ arguments: [String]) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [program] + arguments
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            let errors = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else {
                let first = String(decoding: errors, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "exit \(p.terminationStatus)"
                throw ValidationError("\(program) failed: \(first)")
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    struct Task: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train and evaluate one pack of a sweep's runs (what each task of `sweep slurm`'s job array runs).",
            discussion: "Runs the sweep's runs INDEX×PACK ..< (INDEX+1)×PACK one after another: done ones skipped, interrupted ones resumed. A run another live process trains is waited for (a requeued task may start before its predecessor's lease is stale).")
        @Argument(help: "The sweep file (YAML).") var file: String
        @Option(name: .long, help: "The array task's index ($SLURM_ARRAY_TASK_ID).") var index: Int
        @Option(name: .long, help: "Runs per task.") var pack: Int = 1
        @Option(name: .customLong("set"), help: "Override one key for every new run, after the file: key=value (repeatable).")
        var sets: [String] = []

        func validate() throws {
            guard index >= 0 else { throw ValidationError("--index must be at least 0") }
            guard pack >= 1 else { throw ValidationError("--pack must be at least 1") }
        }

        func run() throws {
            var outcome: SweepRunner.Outcome = .completed
            try runReportingErrors {
                var sweep = try Sweep.load(file, overrides: sets)
                let indices = SlurmJob.runIndices(task: index, pack: pack, runs: sweep.runs.count)
                guard !indices.isEmpty else {
                    throw ValidationError("task \(index) has no runs: the sweep has \(sweep.runs.count) runs in packs of \(pack)")
                }
                sweep.runs = Array(sweep.runs[indices])
                // A requeued task can start while its predecessor's lease still looks alive: wait until it is stale.
                let deadline = Date().addingTimeInterval(RunLease.staleAfter + 60)
                while Date() < deadline, sweep.runs.contains(where: { if case .running = SweepState.of($0) { return true }; return false }) {
                    Thread.sleep(forTimeInterval: 5)
                }
                var runner = SweepRunner(sweep: sweep, jobs: 1, quiet: false)
                outcome = try runner.run()
            }
            switch outcome {
            case .completed: return
            case .failed: throw ExitCode(1)
            case .interrupted: throw ExitCode(130)
            }
        }
    }
}

/// Where a planned run is, read from its store alone.
enum SweepState: Equatable {
    case missing, done, needsEval, resumable(String), running(String), failed(String)

    var word: String {
        switch self {
        case .missing: return "missing"
        case .done: return "done"
        case .needsEval: return "trained, not evaluated"
        case .resumable: return "interrupted"
        case .running: return "running"
        case .failed: return "failed"
        }
    }

    var detail: String? {
        switch self {
        case .resumable(let s), .running(let s), .failed(let s): return s
        default: return nil
        }
    }

    static func of(_ r: Sweep.PlannedRun) -> SweepState {
        guard FileManager.default.fileExists(atPath: r.storePath) else { return .missing }
        let store: RunStore
        do { store = try RunStore(path: r.storePath, mode: .readOnly) } catch RunStoreError.emptyFile {
            return .missing
        } catch {
            // A store a reader cannot open, e.g. with a hot rollback journal left by a task killed mid-commit (a
            // read-only connection cannot roll it back): `train --resume` opens it for writing, which can.
            return .resumable("store not readable (\(error.localizedDescription)); resuming repairs it")
        }
        defer { try? store.close() }
        guard let run = try? store.run(named: r.name) else { return .missing }
        let steps = (try? store.lastStep(of: run.id)) ?? 0
        switch run.status {
        case .completed:
            let evaluated = ((try? store.scalarKeys(of: run.id)) ?? []).contains { $0.key == "eval.iwNLL" }
            return evaluated ? .done : .needsEval
        case .diverged: return .failed("diverged at step \(steps)")
        case .failed: return .resumable("failed at step \(steps); resumed from its checkpoint")
        case .interrupted: return .resumable("step \(steps)")
        case .running:
            if let lease = try? store.lease(of: run.id), !lease.isStale() { return .running("step \(steps), \(lease.holder)") }
            return .resumable("writer gone at step \(steps)")
        }
    }
}

/// Runs a sweep's jobs as child processes of this executable (`vaescope train`, then `vaescope eval`).
struct SweepRunner {
    enum Outcome { case completed, failed, interrupted }

    struct Job {
        let run: Sweep.PlannedRun
        var stages: [[String]]
        var process: Process?
        var started: Date?
    }

    let sweep: Sweep
    let jobs: Int
    let quiet: Bool
    let executable: String

    init(sweep: Sweep, jobs: Int, quiet: Bool) {
        self.sweep = sweep
        self.jobs = jobs
        self.quiet = quiet
        executable = Self.ownExecutable()
    }

    static func ownExecutable() -> String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    /// The commands that bring `r` from its state to done.
    func stages(_ r: Sweep.PlannedRun, _ state: SweepState) -> [[String]] {
        let evaluate = ["eval", r.name, "--db", r.storePath] + sweep.evalArguments
        switch state {
        case .done, .running, .failed: return []
        case .needsEval: return [evaluate]
        case .resumable: return [["train", "--resume", r.name, "--db", r.storePath, "--no-eval"], evaluate]
        case .missing:
            var train = ["train", "--corpus", sweep.corpus, "--db", r.storePath, "--name", r.name, "--no-eval"]
            if let p = sweep.preset { train += ["--preset", p] }
            for o in r.overrides + ["threads=1"] { train += ["--set", o] }
            return [train, evaluate]
        }
    }

    func say(_ s: String) {
        if !quiet { FileHandle.standardError.write(Data((s + "\n").utf8)) }
    }

    mutating func run() throws -> Outcome {
        try FileManager.default.createDirectory(atPath: sweep.storeDirectory, withIntermediateDirectories: true)
        var pending: [Job] = []
        var done = 0, failed: [String] = [], skipped: [String] = []
        for r in sweep.runs {
            let state = SweepState.of(r)
            switch state {
            case .done: done += 1
            case .failed(let why): failed.append("\(r.name): \(why)")
            case .running(let who): skipped.append("\(r.name) (\(who))")
            default: pending.append(Job(run: r, stages: stages(r, state)))
            }
        }
        say("sweep \(sweep.name): \(sweep.runs.count) runs — \(done) done, \(pending.count) to run, \(failed.count) failed"
            + (skipped.isEmpty ? "" : ", \(skipped.count) being run elsewhere: " + skipped.joined(separator: ", ")))
        StopSignal.install()
        defer { StopSignal.uninstall() }
        var running: [Job] = []
        let started = Date()
        var durations: [Double] = []
        var lastReport = Date.distantPast
        var stopping = false
        while !pending.isEmpty || !running.isEmpty {
            if StopSignal.requested && !stopping {
                stopping = true
                say("stopping: asking \(running.count) runs to checkpoint and stop")
                for job in running { job.process?.interrupt() }
                pending.removeAll()
            }
            while !stopping, running.count < jobs, !pending.isEmpty {
                var job = pending.removeFirst()
                try start(&job)
                running.append(job)
            }
            var i = 0
            while i < running.count {
                guard let p = running[i].process, !p.isRunning else { i += 1; continue }
                let status = p.terminationStatus
                var job = running[i]
                if status == 0 && !job.stages.isEmpty && !stopping {
                    try start(&job)
                    running[i] = job
                    i += 1
                    continue
                }
                running.remove(at: i)
                if status == 0 && job.stages.isEmpty {
                    done += 1
                    durations.append(Date().timeIntervalSince(job.started ?? started))
                    say("done: \(job.run.name)")
                } else if stopping && (status == 130 || status == 0 || p.terminationReason == .uncaughtSignal) {
                    say("stopped: \(job.run.name) (checkpoint written)")
                } else {
                    failed.append("\(job.run.name): exit \(status), see \(logPath(job.run))")
                    say("failed: \(job.run.name) (exit \(status); log \(logPath(job.run)))")
                }
            }
            if Date().timeIntervalSince(lastReport) >= 10, !running.isEmpty {
                lastReport = Date()
                var line = "sweep \(sweep.name): \(done) done, \(running.count) running, \(failed.count) failed, \(pending.count) waiting"
                if !durations.isEmpty {
                    let mean = durations.reduce(0, +) / Double(durations.count)
                    let left = mean * Double(pending.count + running.count) / Double(jobs)
                    line += String(format: ", ETA ~%.0f min", left / 60)
                }
                say(line)
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        if stopping {
            say("sweep \(sweep.name) stopped: \(done) of \(sweep.runs.count) done; run the same command to continue")
            return .interrupted
        }
        say("sweep \(sweep.name): \(done) of \(sweep.runs.count) done, \(failed.count) failed"
            + (failed.isEmpty ? "" : ":\n  " + failed.joined(separator: "\n  ")))
        return failed.isEmpty && skipped.isEmpty ? .completed : .failed
    }

    func logPath(_ r: Sweep.PlannedRun) -> String { sweep.storeDirectory + "/" + r.name + ".log" }

    /// Starts the job's next stage as a child process appending to the run's log; one BLAS thread.
    func start(_ job: inout Job) throws {
        let args = job.stages.removeFirst()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["OPENBLAS_NUM_THREADS"] = "1"
        p.environment = env
        let log = logPath(job.run)
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        handle.write(Data(("$ vaescope " + args.joined(separator: " ") + "\n").utf8))
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        try p.run()
        job.process = p
        if job.started == nil { job.started = Date() }
    }
}
