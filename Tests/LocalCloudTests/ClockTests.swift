import Foundation
import LocalCloud
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

    @Test func rejectsMalformedTimes() {
        for text in ["2026-02-30T00:00:00Z", "2026-01-01", "2026-01-01T25:00:00Z", "yesterday", "2026-01-01T00:00:00"] {
            #expect(Instant(iso8601: text) == nil, "\(text)")
        }
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
        // Register waiters one at a time so registration order is known.
        let plan: [(name: String, second: Int64)] = [("c", 30), ("a", 10), ("b1", 20), ("b2", 20), ("late", 100)]
        var tasks: [Task<Void, any Error>] = []
        for (index, waiter) in plan.enumerated() {
            tasks.append(Task {
                try await clock.sleep(until: Instant(epoch: waiter.second))
                log.append("\(waiter.name)@\(clock.now.secondsSinceEpoch)")
            })
            try await waitUntil("waiter \(waiter.name) registered") { clock.waiterCount == index + 1 }
        }
        // Resume one deadline group at a time and wait for it, so task scheduling cannot reorder.
        for (target, expectedCount) in [(Int64(10), 1), (20, 3), (30, 4)] {
            clock.advance(to: Instant(epoch: target))
            try await waitUntil("\(expectedCount) waiters ran") { log.entries.count == expectedCount }
        }
        #expect(log.entries == ["a@10", "b1@20", "b2@20", "c@30"])
        #expect(clock.waiterCount == 1)
        tasks.last!.cancel()
        await #expect(throws: CancellationError.self) { try await tasks.last!.value }
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
            try await waitUntil("waiter \(deadline) registered") { clock.waiterCount == index + 1 }
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

    @Test func cancellingASleeperNeverLeavesItWaiting() async throws {
        let clock = VirtualClock(start: Instant(epoch: 0))
        // Cancel at every point of sleep(until:)'s setup; a cancel that lands between installing
        // the handler and registering the waiter must still end the sleep.
        for round in 0..<2000 {
            let finished = OrderLog()
            let task = Task {
                defer { finished.append("done") }
                try await clock.sleep(until: Instant(epoch: 10))
            }
            for _ in 0..<(round % 7) { await Task.yield() }
            task.cancel()
            var yields = 0
            while finished.entries.isEmpty, yields < 100_000 {
                await Task.yield()
                yields += 1
            }
            guard !finished.entries.isEmpty else {
                Issue.record("round \(round): a cancelled sleeper was left waiting")
                clock.advance(by: .seconds(10))  // release it so the test ends
                _ = try? await task.value
                return
            }
            await #expect(throws: CancellationError.self, "round \(round)") { try await task.value }
            #expect(clock.waiterCount == 0, "round \(round)")
        }
    }
}

/// Yields until `condition` holds; fails the test after `maxYields` instead of spinning forever.
func waitUntil(_ what: String, maxYields: Int = 100_000, _ condition: () -> Bool) async throws {
    for _ in 0..<maxYields {
        if condition() { return }
        await Task.yield()
    }
    Issue.record("gave up waiting: \(what)")
    throw CancellationError()
}

/// A thread-safe append-only list of strings for observing order.
final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var entries: [String] { lock.withLock { items } }
}
