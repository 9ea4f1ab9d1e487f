import Foundation

/// CPU seconds spent in named phases, summed over the threads that ran them (a shared machine inflates
/// wall-clock time, not CPU time). Thread-safe; phases are listed in order of first use.
public final class PhaseClock: @unchecked Sendable {
    private let lock = NSLock()
    private var totals: [String: Double] = [:]
    private var order: [String] = []

    public init() {}

    /// Runs `body`, adding the calling thread's CPU time to `phase`.
    public func time<T>(_ phase: String, _ body: () throws -> T) rethrows -> T {
        let start = Self.threadCPUSeconds()
        defer { add(phase, Self.threadCPUSeconds() - start) }
        return try body()
    }

    /// `clock.time(phase, body)`, or just `body` without a clock.
    public static func time<T>(_ clock: PhaseClock?, _ phase: String, _ body: () throws -> T) rethrows -> T {
        guard let clock else { return try body() }
        return try clock.time(phase, body)
    }

    public func add(_ phase: String, _ seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        if totals[phase] == nil { order.append(phase) }
        totals[phase, default: 0] += seconds
    }

    /// (phase, CPU seconds) in order of first use.
    public var phases: [(phase: String, seconds: Double)] {
        lock.lock()
        defer { lock.unlock() }
        return order.map { ($0, totals[$0] ?? 0) }
    }

    /// CPU time of the calling thread (user + system).
    public static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
