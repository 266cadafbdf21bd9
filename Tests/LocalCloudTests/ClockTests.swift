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
            while clock.waiterCount < index + 1 { await Task.yield() }
        }
        // Resume one deadline group at a time and wait for it, so task scheduling cannot reorder.
        for (target, expectedCount) in [(Int64(10), 1), (20, 3), (30, 4)] {
            clock.advance(to: Instant(epoch: target))
            while log.entries.count < expectedCount { await Task.yield() }
        }
        #expect(log.entries == ["a@10", "b1@20", "b2@20", "c@30"])
        #expect(clock.waiterCount == 1)
        tasks.last!.cancel()
        await #expect(throws: CancellationError.self) { try await tasks.last!.value }
        #expect(clock.waiterCount == 0)
    }

    @Test func stepsThroughEachDeadlineWhenAdvancingPastSeveral() async throws {
        let clock = VirtualClock(start: Instant(epoch: 0))
        let order = OrderLog()
        let first = Task { try await clock.sleep(until: Instant(epoch: 5)); order.append("5") }
        while clock.waiterCount < 1 { await Task.yield() }
        let second = Task { try await clock.sleep(until: Instant(epoch: 7)); order.append("7") }
        while clock.waiterCount < 2 { await Task.yield() }
        clock.advance(by: .seconds(60))
        try await first.value
        try await second.value
        #expect(Set(order.entries) == ["5", "7"])
        #expect(clock.now == Instant(epoch: 60))
        // A deadline already passed returns at once.
        try await clock.sleep(until: Instant(epoch: 1))
    }
}

/// A thread-safe append-only list of strings for observing order.
final class OrderLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var entries: [String] { lock.withLock { items } }
}
