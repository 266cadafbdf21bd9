import Foundation
import Synchronization

/// A schedule as persisted in `schedules.sqlite`: its definition and the last run it fired.
public struct ScheduleRecord: Hashable, Sendable {
    public var name: String
    public var expression: String
    public var timeZone: String
    public var missedRuns: MissedRunPolicy
    /// The scheduled time of the last run fired (or skipped by the missed-run policy), or when
    /// the schedule was first added if `hasRun` is false. Next runs are computed after it.
    public var lastScheduledAt: Instant
    /// Whether any run has fired (or been skipped) yet.
    public var hasRun: Bool
}

/// Keeps schedules and their progress in a SQLite file, so a restarted process resumes where
/// the last one stopped (and applies its missed-run policy) and `rehearse cloud schedules` can
/// show them. Thread-safe: the connection lives inside a `Mutex`.
public final class ScheduleStore: Sendable {
    private let database: Mutex<SQLiteDatabase>

    /// The schema version recorded in `PRAGMA user_version` (files made before it existed read 0
    /// and are brought up to it by the same `CREATE … IF NOT EXISTS` step).
    static let schemaVersion: Int32 = 1

    /// Opens (creating if needed) the schedule database at `path`. With `readOnly`, the file
    /// must exist and is not changed (`records()` works; any write fails with `SQLiteError`).
    /// - Throws: `CronError.schedulesNotInitialised` when opened read-only while the file has no
    ///   tables yet (another process is creating it).
    public init(path: String, readOnly: Bool = false) throws {
        let database = try SQLiteDatabase(path: path, readOnly: readOnly)
        if readOnly {
            guard try database.hasTable("schedules") else { throw CronError.schedulesNotInitialised(path: path) }
        } else {
            try database.prepareSchema(version: Self.schemaVersion) { _ in
                try database.execute("""
                    CREATE TABLE IF NOT EXISTS schedules (
                        name TEXT PRIMARY KEY, expression TEXT NOT NULL, time_zone TEXT NOT NULL,
                        missed_runs TEXT NOT NULL, last_scheduled_ns INTEGER NOT NULL, has_run INTEGER NOT NULL DEFAULT 0)
                        WITHOUT ROWID
                    """)
            }
        }
        self.database = Mutex(database)
    }

    /// All schedules, sorted by name.
    public func records() throws -> [ScheduleRecord] {
        try database.withLock { database in
            try database.statement("SELECT name, expression, time_zone, missed_runs, last_scheduled_ns, has_run FROM schedules ORDER BY name")
                .rows { row in
                    ScheduleRecord(name: row.string(0), expression: row.string(1), timeZone: row.string(2),
                                   missedRuns: MissedRunPolicy(rawValue: row.string(3)) ?? .runAll,
                                   lastScheduledAt: Instant(nanosecondsSinceEpoch: row.int64(4)), hasRun: row.int64(5) != 0)
                }
        }
    }

    /// Records `record` unless a schedule with the same name, expression and zone exists, in
    /// which case the stored progress wins. Returns the record now stored.
    func register(_ record: ScheduleRecord) throws -> ScheduleRecord {
        try database.withLock { database in
            try database.immediateTransaction {
                let existing = try database.statement(
                    "SELECT last_scheduled_ns, has_run FROM schedules WHERE name = ? AND expression = ? AND time_zone = ?")
                    .firstRow([.text(record.name), .text(record.expression), .text(record.timeZone)]) { ($0.int64(0), $0.int64(1)) }
                var stored = record
                if let (last, hasRun) = existing {
                    stored.lastScheduledAt = Instant(nanosecondsSinceEpoch: last)
                    stored.hasRun = hasRun != 0
                }
                try database.statement("""
                    INSERT OR REPLACE INTO schedules (name, expression, time_zone, missed_runs, last_scheduled_ns, has_run)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """).run([.text(stored.name), .text(stored.expression), .text(stored.timeZone),
                              .text(stored.missedRuns.rawValue), .integer(stored.lastScheduledAt.nanosecondsSinceEpoch),
                              .integer(stored.hasRun ? 1 : 0)])
                return stored
            }
        }
    }

    /// Records that the runs of the named schedules up to the given instants have fired, in one
    /// transaction. Progress never moves backwards (another process may be further along).
    func recordRuns(_ progress: [(name: String, scheduledAt: Instant)]) throws {
        guard !progress.isEmpty else { return }
        try database.withLock { database in
            try database.immediateTransaction {
                let update = try database.statement(
                    "UPDATE schedules SET last_scheduled_ns = max(last_scheduled_ns, ?), has_run = 1 WHERE name = ?")
                for (name, instant) in progress { try update.run([.integer(instant.nanosecondsSinceEpoch), .text(name)]) }
            }
        }
    }

    func remove(name: String) throws {
        try database.withLock { database in try database.statement("DELETE FROM schedules WHERE name = ?").run([.text(name)]) }
    }
}
