import Foundation
import LocalCloud
import Testing

/// Subscriptions read in order by one reader (`read`, `commit`), beside leased ones on the
/// same topic.
@Suite struct InOrderSubscriptionTests {
    /// The fixture's topic "events" with its leased "worker", plus the in-order "reader".
    private func fixture(ledger: OperationLedger? = nil) throws -> QueueFixture {
        let fixture = try QueueFixture(ledger: ledger)
        try fixture.queue.createSubscription("reader", topic: "events", options: .init(delivery: .inOrder))
        return fixture
    }

    @Test func aReaderSeesEveryMessageAfterItsPositionUntilItCommits() throws {
        let fixture = try fixture()
        let ids = try fixture.queue.publish(["a", "b", "c", "d"].map { fixture.text($0, key: "k") }, to: "events")
        // Ordering keys do not hold a reader back: it reads in publish order anyway.
        #expect(try fixture.queue.read("reader", after: 0, maxMessages: 3).map(\.text) == ["a", "b", "c"])
        let again = try fixture.queue.read("reader", after: 0, maxMessages: 10)
        #expect(again.map(\.text) == ["a", "b", "c", "d"])
        #expect(again.map(\.messageID) == ids)
        #expect(again.allSatisfy { $0.deliveryAttempt == 1 && $0.ackID.isEmpty && $0.attributes == ["kind": "test"] })
        // Its own position, from its records, goes past what it has done.
        #expect(try fixture.queue.read("reader", after: ids[1], maxMessages: 10).map(\.text) == ["c", "d"])
        try fixture.queue.commit("reader", through: ids[2])
        #expect(try fixture.queue.read("reader", after: 0, maxMessages: 10).map(\.text) == ["d"])
        // A commit never moves back.
        try fixture.queue.commit("reader", through: ids[0])
        #expect(try fixture.queue.read("reader", after: 0, maxMessages: 10).map(\.text) == ["d"])
        // The leased subscription on the same topic is not touched.
        #expect(try fixture.queue.pull("worker", maxMessages: 10).map(\.text) == ["a"])
    }

    @Test func aReaderStartsAfterTheMessagesPublishedBeforeIt() throws {
        let fixture = try QueueFixture()
        try fixture.queue.publish(fixture.text("early"), to: "events")
        try fixture.queue.createSubscription("late", topic: "events", options: .init(delivery: .inOrder))
        try fixture.queue.publish(fixture.text("later"), to: "events")
        try fixture.queue.publish(fixture.text("elsewhere"), to: "dead")
        #expect(try fixture.queue.read("late", after: 0, maxMessages: 10).map(\.text) == ["later"])
    }

    @Test func backlogAndPeekCountWhatIsNotCommitted() throws {
        let fixture = try fixture()
        let ids = try fixture.queue.publish(["a", "b", "c"].map { fixture.text($0) }, to: "events")
        try fixture.queue.commit("reader", through: ids[0])
        let reader = try #require(try fixture.queue.subscriptions().first { $0.name == "reader" })
        #expect(reader.options.delivery == .inOrder)
        #expect(reader.backlog == 2 && reader.leased == 0)
        #expect(try fixture.queue.peek("reader", limit: 10).map(\.messageID) == Array(ids[1...]))
        let worker = try #require(try fixture.queue.subscriptions().first { $0.name == "worker" })
        #expect(worker.options.delivery == .leased && worker.backlog == 3)
    }

    @Test func aMessageStaysUntilTheReaderHasCommittedIt() throws {
        let fixture = try QueueFixture(subscription: .init(retainAckedMessages: .zero))
        try fixture.queue.createSubscription("reader", topic: "events", options: .init(delivery: .inOrder))
        let ids = try fixture.queue.publish(["a", "b"].map { fixture.text($0) }, to: "events")
        try fixture.queue.ack("worker", ackIDs: try fixture.queue.pull("worker", maxMessages: 10).map(\.ackID))
        try fixture.queue.purgeExpired()
        // The worker is done with both; the reader is not.
        #expect(try fixture.queue.read("reader", after: 0, maxMessages: 10).map(\.text) == ["a", "b"])
        try fixture.queue.commit("reader", through: ids[0])
        let schema = try SchemaReading(path: fixture.queue.path)
        #expect(schema.integer("SELECT count(*) FROM messages") == 1)
        try fixture.queue.commit("reader", through: ids[1])
        #expect(schema.integer("SELECT count(*) FROM messages") == 0)
    }

