import Foundation
import LocalCloud
import Testing

/// Range leases: new messages pulled once and acked in time cost one `leases` row per pull and
/// no `deliveries` row; every other path gives a message a row and behaves as before.
@Suite struct RangeLeaseTests {
    private func rows(_ fixture: QueueFixture, _ sql: String) throws -> Int64? {
        try SchemaReading(path: fixture.queue.path).integer(sql)
    }

    @Test func aPullLeasesNewMessagesWithOneRowAndAnAckDeletesThem() throws {
        let fixture = try QueueFixture(subscription: .init(retainAckedMessages: .zero))
        try fixture.queue.publish((0..<5).map { fixture.text("m\($0)") }, to: "events")
        let pulled = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(pulled.map(\.deliveryAttempt) == [1, 1, 1, 1, 1])
        #expect(try rows(fixture, "SELECT count(*) FROM leases") == 1)
        #expect(try rows(fixture, "SELECT count(*) FROM deliveries") == 0)
        #expect(try fixture.queue.subscriptions().first { $0.name == "worker" }.map { [$0.backlog, $0.leased] } == [5, 5])
        try fixture.queue.ack("worker", ackIDs: Array(pulled.prefix(2).map(\.ackID)))
        // Acked but still in the range lease of the others: gone at once all the same.
        #expect(try rows(fixture, "SELECT count(*) FROM messages") == 3)
        try fixture.queue.ack("worker", ackIDs: pulled.dropFirst(2).map(\.ackID))
        #expect(try rows(fixture, "SELECT count(*) FROM leases") == 0)
        #expect(try rows(fixture, "SELECT count(*) FROM messages") == 0)
        #expect(try fixture.queue.subscriptions().first { $0.name == "worker" }.map { [$0.backlog, $0.leased] } == [0, 0])
    }

    @Test func whatAnExpiredRangeLeaseStillHoldsIsDeliveredAgainAndItsOldAckIDsAreIgnored() throws {
        let fixture = try QueueFixture(subscription: .init(ackDeadline: .seconds(10), retainAckedMessages: .zero))
        try fixture.queue.publish(["a", "b", "c"].map { fixture.text($0) }, to: "events")
        let first = try fixture.queue.pull("worker", maxMessages: 10)
        try fixture.queue.ack("worker", ackIDs: [first[1].ackID])
        fixture.clock.advance(by: .seconds(10))
        let again = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(again.map(\.text) == ["a", "c"])
        #expect(again.map(\.deliveryAttempt) == [2, 2])
        #expect(try rows(fixture, "SELECT count(*) FROM leases") == 0)
        #expect(try rows(fixture, "SELECT count(*) FROM messages") == 2)  // "b" was acked: gone
        try fixture.queue.ack("worker", ackIDs: [first[0].ackID, first[2].ackID])  // the first delivery's: ignored
        fixture.clock.advance(by: .seconds(10))
        #expect(try fixture.queue.pull("worker", maxMessages: 10).map(\.deliveryAttempt) == [3, 3])
    }

    @Test func aNackOrADeadlineChangeTakesOneMessageOutOfItsRangeLease() throws {
        let fixture = try QueueFixture(subscription: .init(ackDeadline: .seconds(10)))
        try fixture.queue.publish(["a", "b", "c"].map { fixture.text($0) }, to: "events")
        let pulled = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(try fixture.queue.nack("worker", ackIDs: [pulled[0].ackID]) == 1)
        #expect(try fixture.queue.modifyAckDeadline("worker", ackIDs: [pulled[1].ackID], deadline: .seconds(60)) == 1)
        #expect(try rows(fixture, "SELECT count(*) FROM deliveries") == 2)
        let again = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(again.map(\.text) == ["a"])
        #expect(again.map(\.deliveryAttempt) == [2])
        fixture.clock.advance(by: .seconds(10))
        // "c" was leased for 10 s with the range, "b" for 60 s on its own row.
        #expect(try fixture.queue.pull("worker", maxMessages: 10).map(\.text) == ["a", "c"])
        #expect(try fixture.queue.modifyAckDeadline("worker", ackIDs: [pulled[2].ackID], deadline: .seconds(60)) == 0)
    }

    @Test func aNewMessageWaitsForAnEarlierOneWithItsKeyUnderARangeLease() throws {
        let fixture = try QueueFixture()
        try fixture.queue.publish([fixture.text("k1", key: "k"), fixture.text("x")], to: "events")
        let first = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(first.map(\.text) == ["k1", "x"])
        try fixture.queue.publish([fixture.text("k2", key: "k"), fixture.text("y")], to: "events")
        #expect(try fixture.queue.pull("worker", maxMessages: 10).map(\.text) == ["y"])
        #expect(try fixture.queue.peek("worker", limit: 10).map(\.messageID) == first.map(\.messageID) + [first[1].messageID + 1, first[1].messageID + 2])
        try fixture.queue.ack("worker", ackIDs: [first[0].ackID])
        #expect(try fixture.queue.pull("worker", maxMessages: 10).map(\.text) == ["k2"])
    }

