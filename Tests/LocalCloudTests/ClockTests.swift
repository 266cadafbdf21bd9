import Foundation
import LocalCloud
import Synchronization
import Testing

@Suite struct InstantTests {
    @Test func formatsAndParsesISO8601() throws {
        let instant = try #require(Instant(iso8601: "2026-03-29T01:00:00Z"))
        #expect(instant.secondsSinceEpoch == 1_774_746_000)
        #expect(instant.iso8601 == "2026-03-29T01:00:00Z")
        #expect(Instant(iso8601: "2026-03-29T03:00:00+02:00") == instant)
        let fractional = instant.advanced(by: .milliseconds(125))
        #expect(fractional.iso8601 == "2026-03-29T01:00:00.125Z")
        #expect(Instant(iso8601: fractional.iso8601) == fractional)
        #expect(Instant(epoch: -1).iso8601 == "1969-12-31T23:59:59Z")
    }

    @Test func formatsEveryRepresentableInstantSoItReadsBack() throws {
        #expect(Instant.earliest.iso8601 == "1677-09-21T00:12:43.145224192Z")
        #expect(Instant.latest.iso8601 == "2262-04-11T23:47:16.854775807Z")
        #expect(Instant(nanosecondsSinceEpoch: 50).iso8601 == "1970-01-01T00:00:00.00000005Z")
        #expect(Instant(nanosecondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.999999999Z")
        // Seeded instants over the whole range, and whole seconds and milliseconds among them.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for step in 0..<3_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let raw = Int64(bitPattern: state)
            let nanoseconds = switch step % 3 {
            case 0: raw
            case 1: raw / 1_000_000_000 * 1_000_000_000
            default: raw / 1_000_000 * 1_000_000
            }
            let instant = Instant(nanosecondsSinceEpoch: nanoseconds)
            let text = instant.iso8601
            #expect(Instant(iso8601: text) == instant, "\(text)")
            #expect(text.utf8.count == 20 || (text.utf8.count > 21 && !text.hasSuffix("0Z")), "\(text)")
        }
    }

    @Test func rejectsMalformedTimes() {
        for text in ["2026-02-30T00:00:00Z", "2026-01-01", "2026-01-01T25:00:00Z", "yesterday", "2026-01-01T00:00:00",
                     "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567891Z", "2026-01-01T00:00:00+0200", "2026-01-01T00:00:00Zx",
                     "2026-1-01T00:00:00Z", "+2026-01-01T00:00:00Z", "2026-01-01T00:00:60Z", "2026-01-01t00:00:00Z", "",
                     "２０２６-01-01T00:00:00Z", "2026-01-01T00:00:00+02", "2026-01-01T00:00:0Z", "2026-01-01T00:00:00 Z"] {
            #expect(Instant(iso8601: text) == nil, "\(text)")
        }
    }

    @Test func parsesEveryAllowedShape() throws {
        let midnight = try #require(Instant(iso8601: "2026-01-01T00:00:00Z"))
        #expect(Instant(iso8601: "2026-01-01T00:00Z") == midnight)
        #expect(Instant(iso8601: "2026-01-01 00:00:00Z") == midnight)
        #expect(Instant(iso8601: "2025-12-31T19:30:00-04:30") == midnight)
        #expect(Instant(iso8601: "2026-01-01T00:00:00.5Z") == midnight.advanced(by: .milliseconds(500)))
        #expect(Instant(iso8601: "2026-01-01T00:00:00.000000007Z") == midnight.advanced(by: .nanoseconds(7)))
        #expect(Instant(iso8601: "2026-01-01T01:00:00.25+01:00") == midnight.advanced(by: .milliseconds(250)))
        #expect(Instant(iso8601: "2024-02-29T12:00:00Z") != nil)
        #expect(Instant(iso8601: "2025-02-29T12:00:00Z") == nil)
    }

    @Test func arithmeticSaturatesInsteadOfTrapping() throws {
        let now = Instant(epoch: 1_800_000_000)
        #expect(now.advanced(by: .seconds(Int64.max)) == .latest)
        #expect(Instant(epoch: -1_800_000_000).advanced(by: .seconds(Int64.min)) == .earliest)
        #expect(Instant.latest.advanced(by: .nanoseconds(1)) == .latest)
        #expect(Instant.earliest.advanced(by: .nanoseconds(-1)) == .earliest)
        #expect(Instant(secondsSinceEpoch: .max) == .latest)
        #expect(Instant(secondsSinceEpoch: .min) == .earliest)
        // The span between the extremes does not fit Int64 nanoseconds but is still exact.
        #expect(Instant.earliest.duration(to: .latest) == .nanoseconds(Int64.max) + .nanoseconds(Int64.max) + .nanoseconds(1))
        #expect(Instant.latest.iso8601 == "2262-04-11T23:47:16.854775807Z")
        #expect(Instant(iso8601: "2262-04-11T23:47:16.854775807Z") == .latest)
        #expect(Instant(iso8601: "2262-04-11T23:47:16.854775808Z") == nil)
        #expect(Instant(iso8601: "9999-12-31T23:59:59Z") == nil)
        #expect(Instant(iso8601: "1677-09-21T00:12:43.145224192Z") == .earliest)
        #expect(Instant(iso8601: "0001-01-01T00:00:00Z") == nil)
    }

    @Test func codableAsISOString() throws {
        let instant = try #require(Instant(iso8601: "2026-11-26T13:55:22Z"))
        let json = try JSONEncoder().encode([instant])
        #expect(String(decoding: json, as: UTF8.self) == #"["2026-11-26T13:55:22Z"]"#)
        #expect(try JSONDecoder().decode([Instant].self, from: json) == [instant])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Instant].self, from: Data(#"["soon"]"#.utf8)) }
    }
}

