import Foundation
import Synchronization

/// Fires named jobs on cron schedules, on a clock.
///
/// Nothing runs by itself: with a `VirtualClock`, `advance(by:)` / `advance(to:)` step the clock
/// to each due run in turn and fire it (so a job sees `clock.now == run.scheduledAt`); with any
/// clock, `runDue()` fires what is due now, applying each job's `MissedRunPolicy` to runs that
/// came due while it was not called. Runs fire in order of scheduled time, then job name.
/// Actions run synchronously on the caller's thread. Thread-safe, but actions must not call
/// back into the scheduler.
public final class CronScheduler: Sendable {
    private struct Job: Sendable {
        let name: String
        let schedule: CronSchedule
        let missedRuns: MissedRunPolicy
        let action: @Sendable (ScheduledRun) -> Void
        var lastScheduledAt: Instant
        var nextRun: Instant?
        var isPaused = false
    }

    private let clock: any CloudClock
    private let store: ScheduleStore?
    private let ledger: OperationLedger?
    private let jobs = Mutex<[String: Job]>([:])

    /// A scheduler on `clock`; with a `store`, schedules and progress persist across processes.
    public init(clock: any CloudClock, store: ScheduleStore? = nil, ledger: OperationLedger? = nil) {
        self.clock = clock
        self.store = store
        self.ledger = ledger
    }

    /// Adds (or replaces) the job `name`. Its first run is the first scheduled time after now —
    /// or, if the store already knows this job with the same schedule, after its last run.
    public func schedule(_ name: String, _ schedule: CronSchedule, missedRuns: MissedRunPolicy = .runAll,
                         action: @escaping @Sendable (ScheduledRun) -> Void) throws {
        var lastScheduledAt = clock.now
        if let store {
            lastScheduledAt = try store.register(ScheduleRecord(
                name: name, expression: schedule.expression, timeZone: schedule.timeZoneIdentifier,
                missedRuns: missedRuns, lastScheduledAt: lastScheduledAt, hasRun: false)).lastScheduledAt
        }
        jobs.withLock { jobs in
            jobs[name] = Job(name: name, schedule: schedule, missedRuns: missedRuns, action: action,
                             lastScheduledAt: lastScheduledAt, nextRun: schedule.nextRun(after: lastScheduledAt))
        }
    }

    /// Removes the job `name` (and its stored record).
    public func unschedule(_ name: String) throws {
        _ = jobs.withLock { $0.removeValue(forKey: name) }
        try store?.remove(name: name)
    }

    /// Pauses the job `name`, as if its scheduler were down: its runs come due but do not fire.
    /// After `resume`, the next `runDue` or `advance` handles them by the job's `MissedRunPolicy`.
    public func pause(_ name: String) throws {
        try jobs.withLock { jobs in
            guard jobs[name] != nil else { throw CronError.unknownJob(name) }
            jobs[name]!.isPaused = true
        }
    }

    /// Resumes a paused job (see `pause`).
    public func resume(_ name: String) throws {
        try jobs.withLock { jobs in
            guard jobs[name] != nil else { throw CronError.unknownJob(name) }
            jobs[name]!.isPaused = false
        }
    }

    /// The next run of every job, sorted by job name (nil for a schedule that never fires).
    public func nextRuns() -> [(job: String, nextRun: Instant?)] {
        jobs.withLock { jobs in jobs.values.map { ($0.name, $0.nextRun) }.sorted { $0.job < $1.job } }
    }

    /// Fires every run due at the clock's current time, per each job's missed-run policy.
    @discardableResult
    public func runDue() throws -> [ScheduledRun] {
        var progress: [String: Instant] = [:]
        let runs = runDue(progress: &progress)
        try record(progress)
        return runs
    }

    /// Steps the virtual clock forward by `duration`, firing each run at its scheduled time.
    @discardableResult
    public func advance(by duration: Duration) throws -> [ScheduledRun] {
        try advance(to: clock.now.advanced(by: duration))
    }

    /// Steps the virtual clock to `target`, stopping at every due run to fire it, in order.
    ///
    /// Progress is saved to the schedule store every 1,000 runs and at the end (one transaction
    /// each, not one per run), so a process killed midway fires at most that many runs again
    /// when it resumes: at least once, never lost.
    @discardableResult
    public func advance(to target: Instant) throws -> [ScheduledRun] {
        guard let virtualClock = clock as? VirtualClock else { throw CronError.clockIsNotVirtual }
        var progress: [String: Instant] = [:]
        var fired = runDue(progress: &progress)
        var unsaved = fired.count
        while let next = jobs.withLock({ $0.values.filter { !$0.isPaused }.compactMap(\.nextRun).min() }), next <= target {
            virtualClock.advance(to: next)
            let runs = runDue(progress: &progress)
            fired += runs
            unsaved += runs.count
            if unsaved >= 1_000 {
                try record(progress)
                progress.removeAll(keepingCapacity: true)
                unsaved = 0
            }
        }
        try record(progress)
        virtualClock.advance(to: target)
        return fired
    }

    /// Fires the runs due now, adding each job's new progress to `progress` (not yet saved).
    private func runDue(progress: inout [String: Instant]) -> [ScheduledRun] {
        let now = clock.now
        let (runs, actions, progressed) = jobs.withLock { Self.collectDue(in: &$0, now: now) }
        for (name, lastScheduledAt) in progressed { progress[name] = lastScheduledAt }
        for (run, action) in zip(runs, actions) { action(run) }
        ledger?.record(.schedulerRuns, Int64(runs.count))
        return runs
    }

    /// Saves progress to the schedule store, if there is one.
    private func record(_ progress: [String: Instant]) throws {
        try store?.recordRuns(progress.keys.sorted().map { ($0, progress[$0]!) })
    }

    /// Takes the due runs off every job (advancing their state) and returns them in firing order,
    /// with the new progress of each job that moved (fired or skipped runs).
    private static func collectDue(in jobs: inout [String: Job], now: Instant)
        -> ([ScheduledRun], [@Sendable (ScheduledRun) -> Void], [(String, Instant)])
    {
        var due: [(ScheduledRun, @Sendable (ScheduledRun) -> Void)] = []
        var progressed: [(String, Instant)] = []
        for name in jobs.keys.sorted() {
            guard var job = jobs[name], !job.isPaused else { continue }
            var missed: [Instant] = []
            while let next = job.nextRun, next <= now {
                missed.append(next)
                job.lastScheduledAt = next
                job.nextRun = job.schedule.nextRun(after: next)
            }
            jobs[name] = job
            guard let latest = missed.last else { continue }
            progressed.append((name, latest))
            switch job.missedRuns {
            case .runAll:
                for scheduled in missed {
                    due.append((ScheduledRun(job: name, scheduledAt: scheduled, firedAt: now, coalescedRuns: 0), job.action))
                }
            case .runLatest:
                due.append((ScheduledRun(job: name, scheduledAt: latest, firedAt: now, coalescedRuns: missed.count - 1),
                            job.action))
            case .skipMissed:
                if latest.duration(to: now) <= .seconds(60) {
                    due.append((ScheduledRun(job: name, scheduledAt: latest, firedAt: now, coalescedRuns: 0), job.action))
                }
            }
        }
        due.sort { ($0.0.scheduledAt, $0.0.job) < ($1.0.scheduledAt, $1.0.job) }
        return (due.map(\.0), due.map(\.1), progressed)
    }
}
