import Corpus
import Foundation
import JSON
import LocalCloud
import Modes
import Synchronization

/// A scenario's automl loop in its sandbox: an upstream system delivering each week's export
/// at Monday 00:00 UTC, and the loop on its own schedule, both jobs of the sandbox's scheduler.
///
/// Upstream delivers week `w`'s purchases at the start of week `w + 1` (week 0's, the days
/// before week 1, when the session starts). A week listed as missing is delivered with the
/// next week's; one listed as malformed is first delivered cut off mid-row, as an interrupted
/// upload leaves it, and delivered whole with the next week's.
public final class AutoMLSession: Sendable {
    /// The loop's job name on the scheduler; the deliveries' job sorts before it, so a delivery
    /// due at the same instant as a run comes first.
    static let loopJob = "automl-run"
    static let deliveryJob = "automl-exports"

    /// The loop and its delivery plan.
    public let spec: AutoMLSpec
    /// The loop.
    public let loop: PropensityLoop
    private let upstream: any ObjectStore
    private let exports: [Int: Data]
    private let pending = Mutex<Set<Int>>([])
    /// The last week a run of the loop completed in this session: later runs in that week (a
    /// cron firing every minute fires ten thousand times a week) have nothing to do, and are
    /// skipped without reading the store. A run that stopped (a missing export) does not count.
    private let completedWeek = Mutex<Int?>(nil)

    /// A session for `spec`, whose purchases are `purchases`: the loop works on `store`, and
    /// upstream delivers through `upstream` (in a scenario, the harness's store, without the
    /// faults and the ledger that test the loop).
    public init(spec: AutoMLSpec, purchases: [Purchase], store: any ObjectStore, upstream: any ObjectStore) {
        self.spec = spec
        self.upstream = upstream
        loop = PropensityLoop(store: store, settings: spec.settings)
        let records = purchases.map { PurchaseRecord(customer: $0.customer, day: $0.day, items: $0.cds, cents: $0.cents) }
        exports = WeeklyExport.exports(of: records, calendar: spec.settings.calendar, lastWeek: spec.settings.lastWeek)
    }

    /// Delivers what is due by now and schedules the deliveries and the loop. A run that stops
    /// on a bad or missing export has written its alert and is not a scenario failure; any
    /// other failure is handed to `failed`.
    public func start(scheduler: CronScheduler, now: Instant, failed: @escaping @Sendable (any Error) -> Void) throws {
        let calendar = spec.settings.calendar
        for week in 0..<max(0, calendar.week(of: now)) { try deliver(week: week) }
        try scheduler.schedule(Self.deliveryJob, try CronSchedule("0 0 * * MON"), missedRuns: .runAll) { [self] run in
            do { try deliver(week: calendar.week(of: run.scheduledAt) - 1) } catch { failed(error) }
        }
        try scheduler.schedule(Self.loopJob, spec.schedule, missedRuns: spec.missedRuns) { [self, loop] run in
            let week = calendar.week(of: run.scheduledAt)
            guard completedWeek.withLock({ $0 }) != week else { return }
            do {
                try loop.run(week: week, at: run.firedAt)
                completedWeek.withLock { $0 = week }
            } catch AutoMLError.malformedExport, AutoMLError.missingExport {
                // The alert is written; the next run catches up.
            } catch {
                failed(error)
            }
        }
    }

    /// The scheduler is down for `duration`: the loop misses its runs, upstream delivers on.
    func outage(_ duration: Duration, scheduler: CronScheduler) throws {
        try scheduler.pause(Self.loopJob)
        try scheduler.advance(by: duration)
        try scheduler.resume(Self.loopJob)
        try scheduler.runDue()
    }

    /// Delivers week `week`'s export, and whatever earlier export was held back or broken.
    private func deliver(week: Int) throws {
        guard let export = exports[week] else { return }
        for earlier in pending.withLock({ held in defer { held.removeAll() }; return held.sorted() }) {
            try put(exports[earlier]!, week: earlier)
        }
        if spec.exportFaults.missing.contains(week) {
            pending.withLock { _ = $0.insert(week) }
        } else if spec.exportFaults.malformed.contains(week) {
            try put(Self.cutMidRow(export), week: week)
            pending.withLock { _ = $0.insert(week) }
        } else {
            try put(export, week: week)
        }
    }

    /// Puts week `week`'s export, unless the bucket holds these very bytes already (a loop run
    /// again on the same root delivers nothing new, so no export gets a new generation).
    private func put(_ data: Data, week: Int) throws {
        let bucket = spec.settings.bucket, key = spec.settings.exportKey(week: week)
        if let current = try? upstream.get(bucket: bucket, key: key), current.data == data { return }
        try upstream.put(data, bucket: bucket, key: key, options: PutOptions(contentType: "text/csv"))
    }

    /// The export cut in the middle of its middle row.
    static func cutMidRow(_ export: Data) -> Data {
        let newlines = export.indices.filter { export[$0] == UInt8(ascii: "\n") }
        guard newlines.count >= 3 else { return export.prefix(export.count / 2) }
        let middle = newlines[newlines.count / 2]
        return export.prefix(middle + 5)
    }
}

/// Holds a scenario's automl session once set-up started it. A scenario's steps run one after
/// another on one thread, which alone touches it (`@unchecked`).
final class AutoMLSlot: @unchecked Sendable {
    var session: AutoMLSession?
}
