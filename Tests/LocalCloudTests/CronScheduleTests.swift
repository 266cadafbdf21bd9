import Foundation
import LocalCloud
import Synchronization
import Testing

private func at(_ text: String) -> Instant { Instant(iso8601: text)! }

/// Known next-run answers: (expression, zone, after, expected next run in UTC).
private let knownAnswers: [(String, String, String, String)] = [
    ("0 9 * * 1-5", "UTC", "2026-01-02T10:00:00Z", "2026-01-05T09:00:00Z"),           // Fri → Mon
    ("*/15 * * * *", "UTC", "2026-01-01T00:07:00Z", "2026-01-01T00:15:00Z"),
    ("*/15 * * * *", "UTC", "2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z"),          // strictly after
    ("0 0 1 JAN,jul *", "UTC", "2026-02-01T00:00:00Z", "2026-07-01T00:00:00Z"),
    ("@weekly", "UTC", "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z"),               // next Sunday
    ("0 0 * * 7", "UTC", "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z"),             // 7 = Sunday
    ("@hourly", "UTC", "2026-01-01T00:59:59.5Z", "2026-01-01T01:00:00Z"),
    ("@monthly", "UTC", "2026-01-31T12:00:00Z", "2026-02-01T00:00:00Z"),
    ("@yearly", "UTC", "2026-06-01T00:00:00Z", "2027-01-01T00:00:00Z"),
    ("0 0 29 2 *", "UTC", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),            // leap day
    ("0 0 31 * *", "UTC", "2026-04-01T00:00:00Z", "2026-05-31T00:00:00Z"),            // April has 30 days
    ("0 0 13 * 5", "UTC", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"),            // 13th OR Friday
    ("0 0 */10 * 1", "UTC", "2026-01-01T00:00:00Z", "2026-05-11T00:00:00Z"),          // '*' day field: AND
    ("10-50/20 8-9 * * MON-FRI", "UTC", "2026-01-02T08:31:00Z", "2026-01-02T08:50:00Z"),
    ("5/20 * * * *", "UTC", "2026-01-01T00:46:00Z", "2026-01-01T01:05:00Z"),
    ("0 9 * * *", "Asia/Kolkata", "2026-01-01T00:00:00Z", "2026-01-01T03:30:00Z"),
    ("0 0 * * *", "America/Los_Angeles", "2026-01-01T00:00:00Z", "2026-01-01T08:00:00Z"),
    // Europe/Berlin springs forward 2026-03-29 02:00 CET → 03:00 CEST (01:00 UTC).
    ("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z"),  // skipped: at the change
    ("30 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"),
    ("0 3 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z"),
    ("0 1 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T00:00:00Z"),
    // Europe/Berlin falls back 2026-10-25 03:00 CEST → 02:00 CET (01:00 UTC).
    ("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z"),  // first pass only
    ("30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"),
    ("0 * * * *", "Europe/Berlin", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z"),   // interval job: both passes
    ("0 * * * *", "Europe/Berlin", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"),
    ("*/30 * * * *", "Europe/Berlin", "2026-10-25T00:45:00Z", "2026-10-25T01:00:00Z"),
    // America/New_York springs forward 2026-03-08 02:00 EST → 03:00 EDT (07:00 UTC).
    ("0 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z"),
    ("*/30 * * * *", "America/New_York", "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z"),
    ("*/30 * * * *", "America/New_York", "2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z"),
    ("30 * * * *", "America/New_York", "2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z"),  // interval: 02:30 skipped
    // America/New_York falls back 2026-11-01 02:00 EDT → 01:00 EST (06:00 UTC).
    ("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T05:30:00Z"),
    ("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"),
    ("*/20 1 * * *", "America/New_York", "2026-11-01T05:40:00Z", "2026-11-01T06:00:00Z"),  // minute '*': both passes
    // SUN ending a range is 7: MON-SUN is every day, FRI-SUN skips Monday to Thursday.
    ("0 9 * * MON-SUN", "UTC", "2026-01-03T10:00:00Z", "2026-01-04T09:00:00Z"),        // Sat → Sun
    ("0 9 * * FRI-SUN", "UTC", "2026-01-04T10:00:00Z", "2026-01-09T09:00:00Z"),        // Sun → Fri
    ("0 9 * * SUN-SUN", "UTC", "2026-01-04T10:00:00Z", "2026-01-11T09:00:00Z"),        // Sundays only
    // Australia/Lord_Howe moves by 30 minutes (values checked with Python's zoneinfo).
    // Falls back 2026-04-05 02:00 +11:00 → 01:30 +10:30 (15:00 UTC).
    ("45 1 * * *", "Australia/Lord_Howe", "2026-04-04T12:00:00Z", "2026-04-04T14:45:00Z"),  // first pass
    ("45 1 * * *", "Australia/Lord_Howe", "2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z"),  // not the second
    ("*/15 * * * *", "Australia/Lord_Howe", "2026-04-04T14:45:00Z", "2026-04-04T15:00:00Z"), // interval: both
    // Springs forward 2026-10-04 02:00 +10:30 → 02:30 +11:00 (15:30 UTC).
    ("15 2 * * *", "Australia/Lord_Howe", "2026-10-03T12:00:00Z", "2026-10-03T15:30:00Z"),  // skipped: at the change
    ("45 2 * * *", "Australia/Lord_Howe", "2026-10-03T12:00:00Z", "2026-10-03T15:45:00Z"),
]

@Suite struct CronScheduleTests {
    @Test(arguments: knownAnswers.indices)
    func nextRunMatchesKnownAnswer(index: Int) throws {
        let (expression, zone, after, expected) = knownAnswers[index]
        let schedule = try CronSchedule(expression, timeZone: zone)
        #expect(schedule.nextRun(after: at(after)) == at(expected), "\(expression) in \(zone) after \(after)")
    }

    @Test func neverMatchingExpressionHasNoNextRun() throws {
        #expect(try CronSchedule("0 0 30 2 *").nextRun(after: at("2026-01-01T00:00:00Z")) == nil)
    }

    @Test func rejectsBadExpressionsWithTheField() {
        let bad: [(String, String)] = [
            ("60 * * * *", "minute"), ("* 24 * * *", "hour"), ("* * 0 * *", "day-of-month"), ("* * * 13 *", "month"),
            ("* * * * 8", "day-of-week"), ("*/0 * * * *", "minute"), ("5-1 * * * *", "minute"), ("* * * FOO *", "month"),
            ("* * * *", "whole expression"), ("@reboot", "macro"), ("1,,2 * * * *", "minute"),
            ("+5 * * * *", "minute"), ("*/+5 * * * *", "minute"), ("* * * * SAT-MON", "day-of-week"),
        ]
        for (expression, field) in bad {
            do {
                _ = try CronSchedule(expression)
                Issue.record("\(expression) was accepted")
            } catch let CronError.invalidExpression(_, actual, _) {
                #expect(actual == field, "\(expression)")
            } catch {
                Issue.record("\(expression): \(error)")
            }
        }
        #expect(throws: CronError.unknownTimeZone("Mars/Olympus")) { try CronSchedule("@daily", timeZone: "Mars/Olympus") }
    }
}

@Suite struct CronSchedulerTests {
    @Test func aYearOfRunsFiresEveryDueRunInOrder() throws {
        let clock = VirtualClock(start: at("2026-01-01T00:00:00Z"))
        let ledger = OperationLedger()
        let scheduler = CronScheduler(clock: clock, ledger: ledger)
        let log = OrderLog()
        try scheduler.schedule("retrain", CronSchedule("0 3 * * MON", timeZone: "Europe/Berlin")) { run in
            log.append("retrain \(run.scheduledAt) now=\(clock.now)")
        }
        try scheduler.schedule("score", CronSchedule("@daily")) { run in log.append("score \(run.scheduledAt)") }
        let runs = try scheduler.advance(by: .seconds(365 * 86_400))
        #expect(runs.filter { $0.job == "retrain" }.count == 52)
        #expect(runs.filter { $0.job == "score" }.count == 365)
        #expect(runs.map(\.scheduledAt) == runs.map(\.scheduledAt).sorted())
        #expect(runs.allSatisfy { $0.firedAt == $0.scheduledAt })
        #expect(log.entries.first == "score 2026-01-02T00:00:00Z")
        #expect(log.entries.contains("retrain 2026-01-05T02:00:00Z now=2026-01-05T02:00:00Z"))  // 03:00 CET
        #expect(log.entries.contains("retrain 2026-04-06T01:00:00Z now=2026-04-06T01:00:00Z"))  // 03:00 CEST
        #expect(clock.now == at("2027-01-01T00:00:00Z"))
        #expect(ledger.count(.schedulerRuns) == 417)
    }

    @Test func missedRunPolicies() throws {
        for (policy, expected) in [(MissedRunPolicy.runAll, [4, 0]), (.runLatest, [1, 3]), (.skipMissed, [0, 0])] {
            let clock = VirtualClock(start: at("2026-01-01T00:00:00Z"))
            let scheduler = CronScheduler(clock: clock)
            try scheduler.schedule("hourly", CronSchedule("@hourly"), missedRuns: policy) { _ in }
            clock.advance(by: .seconds(4 * 3600 + 600))  // nobody stepped the scheduler
            let runs = try scheduler.runDue()
            #expect(runs.count == expected[0], "\(policy)")
            #expect((runs.last?.coalescedRuns ?? 0) == expected[1], "\(policy)")
            #expect(scheduler.nextRuns().first?.nextRun == at("2026-01-01T05:00:00Z"))
        }
    }

    @Test func aPausedJobMissesItsRunsWhileOthersFireAndCatchesUpByItsPolicy() throws {
        for (policy, expected) in [(MissedRunPolicy.runAll, ["01:00", "02:00", "03:00"]), (.runLatest, ["03:00"]), (.skipMissed, [])] {
            let clock = VirtualClock(start: at("2026-01-01T00:00:00Z"))
            let scheduler = CronScheduler(clock: clock)
            let paused = Counter(), other = Counter()
            let fired = Mutex<[String]>([])
            try scheduler.schedule("paused", CronSchedule("@hourly"), missedRuns: policy) { run in
                paused.add()
                fired.withLock { $0.append(String(run.scheduledAt.iso8601.dropFirst(11).prefix(5))) }
            }
            try scheduler.schedule("other", CronSchedule("@hourly")) { _ in other.add() }
            try scheduler.pause("paused")
            try scheduler.advance(by: .seconds(3 * 3600 + 1800))
            #expect(paused.value == 0, "\(policy)")
            #expect(other.value == 3, "\(policy)")
            try scheduler.resume("paused")
            try scheduler.runDue()
            #expect(fired.withLock { $0 } == expected, "\(policy)")
            try scheduler.advance(by: .seconds(1800))
            #expect(fired.withLock { $0 }.last == "04:00", "\(policy)")
        }
        #expect(throws: CronError.unknownJob("nope")) { try CronScheduler(clock: VirtualClock()).pause("nope") }
    }

    @Test func progressPersistsAcrossRestarts() throws {
        let folder = try TemporaryFolder()
        let clock = VirtualClock(start: at("2026-01-01T00:00:00Z"))
        let first = CronScheduler(clock: clock, store: try ScheduleStore(path: folder.path + "/schedules.sqlite"))
        try first.schedule("daily", CronSchedule("@daily")) { _ in }
        #expect(try first.advance(by: .seconds(86_400 + 60)).count == 1)
        // "Restart" three days later: the runs missed meanwhile are caught up.
        clock.advance(by: .seconds(3 * 86_400))
        let store = try ScheduleStore(path: folder.path + "/schedules.sqlite")
        let second = CronScheduler(clock: clock, store: store)
        try second.schedule("daily", CronSchedule("@daily")) { _ in }
        let runs = try second.runDue()
        #expect(runs.map(\.scheduledAt) == [at("2026-01-03T00:00:00Z"), at("2026-01-04T00:00:00Z"), at("2026-01-05T00:00:00Z")])
        #expect(try store.records().map(\.lastScheduledAt) == [at("2026-01-05T00:00:00Z")])
    }

    @Test func progressSavedByAStoreNeverMovesBackwards() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/schedules.sqlite"
        let ahead = CronScheduler(clock: VirtualClock(start: at("2026-01-01T00:00:00Z")), store: try ScheduleStore(path: path))
        let behind = CronScheduler(clock: VirtualClock(start: at("2026-01-01T00:00:00Z")), store: try ScheduleStore(path: path))
        try ahead.schedule("hourly", CronSchedule("@hourly")) { _ in }
        try behind.schedule("hourly", CronSchedule("@hourly")) { _ in }
        try ahead.advance(by: .seconds(3 * 3600))
        try behind.advance(by: .seconds(3600))
        #expect(try ScheduleStore(path: path).records().map(\.lastScheduledAt) == [at("2026-01-01T03:00:00Z")])
    }

    @Test func aYearOfMinutelyRunsWithAStoreSavesProgressInBatches() throws {
        let folder = try TemporaryFolder()
        let clock = VirtualClock(start: at("2026-01-01T00:00:00Z"))
        let store = try ScheduleStore(path: folder.path + "/schedules.sqlite")
        let scheduler = CronScheduler(clock: clock, store: store)
        let count = Counter()
        try scheduler.schedule("minutely", CronSchedule("* * * * *")) { _ in count.add() }
        let runs = try scheduler.advance(by: .seconds(365 * 86_400))
        #expect(runs.count == 525_600 && count.value == 525_600)
        #expect(try store.records().map(\.lastScheduledAt) == [at("2027-01-01T00:00:00Z")])
    }

    @Test func advanceNeedsAVirtualClock() throws {
        let scheduler = CronScheduler(clock: SystemClock())
        #expect(throws: CronError.clockIsNotVirtual) { try scheduler.advance(by: .seconds(1)) }
    }
}

/// Counts calls from any thread.
private final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
