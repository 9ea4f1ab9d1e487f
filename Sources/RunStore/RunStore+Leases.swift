import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lease a writer holds on its run (schema v2, `run_leases`): who (host, pid), since when, last heartbeat.
public struct RunLease: Equatable, Sendable {
    public var host: String
    public var pid: Int
    public var acquiredAt: Date
    public var heartbeatAt: Date

    /// Writers renew their heartbeat at least this often (seconds) while they write.
    public static let heartbeatInterval: TimeInterval = 10
    /// A lease not renewed for this long is stale even when its process cannot be checked (another host).
    public static let staleAfter: TimeInterval = 300

    public var holder: String { "pid \(pid) on \(host)" }

    /// This process's host name.
    public static var currentHost: String { ProcessInfo.processInfo.hostName }

    /// True when the holder is gone: on this host, no process has its pid; elsewhere, its heartbeat is older
    /// than `staleAfter`.
    public func isStale(now: Date = Date()) -> Bool {
        if host == Self.currentHost {
            if pid == Int(getpid()) { return false }
            if kill(pid_t(pid), 0) != 0 && errno == ESRCH { return true }
        }
        return now.timeIntervalSince(heartbeatAt) > Self.staleAfter
    }

    public var isOwnedByThisProcess: Bool { host == Self.currentHost && pid == Int(getpid()) }
}

extension RunStore {
    /// Takes the lease of `run` for this process. A lease held by another live process is an error
    /// (`.runLocked`) unless `force`; a stale one (or one of this process) is taken over.
    public func acquireLease(of run: Run, force: Bool = false) throws {
        let host = RunLease.currentHost, pid = Int(getpid())
        try write { db in
            let id = try self.rowID(db, run.id)
            if let lease = try Self.lease(db, rowID: id), !lease.isOwnedByThisProcess, !lease.isStale(), !force {
                throw RunStoreError.runLocked(name: run.name, holder: lease.holder,
                                              secondsSinceHeartbeat: Int(Date().timeIntervalSince(lease.heartbeatAt)))
            }
            let now = Date()
            try db.execute(sql: """
                INSERT OR REPLACE INTO run_leases (run_id, host, pid, acquired_at, heartbeat_at) VALUES (?,?,?,?,?)
                """, arguments: [id, host, pid, now, now])
        }
    }

    /// Renews this process's lease of `run` (no-op if another process holds it).
    public func heartbeat(of run: Run) throws {
        let host = RunLease.currentHost, pid = Int(getpid())
        try write { db in
            let id = try self.rowID(db, run.id)
            try db.execute(sql: "UPDATE run_leases SET heartbeat_at = ? WHERE run_id = ? AND host = ? AND pid = ?",
                           arguments: [Date(), id, host, pid])
        }
    }

    /// Gives up this process's lease of `run`.
    public func releaseLease(of run: Run) throws {
        let host = RunLease.currentHost, pid = Int(getpid())
        try write { db in
            let id = try self.rowID(db, run.id)
            try db.execute(sql: "DELETE FROM run_leases WHERE run_id = ? AND host = ? AND pid = ?",
                           arguments: [id, host, pid])
        }
    }

    /// The lease of `run`, if a writer holds (or held and never released) one.
    public func lease(of run: UUID) throws -> RunLease? {
        try read { db in try Self.lease(db, rowID: try self.rowID(db, run)) }
    }

    static func lease(_ db: Database, rowID: Int64) throws -> RunLease? {
        guard try db.tableExists("run_leases") else { return nil }
        guard let row = try Row.fetchOne(db, sql: "SELECT host, pid, acquired_at, heartbeat_at FROM run_leases WHERE run_id = ?",
                                         arguments: [rowID]) else { return nil }
        let acquired: Date? = row["acquired_at"], beat: Date? = row["heartbeat_at"]
        return RunLease(host: row["host"], pid: row["pid"], acquiredAt: acquired ?? .distantPast,
                        heartbeatAt: beat ?? .distantPast)
    }
}