extension Instant {
    init(epoch seconds: Int64) { self.init(secondsSinceEpoch: seconds) }
}

@Suite struct VirtualClockTests {
    @Test func movesOnlyWhenAdvanced() throws {
        let start = try #require(Instant(iso8601: "2026-01-01T00:00:00Z"))
        let clock = VirtualClock(start: start)
        #expect(clock.now == start)
        #expect(clock.now == start)
        clock.advance(by: .seconds(90))
        #expect(clock.now == start.advanced(by: .seconds(90)))
        clock.advance(to: start)  // never backwards
        #expect(clock.now == start.advanced(by: .seconds(90)))
    }

    @Test func resumesWaitersInDeadlineThenRegistrationOrder() async throws {
        let clock = VirtualClock(start: Instant(epoch: 0))
        let log = OrderLog()
        // The waiters run on one serial executor, so they run in the order the clock resumes
        // them (which is what is under test), not in whatever order threads pick them up.
        let executor = SerialTaskExecutor()
        // Register waiters one at a time so registration order is known.
        let plan: [(name: String, second: Int64)] = [("c", 30), ("a", 10), ("b1", 20), ("b2", 20), ("late", 100)]
        var tasks: [String: Task<Void, any Error>] = [:]
        for (index, waiter) in plan.enumerated() {
            tasks[waiter.name] = Task(executorPreference: executor) {
                try await clock.sleep(until: Instant(epoch: waiter.second))
                log.append("\(waiter.name)@\(clock.now.secondsSinceEpoch)")
            }
            await clock.waitForWaiters(count: index + 1)
        }
        // Resume one deadline group at a time and wait for its tasks, so each sees its deadline.
        for (target, group) in [(Int64(10), ["a"]), (20, ["b1", "b2"]), (30, ["c"])] {
            clock.advance(to: Instant(epoch: target))
            for name in group { try await tasks[name]!.value }
        }
        #expect(log.entries == ["a@10", "b1@20", "b2@20", "c@30"])
        #expect(clock.waiterCount == 1)
        tasks["late"]!.cancel()
        await #expect(throws: CancellationError.self) { try await tasks["late"]!.value }
        #expect(clock.waiterCount == 0)
    }

