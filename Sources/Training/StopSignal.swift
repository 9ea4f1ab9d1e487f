#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGINT (Ctrl-C) and SIGTERM ask the trainer to stop after the current step. The handler only sets a flag
/// (async-signal-safe) and restores the default action, so a second Ctrl-C kills the process at once.
public enum StopSignal {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    /// True once SIGINT or SIGTERM has arrived since `install()`.
    public static var requested: Bool { flag != 0 }

    /// Installs the handlers and clears the flag.
    public static func install() {
        flag = 0
        signal(SIGINT) { sig in StopSignal.flag = 1; signal(sig, SIG_DFL) }
        signal(SIGTERM) { sig in StopSignal.flag = 1; signal(sig, SIG_DFL) }
    }

    /// Restores the default actions.
    public static func uninstall() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
