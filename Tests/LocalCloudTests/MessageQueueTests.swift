import Foundation
import LocalCloud
import Testing

/// A queue in a fresh temp folder with topic "events" and subscription "worker".
struct QueueFixture {
    let folder: TemporaryFolder
    let clock = VirtualClock()
    let queue: SQLiteMessageQueue

    init(subscription: SubscriptionOptions = .init(), faults: FaultPlan = .none, ledger: OperationLedger? = nil) throws {
        folder = try TemporaryFolder()
        queue = try SQLiteMessageQueue(path: folder.path + "/queue.sqlite", clock: clock, faults: faults, ledger: ledger)
        try queue.createTopic("events")
        try queue.createTopic("dead")
        try queue.createSubscription("worker", topic: "events", options: subscription)
    }

    func text(_ string: String, key: String? = nil, dedup: String? = nil) -> OutgoingMessage {
        OutgoingMessage(data: Data(string.utf8), attributes: ["kind": "test"], orderingKey: key, deduplicationID: dedup)
    }
}

extension ReceivedMessage {
    var text: String { String(decoding: data, as: UTF8.self) }
}

@Suite struct MessageQueueTests {
    @Test func publishPullAckRoundTrip() throws {
        let fixture = try QueueFixture()
        let ids = try fixture.queue.publish([fixture.text("a"), fixture.text("b")], to: "events")
        #expect(ids.count == 2 && ids[0] < ids[1])
        let pulled = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(pulled.map(\.text) == ["a", "b"])
        #expect(pulled.map(\.deliveryAttempt) == [1, 1])
        #expect(pulled[0].attributes == ["kind": "test"])
        #expect(pulled[0].publishTime == fixture.clock.now)
        #expect(try fixture.queue.pull("worker", maxMessages: 10).isEmpty)  // leased
        try fixture.queue.ack("worker", ackIDs: pulled.map(\.ackID))
        fixture.clock.advance(by: .seconds(60))
        #expect(try fixture.queue.pull("worker", maxMessages: 10).isEmpty)  // acked, not redelivered
        #expect(try fixture.queue.subscriptions().first { $0.name == "worker" }?.backlog == 0)
        #expect(throws: MessageQueueError.topicNotFound("nope")) { try fixture.queue.publish(fixture.text("x"), to: "nope") }
        #expect(throws: MessageQueueError.subscriptionNotFound("nope")) { try fixture.queue.pull("nope", maxMessages: 1) }
    }

