import Training
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where evaluation reports progress: on a terminal one line rewritten in place (bar, count, rate, ETA), otherwise
/// a plain line every `plainInterval` seconds and one when a step ends; `.silent` for tests.
public struct EvaluationProgress: Sendable {
    /// Writes a piece of text (no newline added).
    public var write: @Sendable (String) -> Void
    /// true: rewrite one line with "\r"; false: plain lines.
    public var interactive: Bool
    /// Seconds between plain lines (non-interactive).
    public var plainInterval: Double

    public init(interactive: Bool, plainInterval: Double = 5, write: @escaping @Sendable (String) -> Void) {
        self.write = write
        self.interactive = interactive
        self.plainInterval = plainInterval
    }

    /// stderr, interactive when it is a terminal.
    public static var standardError: EvaluationProgress {
        EvaluationProgress(interactive: isatty(STDERR_FILENO) != 0) { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
    }

    /// Reports nothing.
    public static var silent: EvaluationProgress { EvaluationProgress(interactive: false) { _ in } }

    /// Starts a step of `total` units (sentences, draws, pairs…).
    public func start(_ label: String, total: Int, unit: String = "sentences") -> ProgressTask {
        ProgressTask(label: label, total: total, unit: unit, progress: self)
    }

    /// A one-off line (a result, a note).
    public func note(_ line: String) { write(line + "\n") }
}

/// One long step; `update(done)` as units finish, `finish()` at the end (prints the elapsed time).
public final class ProgressTask {
    let label: String, total: Int, unit: String, progress: EvaluationProgress
    let started = Date()
    var lastPrinted = Date.distantPast
    var finished = false

    init(label: String, total: Int, unit: String, progress: EvaluationProgress) {
        self.label = label
        self.total = total
        self.unit = unit
        self.progress = progress
    }

    /// Seconds since the step started.
    public var elapsed: Double { Date().timeIntervalSince(started) }

    /// The estimated seconds left: elapsed · (total − done) / done; nil before the first unit.
    public static func eta(elapsed: Double, done: Int, total: Int) -> Double? {
        guard done > 0, total >= done else { return nil }
        return elapsed * Double(total - done) / Double(done)
    }

    /// "42s", "3m07s", "1h02m" (the trainer's formatter).
    public static func format(seconds: Double) -> String { TrainProgress.duration(seconds) }

    public func update(_ done: Int) {
        let now = Date()
        let interval = progress.interactive ? 0.1 : progress.plainInterval
        guard now.timeIntervalSince(lastPrinted) >= interval || done >= total else { return }
        lastPrinted = now
        let elapsed = now.timeIntervalSince(started)
        let eta = Self.eta(elapsed: elapsed, done: done, total: total).map(Self.format(seconds:)) ?? "?"
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        if progress.interactive {
            let width = 24
            let filled = total > 0 ? min(width, width * done / total) : width
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            progress.write(String(format: "\r%@ %@ %d/%d %@ (%.1f/s) ETA %@   ",
                                  label, bar, done, total, unit, rate, eta))
        } else if done < total {
            progress.write(String(format: "%@: %d/%d %@ (%.1f/s), ETA %@\n", label, done, total, unit, rate, eta))
        }
    }

    public func finish() {
        guard !finished else { return }
        finished = true
        let line = "\(label): \(total) \(unit) in \(Self.format(seconds: elapsed))"
        progress.write(progress.interactive ? "\r\u{1B}[2K" + line + "\n" : line + "\n")
    }
}
