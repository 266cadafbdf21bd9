import Foundation

/// The embedded message queue: one SQLite database in WAL mode (`queue.sqlite`).
///
/// Every change runs in a `BEGIN IMMEDIATE` transaction, so several processes can publish and
/// pull on the same file at once: a lease is taken in the same transaction that finds the message
/// free, so it is never handed to two consumers, and a committed publish survives any process
/// being killed (`synchronous=NORMAL`; pass `durable: true` for `FULL`, which also survives power
/// loss). Leases, publish times and retention are measured on the given clock.
/// Thread-safe: the connection lives inside a `SleepingMutex`; in-order reads (`read`) use a
/// second, read-only connection inside its own.
public final class SQLiteMessageQueue: MessageQueue, Sendable {
    /// The connection and what is counted alongside it, guarded together.
    struct Connection {
        let database: SQLiteDatabase
        var pullsSincePurge = 0
    }

    /// The database file.
    public let path: String
    private let clock: any CloudClock
    private let faults: FaultPlan
    private let ledger: OperationLedger?
    let connection: SleepingMutex<Connection>
    /// A read-only connection of its own for in-order reads, so a reader never waits for a
    /// writer (WAL lets them run at once) and a writer never waits for a read.
    private let reader: SleepingMutex<SQLiteDatabase>
    /// Checkpoints the WAL after writes, outside `connection`'s lock (nil when inspecting).
    private let checkpointer: WALCheckpointer?

    /// Opens (creating if needed) the queue database at `path`, bringing one an older version made
    /// up to date. Throws `MessageQueueError.queueSchemaMismatch` if a newer version made it.
    public init(path: String, clock: any CloudClock, durable: Bool = false, faults: FaultPlan = .none,
                ledger: OperationLedger? = nil) throws {
        self.path = path
        self.clock = clock
        self.faults = faults
        self.ledger = ledger
        let synchronous: SQLiteDatabase.Synchronous = durable ? .full : .normal
        let database = try SQLiteDatabase(path: path, synchronous: synchronous, pageSize: 1024)
        try Self.migrate(database, path: path)
        // A checkpoint is due every 4 MB of WAL, the interval SQLiteDatabase gives SQLite's own.
        checkpointer = WALCheckpointer(for: database, synchronous: synchronous, thresholdFrames: 4_194_304 / 1024)
        connection = SleepingMutex(Connection(database: database))
        reader = SleepingMutex(try SQLiteDatabase(path: path, readOnly: true))
    }

