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
///
/// `rehearse cloud … --root <root>` opens the same layout to look inside.
public final class CloudSandbox: Sendable {
    /// The folder holding everything.
    public let root: URL
    public let clock: any Clock
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
    public init(root: URL, clock: any Clock, faults: FaultPlan = .none, ledger: OperationLedger = OperationLedger(),
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

    /// Where the queue database of a sandbox rooted at `root` lives.
    public static func queuePath(_ root: URL) -> String { root.path + "/queue.sqlite" }

    /// Where the schedule database of a sandbox rooted at `root` lives.
    public static func schedulesPath(_ root: URL) -> String { root.path + "/schedules.sqlite" }
}