    @Test func oneAdvancePastSeveralDeadlinesResumesEveryWaiterLate() async throws {
        let clock = VirtualClock(start: Instant(epoch: 0))
        let woke = OrderLog()
        var tasks: [Task<Void, any Error>] = []
        for (index, deadline) in [Int64(5), 7].enumerated() {
            tasks.append(Task {
                try await clock.sleep(until: Instant(epoch: deadline))
                let now = clock.now.secondsSinceEpoch
                woke.append("\(deadline)@\(now >= deadline ? "at or after" : "before")")
            })
            await clock.waitForWaiters(count: index + 1)
        }
        clock.advance(by: .seconds(60))
        #expect(clock.waiterCount == 0)  // both resumed by the one advance
        for task in tasks { try await task.value }
        // Tasks resumed together may run in either order; each sees a time at or after its deadline.
        #expect(Set(woke.entries) == ["5@at or after", "7@at or after"])
        #expect(clock.now == Instant(epoch: 60))
        // A deadline already passed returns at once, without registering a waiter.
        try await clock.sleep(until: Instant(epoch: 1))
        #expect(clock.waiterCount == 0)
    }

    @Test func aSleepBegunAfterCancellationEndsAtOnce() async throws {
        let clock = VirtualClock(start: Instant(epoch: 0))
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }  // cancelled before the sleep begins, for certain
            try await clock.sleep(until: Instant(epoch: 10))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.waiterCount == 0)
        #expect(clock.now == Instant(epoch: 0))
    }

    @Test func cancellingARegisteredSleeperRemovesIt() async throws {
        let clock = VirtualClock(start: Instant(epoch: 0))
        let task = Task { try await clock.sleep(until: Instant(epoch: 10)) }
        await clock.waitForWaiters(count: 1)  // registered, for certain
        task.cancel()
        #expect(clock.waiterCount == 0)  // the handler ran inside cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        clock.advance(by: .seconds(10))  // nothing left to resume
        #expect(clock.waiterCount == 0)
    }

    /// A cancel may also land while the sleep is being set up — between installing the
    /// cancellation handler and registering the waiter, where the handler finds nothing to
    /// remove. Which moment a cancel hits is up to the scheduler, so this cannot be pinned; but
    /// the outcome must be the same wherever it lands: the sleep ends with `CancellationError`
    /// and leaves no waiter. A sleeper left waiting would hang (this clock is never advanced), so
    /// the test has a generous time limit that fails it instead. The clock itself is never moved
    /// by wall time: an earlier watchdog that advanced it after 60 s made every later round
    /// return without `CancellationError` when a loaded CI machine was slow.
    @Test(.timeLimit(.minutes(10)))
    func cancellingDuringSetupNeverLeavesASleeperWaiting() async throws {
        let clock = VirtualClock(start: Instant(epoch: 0))
        for round in 0..<1000 {
            let (started, starting) = AsyncStream<Void>.makeStream()
            let task = Task {
                starting.yield()  // handshake: the sleep begins right after this
                try await clock.sleep(until: Instant(epoch: 10))
            }
            for await _ in started { break }
            task.cancel()
            await #expect(throws: CancellationError.self, "round \(round)") { try await task.value }
            #expect(clock.waiterCount == 0, "round \(round)")
        }
    }
}

/// A thread-safe append-only list of strings for observing order.
final class OrderLog: Sendable {
    private let items = Mutex<[String]>([])
    func append(_ item: String) { items.withLock { $0.append(item) } }
    var entries: [String] { items.withLock { $0 } }
}

/// Runs tasks that prefer it one job at a time, in the order their jobs are enqueued.
final class SerialTaskExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "SerialTaskExecutor")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