    @Test func subscriptionsSeeOnlyLaterMessagesAndEachGetsAll() throws {
        let fixture = try QueueFixture()
        try fixture.queue.publish(fixture.text("before"), to: "events")
        try fixture.queue.createSubscription("audit", topic: "events")
        try fixture.queue.publish(fixture.text("after"), to: "events")
        #expect(try fixture.queue.pull("audit", maxMessages: 10).map(\.text) == ["after"])
        #expect(try fixture.queue.pull("worker", maxMessages: 10).map(\.text) == ["before", "after"])
        #expect(throws: MessageQueueError.subscriptionConflict(name: "audit", existingTopic: "events", requestedTopic: "dead")) {
            try fixture.queue.createSubscription("audit", topic: "dead")
        }
    }

    @Test func expiredLeasesNackAndModifyDeadline() throws {
        let fixture = try QueueFixture(subscription: .init(ackDeadline: .seconds(10)))
        try fixture.queue.publish([fixture.text("m1"), fixture.text("m2"), fixture.text("m3")], to: "events")
        let first = try fixture.queue.pull("worker", maxMessages: 3)
        try fixture.queue.nack("worker", ackIDs: [first[0].ackID])
        try fixture.queue.modifyAckDeadline("worker", ackIDs: [first[1].ackID], deadline: .seconds(60))
        let again = try fixture.queue.pull("worker", maxMessages: 3)
        #expect(again.map(\.text) == ["m1"])
        #expect(again[0].deliveryAttempt == 2)
        fixture.clock.advance(by: .seconds(10))
        #expect(try fixture.queue.pull("worker", maxMessages: 3).map(\.text) == ["m1", "m3"])  // m2 extended
        // An ack with the stale id of an earlier delivery does nothing.
        try fixture.queue.ack("worker", ackIDs: [first[0].ackID])
        fixture.clock.advance(by: .seconds(60))
        let late = try fixture.queue.pull("worker", maxMessages: 3)
        #expect(late.map(\.text) == ["m1", "m2", "m3"])
        #expect(late.map(\.deliveryAttempt) == [4, 2, 3])
        #expect(throws: MessageQueueError.invalidAckID("junk")) { try fixture.queue.ack("worker", ackIDs: ["junk"]) }
    }

    @Test func rejectsAckDeadlinesAndWindowsOutOfRange() throws {
        let fixture = try QueueFixture()
        for deadline in [Duration.zero, .milliseconds(999), .seconds(601), .seconds(Int64.max), .seconds(-1)] {
            #expect {
                try fixture.queue.createSubscription("x", topic: "events", options: .init(ackDeadline: deadline))
            } throws: { error in
                guard case MessageQueueError.invalidArgument(field: "ackDeadline", _) = error else { return false }
                return true
            }
        }
        #expect {
            try fixture.queue.createSubscription("x", topic: "events", options: .init(retainAckedMessages: .seconds(-1)))
        } throws: { error in
            guard case MessageQueueError.invalidArgument(field: "retainAckedMessages", _) = error else { return false }
            return true
        }
        #expect {
            try fixture.queue.createTopic("t", options: TopicOptions(deduplicationWindow: .seconds(-1)))
        } throws: { error in
            guard case MessageQueueError.invalidArgument(field: "deduplicationWindow", _) = error else { return false }
            return true
        }
        try fixture.queue.publish(fixture.text("m"), to: "events")
        let pulled = try fixture.queue.pull("worker", maxMessages: 1)
        for deadline in [Duration.seconds(Int64.max), .seconds(601), .seconds(-5)] {
            #expect {
                try fixture.queue.modifyAckDeadline("worker", ackIDs: pulled.map(\.ackID), deadline: deadline)
            } throws: { error in
                guard case MessageQueueError.invalidArgument(field: "deadline", _) = error else { return false }
                return true
            }
        }
        try fixture.queue.modifyAckDeadline("worker", ackIDs: pulled.map(\.ackID), deadline: .seconds(600))
        #expect(try fixture.queue.peek("worker", limit: 1).first?.leasedUntil == fixture.clock.now.advanced(by: .seconds(600)))
        // A huge window is allowed and does not overflow the cut-off time.
        try fixture.queue.createTopic("forever", options: TopicOptions(deduplicationWindow: .seconds(Int64.max)))
        try fixture.queue.createSubscription("f", topic: "forever")
        let first = try fixture.queue.publish(fixture.text("one", dedup: "d"), to: "forever")
        #expect(try fixture.queue.publish(fixture.text("two", dedup: "d"), to: "forever") == first)
        try fixture.queue.purgeExpired()
    }

    @Test func rejectsOwnTopicAsDeadLetterTopicAndNegativePeekLimit() throws {
        let fixture = try QueueFixture()
        #expect {
            try fixture.queue.createSubscription("loop", topic: "events", options: .init(maxDeliveryAttempts: 2, deadLetterTopic: "events"))
        } throws: { error in
            guard case MessageQueueError.invalidArgument(field: "deadLetterTopic", _) = error else { return false }
            return true
        }
        #expect(throws: MessageQueueError.invalidArgument(field: "limit", reason: "must not be negative, got -1")) {
            try fixture.queue.peek("worker", limit: -1)
        }
    }

    @Test func corruptAttributeBlobDecodesToNothingInsteadOfCrashing() throws {
        let fixture = try QueueFixture()
        try fixture.queue.publish(fixture.text("m"), to: "events")
        // A length with more digits than Int holds would overflow when parsed.
        try rawSQL(fixture.folder.path + "/queue.sqlite",
                   "UPDATE messages SET attributes = CAST('\(String(repeating: "9", count: 40)):x' AS BLOB)")
        let pulled = try fixture.queue.pull("worker", maxMessages: 1)
        #expect(pulled.map(\.text) == ["m"])
        #expect(pulled.first?.attributes == [:])
    }

    @Test func deadLettersAfterMaxAttempts() throws {
        let fixture = try QueueFixture(subscription: .init(ackDeadline: .seconds(5), maxDeliveryAttempts: 2, deadLetterTopic: "dead"))
        try fixture.queue.createSubscription("dead-reader", topic: "dead")
        try fixture.queue.publish([fixture.text("poison"), fixture.text("fine")], to: "events")
        for _ in 0..<2 {
            let batch = try fixture.queue.pull("worker", maxMessages: 10)
            try fixture.queue.ack("worker", ackIDs: batch.filter { $0.text == "fine" }.map(\.ackID))
            fixture.clock.advance(by: .seconds(5))
        }
        #expect(try fixture.queue.pull("worker", maxMessages: 10).isEmpty)
        let dead = try fixture.queue.pull("dead-reader", maxMessages: 10)
        #expect(dead.map(\.text) == ["poison"])
        #expect(dead[0].attributes["deadLetterSourceDeliveryCount"] == "2")
        #expect(dead[0].attributes["deadLetterSourceSubscription"] == "worker")
        let info = try #require(try fixture.queue.subscriptions().first { $0.name == "worker" })
        #expect(info.deadLettered == 1 && info.backlog == 0)
        #expect(throws: MessageQueueError.invalidArgument(field: "deadLetterTopic", reason: "required when maxDeliveryAttempts is set")) {
            try fixture.queue.createSubscription("x", topic: "events", options: .init(maxDeliveryAttempts: 3))
        }
    }

    @Test func orderingKeysDeliverInOrderOneAtATime() throws {
        let fixture = try QueueFixture()
        try fixture.queue.publish([
            fixture.text("u1-a", key: "user1"), fixture.text("u2-a", key: "user2"), fixture.text("u1-b", key: "user1"),
            fixture.text("free"), fixture.text("u1-c", key: "user1"),
        ], to: "events")
        let first = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(first.map(\.text) == ["u1-a", "u2-a", "free"])
        #expect(try fixture.queue.pull("worker", maxMessages: 10).isEmpty)
        try fixture.queue.ack("worker", ackIDs: [first[0].ackID])
        let second = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(second.map(\.text) == ["u1-b"])
        // A nacked head of a key is redelivered before the rest of its key.
        try fixture.queue.nack("worker", ackIDs: [second[0].ackID])
        #expect(try fixture.queue.pull("worker", maxMessages: 10).map(\.text) == ["u1-b"])
    }

    @Test func deduplicationWithinTheWindow() throws {
        let fixture = try QueueFixture()
        try fixture.queue.createTopic("dedup", options: TopicOptions(deduplicationWindow: .seconds(60)))
        try fixture.queue.createSubscription("d", topic: "dedup")
        let first = try fixture.queue.publish(fixture.text("one", dedup: "x"), to: "dedup")
        let repeated = try fixture.queue.publish(fixture.text("one again", dedup: "x"), to: "dedup")
        #expect(repeated == first)
        fixture.clock.advance(by: .seconds(61))
        let later = try fixture.queue.publish(fixture.text("one later", dedup: "x"), to: "dedup")
        #expect(later != first)
        #expect(try fixture.queue.pull("d", maxMessages: 10).map(\.text) == ["one", "one later"])
    }

    @Test func duplicatesInOneBatchTakeTheFirstIDAndLeaveNoGap() throws {
        let fixture = try QueueFixture()
        try fixture.queue.createTopic("dedup", options: TopicOptions(deduplicationWindow: .seconds(60)))
        try fixture.queue.createSubscription("d", topic: "dedup")
        let ids = try fixture.queue.publish(["x", "x", "y", "x"].map { (key: String) in fixture.text("for " + key, dedup: key) }, to: "dedup")
        #expect(ids == [ids[0], ids[0], ids[0] + 1, ids[0]])
        // Without a deduplication id, or past the window, a message is new; ids go on from the last.
        #expect(try fixture.queue.publish(fixture.text("plain"), to: "dedup") == ids[0] + 2)
        fixture.clock.advance(by: .seconds(60))
        #expect(try fixture.queue.publish(fixture.text("x again", dedup: "x"), to: "dedup") == ids[0] + 3)
        #expect(try fixture.queue.pull("d", maxMessages: 10).map(\.text) == ["for x", "for y", "plain", "x again"])
    }

    @Test func idsAreNeverGivenTwiceEvenWhenTheNewestMessageIsGone() throws {
        let fixture = try QueueFixture()
        // A topic nobody subscribes to keeps no message, only its id.
        try fixture.queue.createTopic("unread", options: TopicOptions(deduplicationWindow: .seconds(60)))
        let unread = try fixture.queue.publish([fixture.text("a", dedup: "a"), fixture.text("b")], to: "unread")
        let next = try fixture.queue.publish([fixture.text("c", dedup: "a"), fixture.text("d")], to: "events")
        #expect(unread == [unread[0], unread[0] + 1] && next == [unread[1] + 1, unread[1] + 2])
        // The dedup id is remembered for the unread topic alone.
        #expect(try fixture.queue.publish(fixture.text("a again", dedup: "a"), to: "unread") == unread[0])
    }

    @Test func textWithNULIsKeptWhole() throws {
        let fixture = try QueueFixture()
        // Cut at the NUL, these two deduplication ids would both be "a" and the second dropped.
        let ids = try fixture.queue.publish([
            OutgoingMessage(data: Data("one".utf8), attributes: ["k\0x": "v\0y"], orderingKey: "key\0one", deduplicationID: "a\0b"),
            OutgoingMessage(data: Data("two".utf8), orderingKey: "key\0two", deduplicationID: "a\0c"),
        ], to: "events")
        #expect(ids[0] != ids[1])
        let pulled = try fixture.queue.pull("worker", maxMessages: 10)
        #expect(pulled.map(\.text) == ["one", "two"])  // different ordering keys: both at once
        #expect(pulled.map(\.orderingKey) == ["key\0one", "key\0two"])
        #expect(pulled[0].attributes == ["k\0x": "v\0y"])
    }

    @Test func retentionAndSeekReplay() throws {
        let fixture = try QueueFixture(subscription: .init(retainAckedMessages: .seconds(3600)))
        let start = fixture.clock.now
        try fixture.queue.publish(fixture.text("early"), to: "events")
        fixture.clock.advance(by: .seconds(100))
        let middle = fixture.clock.now
        try fixture.queue.publish(fixture.text("late"), to: "events")
        let all = try fixture.queue.pull("worker", maxMessages: 10)
        try fixture.queue.ack("worker", ackIDs: all.map(\.ackID))
        try fixture.queue.seek("worker", to: middle)
        #expect(try fixture.queue.pull("worker", maxMessages: 10).map(\.text) == ["late"])
        try fixture.queue.seek("worker", to: start)
        #expect(try fixture.queue.peek("worker", limit: 10).count == 2)
        // Past retention, acked messages are purged and cannot be replayed.
        try fixture.queue.seek("worker", to: fixture.clock.now.advanced(by: .seconds(1)))
        fixture.clock.advance(by: .seconds(3601))
        try fixture.queue.purgeExpired()
        try fixture.queue.seek("worker", to: start)
        #expect(try fixture.queue.pull("worker", maxMessages: 10).isEmpty)
    }

    @Test func seekNeverReplaysMessagesAckedLongerAgoThanRetentionEvenBeforeAPurge() throws {
        let fixture = try QueueFixture(subscription: .init(retainAckedMessages: .seconds(60)))
        let start = fixture.clock.now
        try fixture.queue.publish(fixture.text("old"), to: "events")
        try fixture.queue.ack("worker", ackIDs: try fixture.queue.pull("worker", maxMessages: 1).map(\.ackID))
        fixture.clock.advance(by: .seconds(3600))
        try fixture.queue.seek("worker", to: start)
        #expect(try fixture.queue.pull("worker", maxMessages: 10).isEmpty)
    }

    @Test func aDeadLetterTopicNeedsMaxDeliveryAttempts() throws {
        let fixture = try QueueFixture()
        #expect(throws: MessageQueueError.invalidArgument(field: "maxDeliveryAttempts", reason: "required when deadLetterTopic is set")) {
            try fixture.queue.createSubscription("audit", topic: "events", options: .init(deadLetterTopic: "dead"))
        }
    }

    @Test func anExpiredLeaseCannotBeExtended() throws {
        let fixture = try QueueFixture(subscription: .init(ackDeadline: .seconds(10)))
        try fixture.queue.publish(fixture.text("m"), to: "events")
        let first = try fixture.queue.pull("worker", maxMessages: 1)
        fixture.clock.advance(by: .seconds(11))
        try fixture.queue.modifyAckDeadline("worker", ackIDs: first.map(\.ackID), deadline: .seconds(600))
        #expect(try fixture.queue.pull("worker", maxMessages: 1).map(\.text) == ["m"])  // redelivered, not held
    }

    @Test func seekStartsReplayedMessagesOverAndVoidsEarlierAckIDs() throws {
        let fixture = try QueueFixture(subscription: .init(
            ackDeadline: .seconds(10), maxDeliveryAttempts: 2, deadLetterTopic: "dead", retainAckedMessages: .seconds(3600)))
        let start = fixture.clock.now
        try fixture.queue.publish(fixture.text("poison"), to: "events")
        for _ in 0..<2 {
            #expect(try fixture.queue.pull("worker", maxMessages: 5).map(\.text) == ["poison"])
            fixture.clock.advance(by: .seconds(10))
        }
        #expect(try fixture.queue.pull("worker", maxMessages: 5).isEmpty)  // dead-lettered
        try fixture.queue.publish(fixture.text("fresh"), to: "events")
        let before = try fixture.queue.pull("worker", maxMessages: 5)
        #expect(before.map(\.text) == ["fresh"])
        try fixture.queue.seek("worker", to: start)
        // The ack id of the delivery before the seek must not ack the replay.
        try fixture.queue.ack("worker", ackIDs: before.map(\.ackID))
        #expect(try fixture.queue.peek("worker", limit: 10).map(\.deliveryAttempts) == [0, 0])
        let replay = try fixture.queue.pull("worker", maxMessages: 5)
        #expect(replay.map(\.text) == ["poison", "fresh"])
        #expect(replay.map(\.deliveryAttempt) == [1, 1])
        try fixture.queue.ack("worker", ackIDs: replay.map(\.ackID))
        #expect(try fixture.queue.peek("worker", limit: 10).isEmpty)
    }

    /// A queue file set up by `setUp`, turned into an older schema by `downgrade` (raw SQL) once
    /// closed, and opened again, which migrates it.
    private func reopened<Made>(afterDowngrade downgrade: String, _ setUp: (SQLiteMessageQueue) throws -> Made) throws
        -> (queue: SQLiteMessageQueue, made: Made, path: String, folder: TemporaryFolder)
    {
        let folder = try TemporaryFolder()
        let path = folder.path + "/queue.sqlite"
        let clock = VirtualClock()
        let made = try setUp(try SQLiteMessageQueue(path: path, clock: clock))
        try rawSQL(path, downgrade)
        return (try SQLiteMessageQueue(path: path, clock: clock), made, path, folder)
    }

    @Test func aDatabaseFromBeforeDeliverySerialsIsMigratedAndItsAckIDsStillWork() throws {
        // The old schema had no serial (and no schema version); its ack ids were
        // "<message id>:<attempts>".
        let old = try reopened(afterDowngrade: "ALTER TABLE deliveries DROP COLUMN serial; PRAGMA user_version = 0") { queue in
            try queue.createTopic("events")
            try queue.createSubscription("worker", topic: "events")
            try queue.publish(OutgoingMessage(data: Data("m".utf8)), to: "events")
            return try queue.pull("worker", maxMessages: 1).map(\.ackID)
        }
        try old.queue.ack("worker", ackIDs: old.made)
        #expect(try old.queue.peek("worker", limit: 10).isEmpty)
    }

    @Test func aDatabaseFromBeforeTopicLabelsIsMigratedAndKeepsItsTopics() throws {
        let old = try reopened(afterDowngrade: "ALTER TABLE topics DROP COLUMN labels; PRAGMA user_version = 1") { queue in
            try queue.createTopic("events")
        }
        #expect(try old.queue.topics().map(\.options.labels) == [[:]])
        try old.queue.setLabels(["sqs.FifoQueue": "false"], topic: "events")
        #expect(try old.queue.topics().first?.options.labels == ["sqs.FifoQueue": "false"])
    }

    @Test func aVersion2DatabaseLosesItsDeliveriesByMessageIndexAndStillPurges() throws {
        let old = try reopened(afterDowngrade: "CREATE INDEX deliveries_by_message ON deliveries (message_id); PRAGMA user_version = 2") { queue in
            try queue.createTopic("events")
            try queue.createSubscription("worker", topic: "events", options: .init(retainAckedMessages: .zero))
            try queue.publish(OutgoingMessage(data: Data("m".utf8)), to: "events")
        }
        let schema = try SchemaReading(path: old.path)
        #expect(schema.userVersion == 5)
        #expect(schema.integer("SELECT count(*) FROM sqlite_master WHERE name = 'deliveries_by_message'") == 0)
        try old.queue.ack("worker", ackIDs: try old.queue.pull("worker", maxMessages: 1).map(\.ackID))
        try old.queue.purgeExpired()
        #expect(schema.integer("SELECT count(*) FROM messages") == 0)
    }

    @Test func aVersion3DatabaseGetsInOrderSubscriptionsAndKeepsItsLeasedOnes() throws {
        let old = try reopened(afterDowngrade: """
            DROP TRIGGER leased_subscriptions_have_a_frontier; ALTER TABLE subscriptions DROP COLUMN cursor; PRAGMA user_version = 3
            """) { queue in
            try queue.createTopic("events")
            try queue.createSubscription("worker", topic: "events")
            try queue.publish(OutgoingMessage(data: Data("m".utf8)), to: "events")
        }
        #expect(try SchemaReading(path: old.path).userVersion == 5)
        #expect(try old.queue.subscriptions().map(\.options.delivery) == [.leased])
        try old.queue.createSubscription("reader", topic: "events", options: .init(delivery: .inOrder))
        try old.queue.publish(OutgoingMessage(data: Data("n".utf8)), to: "events")
        #expect(try old.queue.pull("worker", maxMessages: 10).map(\.text) == ["m", "n"])
        #expect(try old.queue.read("reader", after: 0, maxMessages: 10).map(\.text) == ["n"])
    }

    @Test func aVersion4DatabaseKeepsItsDeliveryRowsAndLeasesNewMessagesByRange() throws {
        // Version 4 made a delivery row per message and leased subscription at publish.
        let old = try reopened(afterDowngrade: """
            DROP TRIGGER leased_subscriptions_have_a_frontier;
            INSERT INTO deliveries (subscription, message_id, ordering_key) SELECT 'worker', id, ordering_key FROM messages;
            ALTER TABLE subscriptions DROP COLUMN frontier; DROP TABLE leases; DROP INDEX messages_by_key; PRAGMA user_version = 4
            """) { queue in
            try queue.createTopic("events")
            try queue.createSubscription("worker", topic: "events")
            try queue.publish([OutgoingMessage(data: Data("m".utf8)), OutgoingMessage(data: Data("n".utf8))], to: "events")
        }
        let schema = try SchemaReading(path: old.path)
        #expect(schema.userVersion == 5)
        #expect(schema.integer("SELECT frontier FROM subscriptions WHERE name = 'worker'") == 2)
        try old.queue.publish(OutgoingMessage(data: Data("o".utf8)), to: "events")
        #expect(try old.queue.subscriptions().map(\.backlog) == [3])
        let pulled = try old.queue.pull("worker", maxMessages: 10)
        #expect(pulled.map(\.text) == ["m", "n", "o"])
        #expect(schema.integer("SELECT count(*) FROM leases") == 1)
        try old.queue.ack("worker", ackIDs: pulled.map(\.ackID))
        #expect(try old.queue.peek("worker", limit: 10).isEmpty)
        #expect(try old.queue.pull("worker", maxMessages: 10).isEmpty)
    }

    /// Version 4 is older (inspecting, which changes nothing, cannot bring it up to date);
    /// version 6 is newer (nobody here can read it).
    @Test(arguments: [(Int32(4), "rehearse cloud serve"), (6, "newer version")])
    func aFileOfAnotherVersionIsRefusedByName(version: Int32, advice: String) throws {
        let fixture = try QueueFixture()
        try rawSQL(fixture.queue.path, "PRAGMA user_version = \(version)")
        #expect(throws: MessageQueueError.queueSchemaMismatch(path: fixture.queue.path, version: version)) {
            if version < 5 {
                _ = try SQLiteMessageQueue(inspecting: fixture.queue.path, clock: fixture.clock)
            } else {
                _ = try SQLiteMessageQueue(path: fixture.queue.path, clock: fixture.clock)
            }
        }
        #expect(MessageQueueError.queueSchemaMismatch(path: "q", version: version).description.contains(advice))
    }

    @Test func anOlderWriterCannotMakeALeasedSubscriptionHere() throws {
        let fixture = try QueueFixture()
        func refusal(_ sql: String) -> String? {
            do { try rawSQL(fixture.queue.path, sql) } catch { return error.localizedDescription }
            return nil
        }
        // What a version-4 writer did: a leased subscription with no frontier.
        #expect(refusal("""
            INSERT INTO subscriptions (name, topic, ack_deadline_ns, retention_ns, created_ns) VALUES ('old', 'events', 1, 0, 0)
            """)?.contains("an older version is writing") == true)
        try fixture.queue.publish(fixture.text("m"), to: "events")
        #expect(try fixture.queue.pull("worker", maxMessages: 10).map(\.text) == ["m"])
    }

    @Test func aMessageIsDroppedOnlyWhenNoSubscriptionHoldsIt() throws {
        let fixture = try QueueFixture(subscription: .init(retainAckedMessages: .zero))
        try fixture.queue.createSubscription("auditor", topic: "events", options: .init(retainAckedMessages: .zero))
        try fixture.queue.createSubscription("other", topic: "dead", options: .init(retainAckedMessages: .zero))
        try fixture.queue.publish([fixture.text("a"), fixture.text("b")], to: "events")
        try fixture.queue.publish(fixture.text("c"), to: "dead")
        let schema = try SchemaReading(path: fixture.folder.path + "/queue.sqlite")
        func messages() -> Int64? { schema.integer("SELECT count(*) FROM messages") }
        // The worker acks both; the auditor still holds them.
        try fixture.queue.ack("worker", ackIDs: try fixture.queue.pull("worker", maxMessages: 10).map(\.ackID))
        try fixture.queue.purgeExpired()
        #expect(messages() == 3)
        // The auditor acks one: that one is free.
        try fixture.queue.ack("auditor", ackIDs: try fixture.queue.pull("auditor", maxMessages: 1).map(\.ackID))
        try fixture.queue.purgeExpired()
        #expect(messages() == 2)
        #expect(try fixture.queue.peek("auditor", limit: 10).map { String(decoding: $0.data, as: UTF8.self) } == ["b"])
        // Deleting the auditor frees what only it held, and nothing of another topic.
        try fixture.queue.deleteSubscription("auditor")
        #expect(messages() == 1)
        #expect(try fixture.queue.peek("other", limit: 10).map { String(decoding: $0.data, as: UTF8.self) } == ["c"])
    }

    @Test func theWALIsCheckpointedIntoTheDatabaseAfterWrites() throws {
        let fixture = try QueueFixture()
        let path = fixture.folder.path + "/queue.sqlite"
        let payload = Data(repeating: 0x61, count: 1000)
        // About 6 MB of messages: past the 4 MB of WAL at which a checkpoint is due.
        for _ in 0..<12 {
            try fixture.queue.publish([OutgoingMessage](repeating: OutgoingMessage(data: payload), count: 500), to: "events")
        }
        fixture.queue.waitForCheckpoint()
        let databaseBytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        // The checkpoint copied the WAL's pages into the database file itself.
        #expect(databaseBytes > 3_000_000, "queue.sqlite holds \(databaseBytes) bytes")
        #expect(try fixture.queue.peek("worker", limit: 6_000).count == 6_000)
    }

    @Test func subscriptionsCanBeChangedAndDeletedAndTopicsDeletedOnceUnused() throws {
        let fixture = try QueueFixture()
        try fixture.queue.publish(fixture.text("m"), to: "events")
        try fixture.queue.updateSubscription("worker", options: SubscriptionOptions(ackDeadline: .seconds(42)))
        #expect(try fixture.queue.subscriptions().first { $0.name == "worker" }?.options.ackDeadline == .seconds(42))
        #expect(throws: MessageQueueError.invalidArgument(field: "ackDeadline", reason: "must be 1…600 seconds, got 601.0 seconds")) {
            try fixture.queue.updateSubscription("worker", options: SubscriptionOptions(ackDeadline: .seconds(601)))
        }
        #expect(throws: MessageQueueError.self) { try fixture.queue.deleteTopic("events") }
        try fixture.queue.deleteSubscription("worker")
        #expect(throws: MessageQueueError.subscriptionNotFound("worker")) { try fixture.queue.pull("worker", maxMessages: 1) }
        for subscription in try fixture.queue.subscriptions() where subscription.topic == "events" {
            try fixture.queue.deleteSubscription(subscription.name)
        }
        try fixture.queue.deleteTopic("events")
        #expect(try !fixture.queue.topics().map(\.name).contains("events"))
    }

    @Test func persistsAcrossReopen() throws {
        let fixture = try QueueFixture()
        try fixture.queue.publish(fixture.text("kept"), to: "events")
        let reopened = try SQLiteMessageQueue(path: fixture.folder.path + "/queue.sqlite", clock: fixture.clock)
        #expect(try reopened.pull("worker", maxMessages: 1).map(\.text) == ["kept"])
        #expect(try reopened.topics().map(\.name) == ["dead", "events"])
    }

    @Test func seededQueueFaultsRepeat() throws {
        func run() throws -> [String] {
            let plan = FaultPlan(seed: 1, rates: [.publishFailure: 0.2, .duplicateDelivery: 0.2, .lostAck: 0.2])
            let fixture = try QueueFixture(faults: plan)
            var log: [String] = []
            for index in 0..<30 {
                do { try fixture.queue.publish(fixture.text("m\(index)"), to: "events") } catch { log.append("fail m\(index)") }
            }
            for _ in 0..<10 {
                let batch = try fixture.queue.pull("worker", maxMessages: 5)
                #expect(Set(batch.map(\.messageID)).count == batch.count, "a pull returned a message twice")
                log += batch.map { "got \($0.text)#\($0.deliveryAttempt)" }
                // A second consumer pulling before the acks also gets the duplicate deliveries.
                let second = try fixture.queue.pull("worker", maxMessages: 5)
                #expect(Set(second.map(\.messageID)).count == second.count, "a pull returned a message twice")
                let firstIDs = Set(batch.map(\.messageID))
                log += second.map { "\(firstIDs.contains($0.messageID) ? "dup" : "got") \($0.text)#\($0.deliveryAttempt)" }
                try fixture.queue.ack("worker", ackIDs: (batch + second).map(\.ackID))
                fixture.clock.advance(by: .seconds(11))
            }
            return log
        }
        let first = try run()
        #expect(first == (try run()))
        #expect(first.contains { $0.hasPrefix("fail") })
        #expect(first.contains { $0.hasPrefix("dup") })
        #expect(first.contains { $0.hasPrefix("got") && $0.hasSuffix("#2") })  // redelivered after a lost ack
    }

    @Test func duplicateDeliveryComesBackOnALaterPullNotTheSameOne() throws {
        let fixture = try QueueFixture(
            subscription: .init(maxDeliveryAttempts: 3, deadLetterTopic: "dead"),
            faults: FaultPlan(seed: 1, rates: [.duplicateDelivery: 1.0]))
        try fixture.queue.publish(fixture.text("once"), to: "events")
        let first = try fixture.queue.pull("worker", maxMessages: 5)
        #expect(first.map(\.text) == ["once"])
        #expect(first.map(\.deliveryAttempt) == [1])
        // Not leased, so the very next pull hands it out again, as its second attempt.
        let second = try fixture.queue.pull("worker", maxMessages: 5)
        #expect(second.map(\.text) == ["once"])
        #expect(second.map(\.deliveryAttempt) == [2])
        #expect(try fixture.queue.subscriptions().first { $0.name == "worker" }?.deadLettered == 0)
    }
}
