import Foundation

/// A whole emulated cloud under one root folder, sharing one clock, fault plan and ledger.
///
/// Layout of `root` (all created on first open; reopening continues where it left off):
///
///     <root>/
///       buckets/<bucket>/<key>               object bytes, one plain file per object
///       generations/<bucket>/<generation>    bytes of kept noncurrent generations
///       tmp/                                 objects being written (cleaned up on open)
///       objects.sqlite                       object index: generations, ETags, metadata, times
///       queue.sqlite                         topics, subscriptions, messages, leases (WAL)
///       schedules.sqlite                     cron schedules and the last run each fired
///       sink.sqlite                          tables a streaming pipeline writes (`TableSink`),
///                                            made by the first pipeline that opens it
///       clock.txt                            the clock's time when the sandbox was left
///                                            (`saveClockReading`), for inspection
///
/// `rehearse cloud … --root <root>` opens the same layout to look inside.
public final class CloudSandbox: Sendable {
    /// The folder holding everything.
    public let root: URL
    public let clock: any CloudClock
    public let faults: FaultPlan
    public let ledger: OperationLedger
    public let objects: DirectoryObjectStore
    public let queue: SQLiteMessageQueue
    public let schedules: ScheduleStore
    public let scheduler: CronScheduler

    /// Opens (creating if needed) the cloud under `root`.
    /// - Parameters:
    ///   - noncurrentGenerationsKept: noncurrent generations kept per object key (0 = none).
    ///   - durable: fsync object files and use `synchronous=FULL` for every database.
    ///   - notifications: object events to publish to topics of this sandbox's queue.
    public init(root: URL, clock: any CloudClock, faults: FaultPlan = .none, ledger: OperationLedger = OperationLedger(),
                noncurrentGenerationsKept: Int = 3, durable: Bool = false,
                notifications: [ObjectNotificationRule] = []) throws {
        self.root = root
        self.clock = clock
        self.faults = faults
        self.ledger = ledger
        try FileSystem.makeDirectories(root.path)
        queue = try SQLiteMessageQueue(path: Self.queuePath(root), clock: clock, durable: durable, faults: faults,
                                       ledger: ledger)
        objects = try DirectoryObjectStore(root: root, clock: clock, options: .init(
            noncurrentGenerationsKept: noncurrentGenerationsKept, durable: durable, faults: faults, ledger: ledger,
            notifications: notifications, notificationQueue: queue))
        schedules = try ScheduleStore(path: Self.schedulesPath(root))
        scheduler = CronScheduler(clock: clock, store: schedules, ledger: ledger)
    }

    /// Writes the clock's current time to `clock.txt` (one ISO-8601 line), so that looking
    /// inside the sandbox later judges leases and deadlines at the time the rehearsal stopped,
    /// not at today's wall-clock time. Replaces the file atomically.
    public func saveClockReading() throws {
        let temporary = Self.clockPath(root) + ".tmp"
        try Data((clock.now.iso8601 + "\n").utf8).write(to: URL(fileURLWithPath: temporary))
        try FileSystem.rename(temporary, Self.clockPath(root))
    }

    /// The time `saveClockReading` recorded under `root`, or nil if it never ran there.
    /// - Throws: `CloudSandboxError.unreadableClockReading` if `clock.txt` is there but cannot be
    ///   read (a folder, say), `.malformedClockReading` if it is not one ISO-8601 time.
    public static func savedClockReading(_ root: URL) throws -> Instant? {
        guard FileManager.default.fileExists(atPath: clockPath(root)) else { return nil }
        guard let data = FileManager.default.contents(atPath: clockPath(root)) else {
            throw CloudSandboxError.unreadableClockReading(path: clockPath(root))
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let instant = Instant(iso8601: text) else {
            throw CloudSandboxError.malformedClockReading(path: clockPath(root), found: text)
        }
        return instant
    }

    /// Where a sandbox rooted at `root` records its clock's time (`saveClockReading`).
    public static func clockPath(_ root: URL) -> String { root.path + "/clock.txt" }

    /// Where the queue database of a sandbox rooted at `root` lives.
    public static func queuePath(_ root: URL) -> String { root.path + "/queue.sqlite" }

    /// Where the schedule database of a sandbox rooted at `root` lives.
    public static func schedulesPath(_ root: URL) -> String { root.path + "/schedules.sqlite" }

    /// Where the table sink of a sandbox rooted at `root` lives (see `SQLiteTableSink`).
    public static func sinkPath(_ root: URL) -> String { root.path + "/sink.sqlite" }
}

/// Why a sandbox's saved state cannot be read.
public enum CloudSandboxError: Error, Equatable, CustomStringConvertible {
    /// `clock.txt` does not hold one ISO-8601 time.
    case malformedClockReading(path: String, found: String)
    /// `clock.txt` is there but cannot be read (a folder, or a file without read permission).
    case unreadableClockReading(path: String)

    public var description: String {
        switch self {
        case .malformedClockReading(let path, let found):
            "\(path) should hold one ISO-8601 time like 2026-01-31T12:00:00Z, found \"\(found.prefix(80))\""
        case .unreadableClockReading(let path):
            "\(path) cannot be read: it should be a readable file holding one ISO-8601 time like 2026-01-31T12:00:00Z"
        }
    }
}