    @Test func aCommitRemovesJustTheMessagesNoLeasedSubscriptionStillHolds() throws {
        let fixture = try QueueFixture(subscription: .init(retainAckedMessages: .zero))
        try fixture.queue.createSubscription("reader", topic: "events", options: .init(delivery: .inOrder))
        let ids = try fixture.queue.publish(["a", "b", "c"].map { fixture.text($0) }, to: "events")
        let pulled = try fixture.queue.pull("worker", maxMessages: 10)
        try fixture.queue.ack("worker", ackIDs: [pulled[0].ackID, pulled[2].ackID])
        try fixture.queue.purgeExpired()
        // The worker still holds "b" (unacked); the reader commits all three.
        try fixture.queue.commit("reader", through: ids[2])
        let schema = try SchemaReading(path: fixture.queue.path)
        #expect(schema.integer("SELECT count(*) FROM messages") == 1)
        try fixture.queue.ack("worker", ackIDs: [pulled[1].ackID])
        try fixture.queue.purgeExpired()
        #expect(schema.integer("SELECT count(*) FROM messages") == 0)
    }

    @Test func aTopicReadOnlyInOrderKeepsItsMessagesForTheReader() throws {
        let fixture = try QueueFixture()
        try fixture.queue.createTopic("log")
        try fixture.queue.createSubscription("tail", topic: "log", options: .init(delivery: .inOrder))
        let ids = try fixture.queue.publish(["x", "y"].map { fixture.text($0) }, to: "log")
        try fixture.queue.purgeExpired()
        #expect(try fixture.queue.read("tail", after: 0, maxMessages: 10).map(\.text) == ["x", "y"])
        try fixture.queue.commit("tail", through: ids[1])
        #expect(try fixture.queue.read("tail", after: 0, maxMessages: 10).isEmpty)
    }

    @Test func readsAndCommitsAreCountedAsDeliveriesAndAcks() throws {
        let ledger = OperationLedger()
        let fixture = try fixture(ledger: ledger)
        let ids = try fixture.queue.publish(["a", "b", "c"].map { fixture.text($0) }, to: "events")
        _ = try fixture.queue.read("reader", after: 0, maxMessages: 2)
        try fixture.queue.commit("reader", through: ids[1])
        try fixture.queue.commit("reader", through: ids[1])
        #expect(ledger.count(.messagesDelivered) == 2)
        #expect(ledger.count(.messagesAcked) == 2)
    }

    @Test func leasedOperationsRefuseAReaderAndReadsRefuseALeasedSubscription() throws {
        let fixture = try fixture()
        let inOrder = { (operation: String) in
            MessageQueueError.wrongDelivery(subscription: "reader", delivery: .inOrder, operation: operation)
        }
        #expect(throws: inOrder("pull")) { try fixture.queue.pull("reader", maxMessages: 1) }
        #expect(throws: inOrder("ack")) { try fixture.queue.ack("reader", ackIDs: ["1:1"]) }
        #expect(throws: inOrder("nack")) { try fixture.queue.nack("reader", ackIDs: ["1:1"]) }
        #expect(throws: inOrder("modifyAckDeadline")) {
            try fixture.queue.modifyAckDeadline("reader", ackIDs: ["1:1"], deadline: .seconds(5))
        }
        #expect(throws: inOrder("seek")) { try fixture.queue.seek("reader", to: fixture.clock.now) }
        let leased = MessageQueueError.wrongDelivery(subscription: "worker", delivery: .leased, operation: "read")
        #expect(throws: leased) { try fixture.queue.read("worker", after: 0, maxMessages: 1) }
        #expect(leased.description.contains("\"worker\" is leased"))
        #expect(throws: MessageQueueError.subscriptionNotFound("nope")) { try fixture.queue.commit("nope", through: 1) }
        #expect(throws: MessageQueueError.invalidArgument(field: "maxMessages", reason: "must be at least 1, got 0")) {
            try fixture.queue.read("reader", after: 0, maxMessages: 0)
        }
    }

    @Test func aSubscriptionsDeliveryIsCheckedAndNeverChanges() throws {
        let fixture = try fixture()
        #expect(throws: MessageQueueError.invalidArgument(
            field: "delivery", reason: "an in-order subscription has no delivery attempts or dead-letter topic")) {
            try fixture.queue.createSubscription("bad", topic: "events",
                                                 options: .init(maxDeliveryAttempts: 3, deadLetterTopic: "dead", delivery: .inOrder))
        }
        let change = MessageQueueError.invalidArgument(
            field: "delivery", reason: "subscription \"worker\" exists with leased delivery, which cannot change (delete it and make it again)")
        #expect(throws: change) { try fixture.queue.createSubscription("worker", topic: "events", options: .init(delivery: .inOrder)) }
        #expect(throws: (any Error).self) { try fixture.queue.updateSubscription("reader", options: .init()) }
        // Made again as it is: nothing happens.
        try fixture.queue.createSubscription("reader", topic: "events", options: .init(delivery: .inOrder))
        try fixture.queue.deleteSubscription("reader")
        #expect(try fixture.queue.subscriptions().map(\.name) == ["worker"])
    }
}