    @Test func peekListsRowsRangeLeasedAndNewMessagesInIDOrder() throws {
        let fixture = try QueueFixture(subscription: .init(ackDeadline: .seconds(10)))
        try fixture.queue.publish(["a", "b"].map { fixture.text($0) }, to: "events")
        let pulled = try fixture.queue.pull("worker", maxMessages: 10)
        try fixture.queue.nack("worker", ackIDs: [pulled[0].ackID])
        try fixture.queue.publish(fixture.text("c"), to: "events")
        let peeked = try fixture.queue.peek("worker", limit: 10)
        #expect(peeked.map { String(decoding: $0.data, as: UTF8.self) } == ["a", "b", "c"])
        #expect(peeked.map(\.deliveryAttempts) == [1, 1, 0])
        #expect(peeked.map { $0.leasedUntil != nil } == [false, true, false])
        #expect(try fixture.queue.peek("worker", limit: 2).count == 2)
    }

    @Test func aSeekReplaysRangeLeasedAndRangeAckedMessages() throws {
        let fixture = try QueueFixture()
        let start = fixture.clock.now
        try fixture.queue.publish(["a", "b", "c"].map { fixture.text($0) }, to: "events")
        let pulled = try fixture.queue.pull("worker", maxMessages: 2)
        try fixture.queue.ack("worker", ackIDs: [pulled[0].ackID])
        try fixture.queue.seek("worker", to: start)
        #expect(try rows(fixture, "SELECT count(*) FROM leases") == 0)
        let replayed = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(replayed.map(\.text) == ["a", "b", "c"])
        #expect(replayed.map(\.deliveryAttempt) == [1, 1, 1])
        try fixture.queue.ack("worker", ackIDs: [pulled[1].ackID])  // from before the seek: ignored
        #expect(try fixture.queue.peek("worker", limit: 10).count == 3)
    }

    @Test func deletingASubscriptionDeletesItsRangeLeasesAndTheMessagesOnlyTheyHeld() throws {
        let fixture = try QueueFixture()
        try fixture.queue.publish(["a", "b"].map { fixture.text($0) }, to: "events")
        _ = try fixture.queue.pull("worker", maxMessages: 10)
        try fixture.queue.deleteSubscription("worker")
        #expect(try rows(fixture, "SELECT count(*) FROM leases") == 0)
        #expect(try rows(fixture, "SELECT count(*) FROM messages") == 0)
    }

    @Test func anAckedMessageAPurgeSkippedGoesWhenItsRangeLeaseIsSpentByADeadlineChange() throws {
        let fixture = try QueueFixture(subscription: .init(retainAckedMessages: .zero))
        try fixture.queue.publish(["m1", "m2"].map { fixture.text($0) }, to: "events")
        let pulled = try fixture.queue.pull("worker", maxMessages: 10)
        try fixture.queue.nack("worker", ackIDs: [pulled[0].ackID])
        try fixture.queue.ack("worker", ackIDs: try fixture.queue.pull("worker", maxMessages: 10).map(\.ackID))
        try fixture.queue.purgeExpired()  // m1: acked, but inside the range lease m2 still has
        try fixture.queue.modifyAckDeadline("worker", ackIDs: [pulled[1].ackID], deadline: .seconds(30))
        try fixture.queue.ack("worker", ackIDs: [pulled[1].ackID])
        try fixture.queue.purgeExpired()
        #expect(try rows(fixture, "SELECT count(*) FROM messages") == 0)
    }

    @Test func otherTopicsTrafficBetweenTwoMessagesSplitsTheLeaseInsteadOfWideningItsBitmap() throws {
        let fixture = try QueueFixture(subscription: .init(retainAckedMessages: .zero))
        try fixture.queue.publish(fixture.text("a"), to: "events")
        try fixture.queue.publish((0..<200).map { fixture.text("other \($0)") }, to: "dead")
        try fixture.queue.publish(fixture.text("b"), to: "events")
        let pulled = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(pulled.map(\.text) == ["a", "b"])
        #expect(try rows(fixture, "SELECT count(*) FROM leases") == 2)
        #expect(try rows(fixture, "SELECT max(length(done)) FROM leases") == 1)
        try fixture.queue.ack("worker", ackIDs: pulled.map(\.ackID))
        #expect(try rows(fixture, "SELECT count(*) FROM leases") == 0)
        #expect(try rows(fixture, "SELECT count(*) FROM messages") == 0)
    }
}
