import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the trainer reports progress. On a terminal a bar line (epoch, step, loss, KL, tokens/s, ETA)
/// redrawn with \r; otherwise a plain line every `plainInterval` seconds. Epoch summaries are whole lines.
public final class TrainProgress {
    public enum Style { case bar, plain, silent }
    public let style: Style
    public let plainInterval: Double
    private var lastPlain = Date.distantPast
    private var barShown = false

    public init(style: Style, plainInterval: Double = 5) {
        self.style = style
        self.plainInterval = plainInterval
    }

    /// A bar on a terminal, plain lines otherwise (stderr).
    public static func standardError() -> TrainProgress {
        TrainProgress(style: isatty(STDERR_FILENO) != 0 ? .bar : .plain)
    }

    public static var silent: TrainProgress { TrainProgress(style: .silent) }

    /// One update after a step. `stepsPerSecond` is over this process's steps; `totalSteps` is the budget.
    public func update(epoch: Int, epochs: Int, step: Int, totalSteps: Int, loss: Double, kl: Double,
                       tokensPerSecond: Double, stepsPerSecond: Double) {
        let remaining = max(0, totalSteps - step)
        let eta = stepsPerSecond > 0 ? Self.duration(Double(remaining) / stepsPerSecond) : "?"
        let text = String(format: "epoch %d/%d  step %d/%d  loss %.3f  KL %.3f  %.0f tok/s  ETA ",
                          epoch + 1, epochs, step, totalSteps, loss, kl, tokensPerSecond) + eta
        switch style {
        case .silent: return
        case .bar:
            let width = 20
            let filled = totalSteps > 0 ? min(width, width * step / totalSteps) : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            write("\r\u{1B}[2K[\(bar)] \(text)")
            barShown = true
        case .plain:
            let now = Date()
            guard now.timeIntervalSince(lastPlain) >= plainInterval else { return }
            lastPlain = now
            write(text + "\n")
        }
    }

    /// A whole line (epoch summary, final message); ends a bar line first.
    public func line(_ text: String) {
        guard style != .silent else { return }
        if barShown { write("\n"); barShown = false }
        write(text + "\n")
    }

    private func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }

    /// "42s", "3m07s", "1h02m" (also the evaluation's ETA).
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