    /// Opens an existing queue database to look inside (`topics`, `subscriptions`, `peek`)
    /// without changing it: the file is opened read-only, so any write fails with `SQLiteError`.
    /// `clock` only decides which leases `peek` and `subscriptions` count as current.
    /// Throws `MessageQueueError.queueNotFound` if there is no file at `path`,
    /// `MessageQueueError.queueNotInitialised` if another process has not yet created its tables,
    /// and `MessageQueueError.queueSchemaMismatch` if another version made them.
    public init(inspecting path: String, clock: any CloudClock) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw MessageQueueError.queueNotFound(path: path) }
        self.path = path
        self.clock = clock
        faults = .none
        ledger = nil
        let database = try SQLiteDatabase(path: path, readOnly: true)
        guard try database.hasTable("deliveries") else { throw MessageQueueError.queueNotInitialised(path: path) }
        let version = try database.userVersion()
        guard version == QueueSchema.version else { throw MessageQueueError.queueSchemaMismatch(path: path, version: version) }
        checkpointer = nil
        connection = SleepingMutex(Connection(database: database))
        reader = SleepingMutex(try SQLiteDatabase(path: path, readOnly: true))
    }

    /// Creates the tables, and brings a database from an older version up to date, in one
    /// conditional step (see `SQLiteDatabase.prepareSchema`).
    private static func migrate(_ database: SQLiteDatabase, path: String) throws {
        let found = try database.userVersion()
        guard found <= QueueSchema.version else { throw MessageQueueError.queueSchemaMismatch(path: path, version: found) }
        try database.prepareSchema(version: QueueSchema.version) { _ in
            try database.execute(QueueSchema.sql)
            let hasSerial = try database.statement("SELECT 1 FROM pragma_table_info('deliveries') WHERE name = 'serial'")
                .firstRow { _ in true } ?? false
            if !hasSerial { try database.execute(QueueSchema.addSerialSQL) }
            let hasLabels = try database.statement("SELECT 1 FROM pragma_table_info('topics') WHERE name = 'labels'")
                .firstRow { _ in true } ?? false
            if !hasLabels { try database.execute(QueueSchema.addLabelsSQL) }
            try database.execute(QueueSchema.dropUnusedSQL)
            let hasCursor = try database.statement("SELECT 1 FROM pragma_table_info('subscriptions') WHERE name = 'cursor'")
                .firstRow { _ in true } ?? false
            if !hasCursor { try database.execute(QueueSchema.addCursorSQL) }
            let hasFrontier = try database.statement("SELECT 1 FROM pragma_table_info('subscriptions') WHERE name = 'frontier'")
                .firstRow { _ in true } ?? false
            if !hasFrontier { try database.execute(QueueSchema.addFrontierSQL) }
            try database.execute(QueueSchema.guardsSQL)
        }
    }

    /// Runs a write with the connection, then checkpoints the WAL if that is due, once the lock
    /// is released (so no other thread waits for the checkpoint).
    func write<Result>(_ body: (inout sending Connection) throws -> sending Result) throws -> sending Result {
        defer { checkpointer?.checkpointIfDue() }
        return try connection.withLock(body)
    }

    /// Waits until a WAL checkpoint that earlier writes scheduled has finished (writes never
    /// wait for one): for tests, and for a process about to look at the file's size.
    public func waitForCheckpoint() {
        checkpointer?.waitUntilIdle()
    }

    // MARK: Topics and subscriptions

    public func createTopic(_ name: String, options: TopicOptions) throws {
        try Self.validate(name: name, field: "topic name")
        guard options.deduplicationWindow >= .zero else {
            throw MessageQueueError.invalidArgument(
                field: "deduplicationWindow", reason: "must not be negative, got \(options.deduplicationWindow)")
        }
        try write { connection in
            let database = connection.database
            try database.statement("INSERT OR IGNORE INTO topics (name, dedup_window_ns, created_ns, labels) VALUES (?, ?, ?, ?)")
                .run([.text(name), .integer(options.deduplicationWindow.nanosecondsClamped),
                      .integer(clock.now.nanosecondsSinceEpoch), .blob(AttributeCoding.encode(options.labels))])
        }
    }

    public func createSubscription(_ name: String, topic: String, options: SubscriptionOptions) throws {
        try Self.validate(name: name, field: "subscription name")
        try Self.validate(options, topic: topic)
        try write { connection in
            let database = connection.database
            try database.immediateTransaction {
                try requireTopic(topic, in: database)
                if let deadLetter = options.deadLetterTopic { try requireTopic(deadLetter, in: database) }
                if let existing = try database.statement("SELECT topic, cursor IS NOT NULL FROM subscriptions WHERE name = ?")
                    .firstRow([.text(name)], { ($0.string(0), $0.int64(1) != 0) })
                {
                    guard existing.0 == topic else {
                        throw MessageQueueError.subscriptionConflict(name: name, existingTopic: existing.0, requestedTopic: topic)
                    }
                    try Self.requireSameDelivery(options.delivery, existingInOrder: existing.1, subscription: name)
                    return
                }
                // A subscription starts after the last message id given so far: an in-order one
                // has committed it, a leased one has looked at it.
                try database.statement("""
                    INSERT INTO subscriptions (name, topic, ack_deadline_ns, max_attempts, dead_letter_topic, retention_ns, created_ns,
                                               cursor, frontier)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, CASE WHEN ?8 THEN \(QueueSchema.lastGivenID) END,
                            CASE WHEN NOT ?8 THEN \(QueueSchema.lastGivenID) END)
                    """).run([
                        .text(name), .text(topic), .integer(options.ackDeadline.nanosecondsClamped),
                        .optional(options.maxDeliveryAttempts.map(Int64.init)), .optional(options.deadLetterTopic),
                        .integer(options.retainAckedMessages.nanosecondsClamped), .integer(clock.now.nanosecondsSinceEpoch),
                        .integer(options.delivery == .inOrder ? 1 : 0),
                    ])
            }
        }
    }

    public func topics() throws -> [TopicInfo] {
        try connection.withLock { connection in
            let database = connection.database
            return try database.statement("SELECT name, dedup_window_ns, created_ns, labels FROM topics ORDER BY name").rows {
                TopicInfo(name: $0.string(0), options: TopicOptions(deduplicationWindow: .nanoseconds($0.int64(1)),
                                                                   labels: AttributeCoding.decode($0.data(3))),
                          created: Instant(nanosecondsSinceEpoch: $0.int64(2)))
            }
        }
    }

    public func subscriptions() throws -> [SubscriptionInfo] {
        try connection.withLock { connection in
            let database = connection.database
            return try database.readTransaction {
                let now = clock.now.nanosecondsSinceEpoch
                // A leased subscription's backlog: its unacked rows, what its range leases hold,
                // and the messages it has not looked at yet.
                var underLeases: [String: (held: Int, live: Int)] = [:]
                try database.statement("SELECT subscription, first_id, last_id, lease_until_ns, done FROM leases").rows { row in
                    let lease = RangeLease(first: row.int64(1), last: row.int64(2), until: row.int64(3), done: row.data(4))
                    underLeases[row.string(0), default: (0, 0)].held += lease.heldCount
                    if lease.until > now { underLeases[row.string(0), default: (0, 0)].live += lease.heldCount }
                }
                return try database.statement("""
                    SELECT s.name, s.topic, s.ack_deadline_ns, s.max_attempts, s.dead_letter_topic, s.retention_ns,
                           s.created_ns, s.dead_lettered,
                           CASE WHEN s.cursor IS NULL THEN
                               (SELECT count(*) FROM deliveries d INDEXED BY deliveries_unacked
                                    WHERE d.subscription = s.name AND d.state = 0)
                               + (SELECT count(*) FROM messages m WHERE m.id > s.frontier AND m.topic = s.topic)
                           ELSE (SELECT count(*) FROM messages m WHERE m.id > s.cursor AND m.topic = s.topic) END,
                           (SELECT count(*) FROM deliveries d INDEXED BY deliveries_unacked
                                WHERE d.subscription = s.name AND d.state = 0
                                AND d.lease_until_ns > ?),
                           s.cursor IS NOT NULL
                    FROM subscriptions s ORDER BY s.name
                    """).rows([.integer(now)]) { row in
                    let leases = underLeases[row.string(0)] ?? (0, 0)
                    return SubscriptionInfo(
                        name: row.string(0), topic: row.string(1),
                        options: SubscriptionOptions(
                            ackDeadline: .nanoseconds(row.int64(2)), maxDeliveryAttempts: row.optionalInt64(3).map(Int.init),
                            deadLetterTopic: row.optionalString(4), retainAckedMessages: .nanoseconds(row.int64(5)),
                            delivery: row.int64(10) != 0 ? .inOrder : .leased),
                        created: Instant(nanosecondsSinceEpoch: row.int64(6)),
                        backlog: Int(row.int64(8)) + leases.held, leased: Int(row.int64(9)) + leases.live,
                        deadLettered: Int(row.int64(7)))
                }
            }
        }
    }

    // MARK: Publish

    @discardableResult
    public func publish(_ messages: [OutgoingMessage], to topic: String) throws -> [Int64] {
        if faults.shouldInject(.publishFailure, subject: topic) {
            ledger?.record(.faultsInjected)
            throw MessageQueueError.injectedFault(operation: "publish", subject: topic)
        }
        let ids = try write { connection in
            let database = connection.database
            return try database.immediateTransaction { try insert(messages, topic: topic, now: clock.now, in: database) }
        }
        ledger?.record(.messagesPublished, Int64(messages.count))
        ledger?.record(.messageBytesPublished, messages.reduce(0) { $0 + Int64($1.data.count) })
        return ids
    }

    /// Inserts messages and their delivery rows; call inside a write transaction.
    private func insert(_ messages: [OutgoingMessage], topic: String, now: Instant, in database: SQLiteDatabase) throws
        -> [Int64]
    {
        guard let window = try database.statement("SELECT dedup_window_ns FROM topics WHERE name = ?")
            .firstRow([.text(topic)], { $0.int64(0) })
        else { throw MessageQueueError.topicNotFound(topic) }
        let insertMessage = try database.statement(
            "INSERT INTO messages (id, topic, data, attributes, ordering_key, published_ns) VALUES (?, ?, ?, ?, ?, ?)")
        // Every subscription holds the messages published after it was made (they are after its
        // frontier or cursor), with no row of their own.
        let subscribed = try database.statement("SELECT 1 FROM subscriptions WHERE topic = ? LIMIT 1")
            .firstRow([.text(topic)]) { _ in true } ?? false
        // A deduplication id is claimed for the message about to be inserted: a new row, or one
        // whose window has passed taken over. Either changes a row; a claim that changes none
        // found the id within its window, and the message is a duplicate of that row's.
        let claim = try database.statement("""
            INSERT INTO dedup (topic, dedup_id, message_id, published_ns) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (topic, dedup_id) DO UPDATE SET message_id = excluded.message_id, published_ns = excluded.published_ns
            WHERE dedup.published_ns <= ?5
            """)
        let firstOfDuplicate = try database.statement("SELECT message_id FROM dedup WHERE topic = ? AND dedup_id = ?")
        // The ids AUTOINCREMENT would give, known before each insert so the claim can name it.
        var nextID = try database.statement("SELECT \(QueueSchema.lastGivenID) + 1").firstRow { $0.int64(0) } ?? 1
        let cutoff = now.nanosecondsSinceEpoch.saturatingSubtracting(window)
        var ids: [Int64] = []
        ids.reserveCapacity(messages.count)
        for message in messages {
            let id = nextID
            if let dedupID = message.deduplicationID, window > 0 {  // with no window, nothing is remembered
                try claim.run([.text(topic), .text(dedupID), .integer(id), .integer(now.nanosecondsSinceEpoch), .integer(cutoff)])
                if database.changes == 0, let first = try firstOfDuplicate.firstRow([.text(topic), .text(dedupID)], { $0.int64(0) }) {
                    ids.append(first)
                    continue
                }
            }
            try insertMessage.run([
                .integer(id), .text(topic), .blob(message.data), .blob(AttributeCoding.encode(message.attributes)),
                .optional(message.orderingKey), .integer(now.nanosecondsSinceEpoch),
            ])
            nextID += 1
            if !subscribed {
                // No subscription holds it: keep only the id (for deduplication).
                try database.statement("DELETE FROM messages WHERE id = ?").run([.integer(id)])
            }
            ids.append(id)
        }
        return ids
    }

    // MARK: Pull and ack

    public func pull(_ subscription: String, maxMessages: Int) throws -> [ReceivedMessage] {
        guard maxMessages >= 1 else {
            throw MessageQueueError.invalidArgument(field: "maxMessages", reason: "must be at least 1, got \(maxMessages)")
        }
        let (leased, deadLettered) = try write { connection in
            let database = connection.database
            connection.pullsSincePurge += 1
            if connection.pullsSincePurge >= 1000 {
                connection.pullsSincePurge = 0
                try purgeExpired(database)
            }
            // The clock is read once the write lock is held, so a lease never starts before a
            // wait for another writer.
            return try database.immediateTransaction {
                try lease(subscription, maxMessages: maxMessages, now: clock.now, in: database)
            }
        }
        // Made once the lock is released: the attributes decoded, the ack ids written.
        let received = leased.map { lease in
            ReceivedMessage(
                messageID: lease.id, data: lease.data, attributes: AttributeCoding.decode(lease.attributes),
                orderingKey: lease.orderingKey, publishTime: Instant(nanosecondsSinceEpoch: lease.published),
                deliveryAttempt: Int(lease.attempt), ackID: "\(lease.id):\(lease.serial)")
        }
        ledger?.record(.messagesDelivered, Int64(received.count))
        ledger?.record(.messagesDeadLettered, Int64(deadLettered))
        return received
    }

    /// A message leased by a pull, as read under the write lock.
    private struct Lease {
        var id: Int64
        var data: Data
        var attributes: Data
        var orderingKey: String?
        var published: Int64
        var attempt: Int64
        var serial: Int64
    }

    /// Finds available messages and leases them (or dead-letters those out of attempts).
    private func lease(_ subscription: String, maxMessages: Int, now: Instant, in database: SQLiteDatabase) throws
        -> ([Lease], Int)
    {
        guard let config = try database.statement(
            "SELECT ack_deadline_ns, max_attempts, dead_letter_topic, cursor IS NOT NULL, topic, frontier FROM subscriptions WHERE name = ?")
            .firstRow([.text(subscription)], {
                ($0.int64(0), $0.optionalInt64(1), $0.optionalString(2), $0.int64(3) != 0, $0.string(4), $0.int64(5))
            })
        else { throw MessageQueueError.subscriptionNotFound(subscription) }
        let (deadline, maxAttempts, deadLetterTopic, inOrder, topic, frontier) = config
        if inOrder { throw MessageQueueError.wrongDelivery(subscription: subscription, delivery: .inOrder, operation: "pull") }
        // Messages whose range lease expired are delivered again from rows, as any other.
        let liveLeases = try expireRangeLeases(of: subscription, topic: topic, now: now.nanosecondsSinceEpoch, in: database)
        var received: [Lease] = []
        var deadLettered = 0
        // Messages handed out by this pull. A duplicate-delivery fault leaves its message free, so
        // a later look would find it again; it must come back on a later pull, never in this one.
        var taken = Set<Int64>()
        let takeLease = try database.statement(
            "UPDATE deliveries SET attempts = ?, serial = ?, lease_until_ns = ? WHERE subscription = ? AND message_id = ?")
        // Dead-lettering frees slots, so look again until the batch is full or nothing is left.
        while received.count < maxMessages {
            let candidates = try database.statement("""
                SELECT d.message_id, d.attempts, m.data, m.attributes, m.ordering_key, m.published_ns, d.serial
                FROM deliveries d INDEXED BY deliveries_unacked JOIN messages m ON m.id = d.message_id
                WHERE d.subscription = ?1 AND d.state = 0 AND (d.lease_until_ns IS NULL OR d.lease_until_ns <= ?2)
                  AND (d.ordering_key IS NULL OR NOT EXISTS (
                      SELECT 1 FROM deliveries e INDEXED BY deliveries_ordered WHERE e.subscription = ?1 AND e.state = 0
                          AND e.ordering_key = d.ordering_key AND e.message_id < d.message_id))
                ORDER BY d.message_id LIMIT ?3
                """).rows([.text(subscription), .integer(now.nanosecondsSinceEpoch),
                           .integer(Int64(maxMessages - received.count + taken.count))]) {
                    (id: $0.int64(0), attempts: $0.int64(1), data: $0.data(2), attributes: $0.data(3),
                     orderingKey: $0.optionalString(4), published: $0.int64(5), serial: $0.int64(6))
                }
                .filter { !taken.contains($0.id) }
            if candidates.isEmpty { break }
            for candidate in candidates {
                if let maxAttempts, let deadLetterTopic, candidate.attempts >= maxAttempts {
                    var attributes = AttributeCoding.decode(candidate.attributes)
                    attributes[SubscriptionOptions.deadLetterSourceSubscriptionKey] = subscription
                    attributes[SubscriptionOptions.deadLetterSourceDeliveryCountKey] = String(candidate.attempts)
                    _ = try insert([OutgoingMessage(data: candidate.data, attributes: attributes, orderingKey: candidate.orderingKey)],
                                   topic: deadLetterTopic, now: now, in: database)
                    try database.statement(
                        "UPDATE deliveries SET state = 2, acked_ns = ?, lease_until_ns = NULL WHERE subscription = ? AND message_id = ?")
                        .run([.integer(now.nanosecondsSinceEpoch), .text(subscription), .integer(candidate.id)])
                    try database.statement("UPDATE subscriptions SET dead_lettered = dead_lettered + 1 WHERE name = ?")
                        .run([.text(subscription)])
                    deadLettered += 1
                    continue
                }
                let attempt = candidate.attempts + 1
                let serial = candidate.serial + 1
                // A duplicate-delivery fault hands the message out without a lease, so the next
                // pull delivers it again.
                let duplicate = faults.shouldInject(.duplicateDelivery, subject: "\(subscription)/\(candidate.id)")
                if duplicate { ledger?.record(.faultsInjected) }
                try takeLease.run([.integer(attempt), .integer(serial), duplicate ? .null : .integer(now.nanosecondsSinceEpoch + deadline),
                          .text(subscription), .integer(candidate.id)])
                taken.insert(candidate.id)
                received.append(Lease(id: candidate.id, data: candidate.data, attributes: candidate.attributes,
                                      orderingKey: candidate.orderingKey, published: candidate.published, attempt: attempt, serial: serial))
            }
        }
        if received.count < maxMessages {
            received += try leaseNew(subscription, topic: topic, frontier: frontier, leases: liveLeases,
                                     maxMessages: maxMessages - received.count, leaseUntil: now.nanosecondsSinceEpoch + deadline,
                                     in: database)
        }
        return (received, deadLettered)
    }

    /// Leases up to `maxMessages` messages new to `subscription` (after its `frontier`), oldest
    /// first, under range leases until `leaseUntil` (one, unless other topics' messages leave
    /// wide gaps between them: `RangeLease.covering`), and moves the frontier past every
    /// message it looked at. A message that must wait for an earlier one with its ordering key,
    /// or is delivered twice by a duplicate-delivery fault, gets a row instead. `leases` are the
    /// subscription's live range leases.
    private func leaseNew(_ subscription: String, topic: String, frontier: Int64, leases: [RangeLease], maxMessages: Int,
                          leaseUntil: Int64, in database: SQLiteDatabase) throws -> [Lease] {
        var leases = leases
        var changedLeases = Set<Int>()
        // Whether any unacked row has an ordering key (most often none: one look, not one per message).
        let rowsMayWait = try database.statement("""
            SELECT 1 FROM deliveries INDEXED BY deliveries_ordered WHERE subscription = ? AND state = 0 AND ordering_key IS NOT NULL LIMIT 1
            """)
            .firstRow([.text(subscription)]) { _ in true } ?? false
        var received: [Lease] = []
        var ranged: [Int64] = []
        // Ordering keys met in this pull: the message delivered with each (nil once one waits).
        var keys: [String: Int64?] = [:]
        var position = frontier
        let newMessages = try database.statement("""
            SELECT id, data, attributes, ordering_key, published_ns FROM messages WHERE id > ? AND topic = ? ORDER BY id LIMIT ?
            """)
        while received.count < maxMessages {
            let batch = try newMessages.rows([.integer(position), .text(topic), .integer(Int64(maxMessages - received.count))]) {
                Lease(id: $0.int64(0), data: $0.data(1), attributes: $0.data(2), orderingKey: $0.optionalString(3),
                      published: $0.int64(4), attempt: RangeLease.serial, serial: RangeLease.serial)
            }
            guard let last = batch.last else { break }
            // The frontier moves past the batch before any of it gets a row (a row is never past it).
            position = last.id
            try database.statement("UPDATE subscriptions SET frontier = ? WHERE name = ?").run([.integer(position), .text(subscription)])
            for message in batch {
                if let key = message.orderingKey {
                    let waits: Bool
                    if let delivered = keys[key] {
                        // A second message with the key in this pull: it waits, and the first
                        // (if delivered here) takes a row, so the two are ordered by rows.
                        if let first = delivered, let index = ranged.firstIndex(of: first) {
                            ranged.remove(at: index)
                            try insertDelivery(subscription, id: first, attempts: RangeLease.serial, serial: RangeLease.serial,
                                               leaseUntil: leaseUntil, in: database)
                        }
                        waits = true
                    } else {
                        waits = try waitsForEarlier(message.id, key: key, topic: topic, subscription: subscription,
                                                    rowsMayWait: rowsMayWait, leases: &leases, changed: &changedLeases, in: database)
                    }
                    if waits {
                        try insertDelivery(subscription, id: message.id, attempts: 0, serial: 0, leaseUntil: nil, in: database)
                        keys[key] = .some(nil)
                        continue
                    }
                    keys[key] = message.id
                }
                // A duplicate-delivery fault hands the message out without a lease, so the next
                // pull delivers it again.
                if faults.shouldInject(.duplicateDelivery, subject: "\(subscription)/\(message.id)") {
                    ledger?.record(.faultsInjected)
                    try insertDelivery(subscription, id: message.id, attempts: RangeLease.serial, serial: RangeLease.serial,
                                       leaseUntil: nil, in: database)
                    if let key = message.orderingKey { keys[key] = .some(nil) }
                } else {
                    ranged.append(message.id)
                }
                received.append(message)
            }
        }
        for index in changedLeases.sorted() {
            try update(leases[index], of: subscription, topic: topic, releasing: false, in: database)
        }
        for lease in RangeLease.covering(ranged, until: leaseUntil) { try insert(lease, of: subscription, in: database) }
        return received
    }

    public func ack(_ subscription: String, ackIDs: [String]) throws {
        let parsed = try ackIDs.map(Self.parse(ackID:))
        let kept = parsed.filter { !faults.shouldInject(.lostAck, subject: "\(subscription)/\($0.id)") }
        ledger?.record(.faultsInjected, Int64(parsed.count - kept.count))
        let changed = try write { connection in
            let database = connection.database
            return try database.immediateTransaction {
                let (topic, retention) = try leasedSubscription(subscription, for: "ack", in: database)
                let now = clock.now.nanosecondsSinceEpoch
                var leases = try rangeLeases(of: subscription, in: database)
                var changedLeases = Set<Int>()
                let ackRow = try database.statement("""
                    UPDATE deliveries SET state = 1, acked_ns = ?, lease_until_ns = NULL
                    WHERE subscription = ? AND message_id = ? AND serial = ? AND state = 0
                    """)
                var changed = 0
                for (id, serial) in kept {
                    if serial == RangeLease.serial, let index = rangeLease(holding: id, in: leases) {
                        // Acked messages kept for `seek` need a row saying when.
                        if retention > 0 {
                            try insertDelivery(subscription, id: id, attempts: RangeLease.serial, serial: RangeLease.serial,
                                               leaseUntil: nil, ackedAt: now, in: database)
                        }
                        leases[index].release(id)
                        changedLeases.insert(index)
                        changed += 1
                    } else {
                        try ackRow.run([.integer(now), .text(subscription), .integer(id), .integer(serial)])
                        changed += database.changes
                    }
                }
                for index in changedLeases.sorted() {
                    try update(leases[index], of: subscription, topic: topic, releasing: retention == 0, in: database)
                }
                return changed
            }
        }
        ledger?.record(.messagesAcked, Int64(changed))
    }

    @discardableResult
    public func nack(_ subscription: String, ackIDs: [String]) throws -> Int {
        let changed = try setLease(subscription, ackIDs: ackIDs, length: nil)
        ledger?.record(.messagesNacked, Int64(ackIDs.count))
        return changed
    }

    @discardableResult
    public func modifyAckDeadline(_ subscription: String, ackIDs: [String], deadline: Duration) throws -> Int {
        guard deadline == .zero || SubscriptionOptions.ackDeadlines.contains(deadline) else {
            throw MessageQueueError.invalidArgument(
                field: "deadline", reason: "must be 0 (nack) or 1…600 seconds, got \(deadline)")
        }
        if deadline == .zero { return try nack(subscription, ackIDs: ackIDs) }
        return try setLease(subscription, ackIDs: ackIDs, length: deadline)
    }

    /// Sets the leases to end `length` from now (read under the write lock), or ends them (nil);
    /// returns how many deliveries it changed.
    private func setLease(_ subscription: String, ackIDs: [String], length: Duration?) throws -> Int {
        let parsed = try ackIDs.map(Self.parse(ackID:))
        return try write { connection in
            let database = connection.database
            return try database.immediateTransaction {
                let (topic, _) = try leasedSubscription(subscription, for: length == nil ? "nack" : "modifyAckDeadline", in: database)
                let now = clock.now
                let until = length.map { now.advanced(by: $0).nanosecondsSinceEpoch }
                var leases = try rangeLeases(of: subscription, in: database)
                var changedLeases = Set<Int>()
                // Only a live lease can be extended: an expired one belongs to the next pull.
                let setRowLease = try database.statement("""
                    UPDATE deliveries SET lease_until_ns = ?
                    WHERE subscription = ? AND message_id = ? AND serial = ? AND state = 0 AND (? OR lease_until_ns > ?)
                    """)
                var changed = 0
                for (id, serial) in parsed {
                    if serial == RangeLease.serial, let index = rangeLease(holding: id, in: leases) {
                        guard length == nil || leases[index].until > now.nanosecondsSinceEpoch else { continue }
                        try moveToRow(id, from: &leases[index], subscription: subscription, leaseUntil: until, in: database)
                        changedLeases.insert(index)
                        changed += 1
                    } else {
                        try setRowLease.run([.optional(until), .text(subscription), .integer(id), .integer(serial),
                                             .integer(length == nil ? 1 : 0), .integer(now.nanosecondsSinceEpoch)])
                        changed += database.changes
                    }
                }
                for index in changedLeases.sorted() {
                    try update(leases[index], of: subscription, topic: topic, releasing: false, in: database)
                }
                return changed
            }
        }
    }

    // MARK: In-order read and commit

    public func read(_ subscription: String, after messageID: Int64, maxMessages: Int) throws -> [ReceivedMessage] {
        guard maxMessages >= 1 else {
            throw MessageQueueError.invalidArgument(field: "maxMessages", reason: "must be at least 1, got \(maxMessages)")
        }
        let received = try reader.withLock { database in
            try database.readTransaction {
                let (topic, cursor) = try inOrderPosition(of: subscription, for: "read", in: database)
                return try messages(of: topic, after: max(messageID, cursor), limit: maxMessages, in: database)
            }
        }
        ledger?.record(.messagesDelivered, Int64(received.count))
        return received
    }

    public func commit(_ subscription: String, through messageID: Int64) throws {
        let committed = try write { connection in
            let database = connection.database
            return try database.immediateTransaction { () -> Int in
                let (topic, cursor) = try inOrderPosition(of: subscription, for: "commit", in: database)
                guard messageID > cursor else { return 0 }
                let range: [SQLiteValue] = [.integer(cursor), .integer(messageID), .text(topic)]
                let count = try database.statement("SELECT count(*) FROM messages WHERE id > ? AND id <= ? AND topic = ?")
                    .firstRow(range) { Int($0.int64(0)) } ?? 0
                try database.statement("UPDATE subscriptions SET cursor = ? WHERE name = ?").run([.integer(messageID), .text(subscription)])
                try deleteUnheldMessages(of: topic, from: cursor + 1, through: messageID, in: database)
                return count
            }
        }
        ledger?.record(.messagesAcked, Int64(committed))
    }

    /// The messages of `topic` after id `after`, oldest first, as delivered in order.
    func messages(of topic: String, after: Int64, limit: Int, in database: SQLiteDatabase) throws -> [ReceivedMessage] {
        try database.statement("""
            SELECT id, data, attributes, ordering_key, published_ns FROM messages WHERE id > ? AND topic = ? ORDER BY id LIMIT ?
            """).rows([.integer(after), .text(topic), .integer(Int64(limit))]) {
                ReceivedMessage(messageID: $0.int64(0), data: $0.data(1), attributes: AttributeCoding.decode($0.data(2)),
                                orderingKey: $0.optionalString(3), publishTime: Instant(nanosecondsSinceEpoch: $0.int64(4)),
                                deliveryAttempt: 1, ackID: "")
            }
    }

    /// A subscription's topic and, if it is in order, its committed position; nil if there is
    /// no such subscription.
    func position(of subscription: String, in database: SQLiteDatabase) throws -> (topic: String, cursor: Int64?)? {
        try database.statement("SELECT topic, cursor FROM subscriptions WHERE name = ?")
            .firstRow([.text(subscription)]) { ($0.string(0), $0.optionalInt64(1)) }
    }

    private func inOrderPosition(of subscription: String, for operation: String, in database: SQLiteDatabase) throws
        -> (topic: String, cursor: Int64)
    {
        guard let (topic, cursor) = try position(of: subscription, in: database) else {
            throw MessageQueueError.subscriptionNotFound(subscription)
        }
        guard let cursor else { throw MessageQueueError.wrongDelivery(subscription: subscription, delivery: .leased, operation: operation) }
        return (topic, cursor)
    }

    // MARK: Seek, peek, retention

    public func seek(_ subscription: String, to instant: Instant) throws {
        try write { connection in
            let database = connection.database
            // Messages acked longer ago than the retention period are gone, as in Pub/Sub: they
            // must not be replayed just because the periodic purge has not run yet.
            try purgeExpired(database)
            try database.immediateTransaction {
                let (topic, _) = try leasedSubscription(subscription, for: "seek", in: database)
                // A seek works on rows: every message the subscription holds gets one first.
                try moveAllToRows(subscription, topic: topic, in: database)
                let now = clock.now.nanosecondsSinceEpoch
                let time = Int64(instant.nanosecondsSinceEpoch)
                // Replayed messages start over: acked and dead-lettered ones become unacked, all
                // get fresh attempts, and the serial moves on so earlier ack ids no longer match.
                try database.statement("""
                    UPDATE deliveries SET state = 0, attempts = 0, serial = serial + 1, acked_ns = NULL, lease_until_ns = NULL
                    WHERE subscription = ? AND message_id IN (SELECT id FROM messages WHERE published_ns >= ?)
                    """).run([.text(subscription), .integer(time)])
                try database.statement("""
                    UPDATE deliveries SET state = 1, acked_ns = ?, lease_until_ns = NULL
                    WHERE subscription = ? AND state = 0 AND message_id IN (SELECT id FROM messages WHERE published_ns < ?)
                    """).run([.integer(now), .text(subscription), .integer(time)])
            }
        }
    }

    public func peek(_ subscription: String, limit: Int) throws -> [QueuedMessage] {
        guard limit >= 0 else {
            throw MessageQueueError.invalidArgument(field: "limit", reason: "must not be negative, got \(limit)")
        }
        return try connection.withLock { connection in
            let database = connection.database
            return try database.readTransaction {
                guard let (topic, cursor) = try position(of: subscription, in: database) else {
                    throw MessageQueueError.subscriptionNotFound(subscription)
                }
                if let cursor {
                    return try messages(of: topic, after: cursor, limit: limit, in: database).map {
                        QueuedMessage(messageID: $0.messageID, data: $0.data, attributes: $0.attributes, orderingKey: $0.orderingKey,
                                      publishTime: $0.publishTime, deliveryAttempts: 0, leasedUntil: nil)
                    }
                }
                let now = clock.now.nanosecondsSinceEpoch
                func queued(_ message: ReceivedMessage, attempts: Int64, leaseUntil: Int64?) -> QueuedMessage {
                    QueuedMessage(messageID: message.messageID, data: message.data, attributes: message.attributes,
                                  orderingKey: message.orderingKey, publishTime: message.publishTime, deliveryAttempts: Int(attempts),
                                  leasedUntil: leaseUntil.flatMap { $0 > now ? Instant(nanosecondsSinceEpoch: $0) : nil })
                }
                // Unacked messages with rows, under range leases, and not yet looked at: merged by id.
                var waiting = try database.statement("""
                    SELECT d.message_id, d.attempts, d.lease_until_ns, m.data, m.attributes, m.ordering_key, m.published_ns
                    FROM deliveries d INDEXED BY deliveries_unacked JOIN messages m ON m.id = d.message_id
                    WHERE d.subscription = ? AND d.state = 0 ORDER BY d.message_id LIMIT ?
                    """).rows([.text(subscription), .integer(Int64(limit))]) { row in
                        QueuedMessage(
                            messageID: row.int64(0), data: row.data(3), attributes: AttributeCoding.decode(row.data(4)),
                            orderingKey: row.optionalString(5), publishTime: Instant(nanosecondsSinceEpoch: row.int64(6)),
                            deliveryAttempts: Int(row.int64(1)),
                            leasedUntil: row.optionalInt64(2).flatMap { $0 > now ? Instant(nanosecondsSinceEpoch: $0) : nil })
                    }
                for lease in try rangeLeases(of: subscription, in: database) {
                    let held = try messages(of: topic, after: lease.first - 1, limit: Int(lease.last - lease.first + 1), in: database)
                        .filter { lease.holds($0.messageID) }.prefix(limit)
                    waiting += held.map { queued($0, attempts: RangeLease.serial, leaseUntil: lease.until) }
                }
                waiting += try messages(of: topic, after: try frontier(of: subscription, in: database), limit: limit, in: database).map { queued($0, attempts: 0, leaseUntil: nil) }
                return Array(waiting.sorted { $0.messageID < $1.messageID }.prefix(limit))
            }
        }
    }

    /// Deletes acked and dead-lettered deliveries older than their subscription's retention,
    /// messages no subscription still holds, and expired deduplication ids. Also runs by itself
    /// every 1000 pulls.
    public func purgeExpired() throws {
        try write { try purgeExpired($0.database) }
    }

    private func purgeExpired(_ database: SQLiteDatabase) throws {
        try database.immediateTransaction {
            let time = clock.now.nanosecondsSinceEpoch
            let retention = try database.statement("SELECT name, retention_ns FROM subscriptions").rows { ($0.string(0), $0.int64(1)) }
            let expire = try database.statement(
                "DELETE FROM deliveries WHERE subscription = ? AND state != 0 AND acked_ns <= ? RETURNING message_id")
            var released = Set<Int64>()
            for (subscription, keep) in retention {
                released.formUnion(try expire.rows([.text(subscription), .integer(time.saturatingSubtracting(keep))]) { $0.int64(0) })
            }
            let dropMessage = try database.statement("DELETE FROM messages WHERE id = ?1 AND \(QueueSchema.heldByNoSubscription)")
            for id in released.sorted() { try dropMessage.run([.integer(id)]) }
            let windows = try database.statement("SELECT name, dedup_window_ns FROM topics").rows { ($0.string(0), $0.int64(1)) }
            let forget = try database.statement("DELETE FROM dedup WHERE topic = ? AND published_ns <= ?")
            for (topic, window) in windows { try forget.run([.text(topic), .integer(time.saturatingSubtracting(window))]) }
        }
    }

    // MARK: Helpers

    func requireTopic(_ name: String, in database: SQLiteDatabase) throws {
        if try database.statement("SELECT 1 FROM topics WHERE name = ?").firstRow([.text(name)], { _ in true }) == nil {
            throw MessageQueueError.topicNotFound(name)
        }
    }

    /// The topic and acked-message retention (in nanoseconds) of leased subscription `name`;
    /// throws unless there is one.
    func leasedSubscription(_ name: String, for operation: String, in database: SQLiteDatabase) throws -> (topic: String, retention: Int64) {
        guard let (topic, retention, inOrder) = try database.statement("SELECT topic, retention_ns, cursor IS NOT NULL FROM subscriptions WHERE name = ?")
            .firstRow([.text(name)], { ($0.string(0), $0.int64(1), $0.int64(2) != 0) })
        else { throw MessageQueueError.subscriptionNotFound(name) }
        if inOrder { throw MessageQueueError.wrongDelivery(subscription: name, delivery: .inOrder, operation: operation) }
        return (topic, retention)
    }

    /// Throws unless a subscription made (or changed) with `delivery` may stand for one that is
    /// already in order (or not): delivery never changes.
    static func requireSameDelivery(_ delivery: SubscriptionOptions.Delivery, existingInOrder: Bool, subscription: String) throws {
        guard (delivery == .inOrder) != existingInOrder else { return }
        throw MessageQueueError.invalidArgument(
            field: "delivery",
            reason: "subscription \(quoted(subscription)) exists with \(existingInOrder ? "in-order" : "leased") delivery, which cannot change (delete it and make it again)")
    }

    /// Splits an ack id `<message id>:<delivery serial>`.
    private static func parse(ackID: String) throws -> (id: Int64, serial: Int64) {
        let parts = ackID.split(separator: ":")
        guard parts.count == 2, let id = Int64(parts[0]), let serial = Int64(parts[1]) else {
            throw MessageQueueError.invalidAckID(ackID)
        }
        return (id, serial)
    }

    /// Checks subscription options for a subscription to `topic`.
    static func validate(_ options: SubscriptionOptions, topic: String) throws {
        if let attempts = options.maxDeliveryAttempts {
            guard attempts >= 1 else {
                throw MessageQueueError.invalidArgument(field: "maxDeliveryAttempts", reason: "must be at least 1, got \(attempts)")
            }
            guard options.deadLetterTopic != nil else {
                throw MessageQueueError.invalidArgument(field: "deadLetterTopic", reason: "required when maxDeliveryAttempts is set")
            }
        } else if options.deadLetterTopic != nil {
            // Without a limit nothing would ever be dead-lettered, silently.
            throw MessageQueueError.invalidArgument(field: "maxDeliveryAttempts", reason: "required when deadLetterTopic is set")
        }
        if options.delivery == .inOrder && (options.maxDeliveryAttempts != nil || options.deadLetterTopic != nil) {
            throw MessageQueueError.invalidArgument(
                field: "delivery", reason: "an in-order subscription has no delivery attempts or dead-letter topic")
        }
        if options.deadLetterTopic == topic {
            throw MessageQueueError.invalidArgument(
                field: "deadLetterTopic", reason: "\(quoted(topic)) is the subscription's own topic; dead letters would come straight back")
        }
        guard SubscriptionOptions.ackDeadlines.contains(options.ackDeadline) else {
            throw MessageQueueError.invalidArgument(
                field: "ackDeadline", reason: "must be 1…600 seconds, got \(options.ackDeadline)")
        }
        guard options.retainAckedMessages >= .zero else {
            throw MessageQueueError.invalidArgument(
                field: "retainAckedMessages", reason: "must not be negative, got \(options.retainAckedMessages)")
        }
    }

    static func validate(name: String, field: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-~".utf8)
        guard !name.isEmpty, name.utf8.count <= 255, name.utf8.allSatisfy(allowed.contains) else {
            throw MessageQueueError.invalidArgument(
                field: field, reason: "\(quoted(name)) must be 1–255 characters of letters, digits, '.', '_', '-', '~'")
        }
    }
}
