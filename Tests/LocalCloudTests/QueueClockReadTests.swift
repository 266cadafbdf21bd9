import CSQLite
import Foundation
import LocalCloud
import Synchronization
import Testing

/// A virtual clock that, while armed, records on each read of `now` whether some connection
/// holds the write lock of a database file (a second connection that must not wait tries to
/// take it).
final class WriteLockProbeClock: CloudClock, Sendable {
    private struct Probe {
        var path: String?
        var seen: [Bool] = []
    }

    private let clock = VirtualClock()
    private let probe = Mutex(Probe())

    var now: Instant {
        if let path = probe.withLock({ $0.path }) {
            let held = Self.writeLockHeld(path: path)
            probe.withLock { $0.seen.append(held) }
        }
        return clock.now
    }

    func sleep(until deadline: Instant) async throws { try await clock.sleep(until: deadline) }

    /// Records reads from now on, probing the database at `path`.
    func arm(path: String) { probe.withLock { $0 = Probe(path: path) } }

    /// Stops recording and returns, per read of `now`, whether the write lock was held.
    func disarm() -> [Bool] {
        probe.withLock { probe in
            defer { probe = Probe() }
            return probe.seen
        }
    }

    private static func writeLockHeld(path: String) -> Bool {
        var connection: OpaquePointer?
        defer { sqlite3_close(connection) }
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK else { return false }
        sqlite3_busy_timeout(connection, 0)
        let code = sqlite3_exec(connection, "BEGIN IMMEDIATE", nil, nil, nil)
        if code == SQLITE_OK { sqlite3_exec(connection, "ROLLBACK", nil, nil, nil) }
        return code == SQLITE_BUSY
    }
}

/// Runs `sql` on the database at `path` through its own connection (to corrupt it on purpose).
func rawSQL(_ path: String, _ sql: String) throws {
    var connection: OpaquePointer?
    defer { sqlite3_close(connection) }
    guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK,
          sqlite3_exec(connection, sql, nil, nil, nil) == SQLITE_OK
    else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: sqlite3_errmsg(connection))]) }
}

@Suite struct QueueClockReadTests {
    /// A lease, ack time or seek time taken before a wait for another writer would be stale by
    /// the time it is written, so every write reads the clock only once it holds the lock.
    @Test func writesReadTheClockUnderTheWriteLock() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/queue.sqlite"
        let clock = WriteLockProbeClock()
        let queue = try SQLiteMessageQueue(path: path, clock: clock)
        try queue.createTopic("events")
        try queue.createSubscription("worker", topic: "events")
        /// Publishes a message and pulls it (unarmed), returning its ack ids.
        func leaseOne() throws -> [String] {
            try queue.publish(OutgoingMessage(data: Data("m".utf8)), to: "events")
            let pulled = try queue.pull("worker", maxMessages: 1)
            #expect(pulled.count == 1)
            return pulled.map(\.ackID)
        }
        try queue.publish(OutgoingMessage(data: Data("first".utf8)), to: "events")
        let operations: [(name: String, prepare: () throws -> [String], run: ([String]) throws -> Void)] = [
            ("pull", { [] }, { _ in
                let pulled = try queue.pull("worker", maxMessages: 1)
                #expect(pulled.count == 1)
            }),
            ("modifyAckDeadline", leaseOne, { try queue.modifyAckDeadline("worker", ackIDs: $0, deadline: .seconds(30)) }),
            ("ack", leaseOne, { try queue.ack("worker", ackIDs: $0) }),
            ("seek", { [] }, { _ in try queue.seek("worker", to: .epoch) }),
            ("purgeExpired", { [] }, { _ in try queue.purgeExpired() }),
        ]
        for (name, prepare, operation) in operations {
            let ackIDs = try prepare()
            clock.arm(path: path)
            try operation(ackIDs)
            let reads = clock.disarm()
            #expect(!reads.isEmpty && reads.allSatisfy { $0 }, "\(name) read the clock outside the write lock: \(reads)")
        }
    }
}
