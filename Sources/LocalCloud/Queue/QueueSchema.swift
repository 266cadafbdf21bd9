/// The tables of `queue.sqlite`.
///
/// - `topics`, `subscriptions`: definitions; `subscriptions.dead_lettered` counts moved messages.
///   `subscriptions.cursor` is NULL for a leased subscription; for an in-order one, the id of the
///   last message it has committed (at first, the last id given before it was made).
///   `subscriptions.frontier` is NULL for an in-order subscription; for a leased one, the id of
///   the last message of its topic it has looked at (at first, the last id given before it was
///   made): every later message of the topic is new to it — unacked, never delivered — and has
///   no row of its own yet.
/// - `messages`: one row per published message still held by a subscription (ids increase in
///   publish order); `messages_by_key` finds a new message's earlier ones with its ordering key.
/// - `leases`: the first delivery of new messages, a row per pull (per run of ids no more than
///   `RangeLease.maxGap` apart) rather than per message:
///   the messages of the subscription's topic with ids `first_id…last_id` whose bit in `done`
///   is 0 (bit `id − first_id`, least significant first) are leased until `lease_until_ns`,
///   delivery attempt 1, serial 1. A bit becomes 1 when its message is acked or gets a
///   `deliveries` row (a nack, a deadline change, an ordering key another message waits on);
///   the row goes once every bit is 1, or at the next pull after it expires, when the messages
///   still 0 get `deliveries` rows to be delivered again.
/// - `deliveries`: one row per (leased subscription, message) whose state is not that of a new
///   or range-leased message: its state (0 unacked, 1 acked, 2 dead-lettered), delivery
///   attempts, lease end and ack time. `serial` counts every delivery and seek of the row and is
///   never reset (unlike `attempts`, which a seek resets); ack ids carry it, so an ack id is
///   good only for its own delivery. Two unacked messages of one subscription that share an
///   ordering key both have rows, so the key's order is kept by rows alone.
/// - `dedup`: deduplication ids per topic with their first message.
/// - `topics.labels`: free-form key-value labels (as Pub/Sub topics have), coded like message
///   attributes; the SQS endpoint keeps a queue's own attributes there.
enum QueueSchema {
    static let unacked: Int64 = 0
    static let acked: Int64 = 1
    static let deadLettered: Int64 = 2

    /// The schema version recorded in `PRAGMA user_version` (files made before it existed read 0
    /// and are brought up to it by `sql` and, if needed, `addSerialSQL`, `addLabelsSQL`,
    /// `dropUnusedSQL`, `addCursorSQL` and `addFrontierSQL`; `guardsSQL` then refuses an older
    /// writer's leased subscriptions).
    static let version: Int32 = 5

    static let sql = """
        CREATE TABLE IF NOT EXISTS topics (
            name TEXT PRIMARY KEY, dedup_window_ns INTEGER NOT NULL, created_ns INTEGER NOT NULL,
            labels BLOB NOT NULL DEFAULT x'') WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS subscriptions (
            name TEXT PRIMARY KEY, topic TEXT NOT NULL, ack_deadline_ns INTEGER NOT NULL, max_attempts INTEGER,
            dead_letter_topic TEXT, retention_ns INTEGER NOT NULL, created_ns INTEGER NOT NULL,
            dead_lettered INTEGER NOT NULL DEFAULT 0, cursor INTEGER, frontier INTEGER) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS subscriptions_by_topic ON subscriptions (topic);
        CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, data BLOB NOT NULL, attributes BLOB NOT NULL,
            ordering_key TEXT, published_ns INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS messages_by_key ON messages (topic, ordering_key, id) WHERE ordering_key IS NOT NULL;
        CREATE TABLE IF NOT EXISTS leases (
            subscription TEXT NOT NULL, first_id INTEGER NOT NULL, last_id INTEGER NOT NULL, lease_until_ns INTEGER NOT NULL,
            done BLOB NOT NULL, PRIMARY KEY (subscription, first_id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS deliveries (
            subscription TEXT NOT NULL, message_id INTEGER NOT NULL, ordering_key TEXT,
            state INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
            lease_until_ns INTEGER, acked_ns INTEGER, serial INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (subscription, message_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS deliveries_unacked ON deliveries (subscription, message_id) WHERE state = 0;
        CREATE INDEX IF NOT EXISTS deliveries_ordered ON deliveries (subscription, ordering_key, message_id)
            WHERE state = 0 AND ordering_key IS NOT NULL;
        CREATE INDEX IF NOT EXISTS deliveries_done ON deliveries (subscription, acked_ns) WHERE state != 0;
        CREATE TABLE IF NOT EXISTS dedup (
            topic TEXT NOT NULL, dedup_id TEXT NOT NULL, message_id INTEGER NOT NULL, published_ns INTEGER NOT NULL,
            PRIMARY KEY (topic, dedup_id)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS dedup_by_time ON dedup (topic, published_ns);
        """

    /// Brings a database made before `deliveries.serial` existed up to date (its ack ids were
    /// `<message id>:<attempts>`, so the serial starts at the attempt count and old ids still work).
    static let addSerialSQL = """
        ALTER TABLE deliveries ADD COLUMN serial INTEGER NOT NULL DEFAULT 0;
        UPDATE deliveries SET serial = attempts;
        """

    /// Drops what files made before version 3 kept up to date for nothing: an index of
    /// deliveries by message alone (a message's deliveries are found through its topic's
    /// subscriptions, `heldByNoSubscription`), whose upkeep cost every publish and purge.
    static let dropUnusedSQL = "DROP INDEX IF EXISTS deliveries_by_message;"

    /// A condition on a `messages` row: no subscription holds it — no leased one has a delivery
    /// row or a range lease over it or has yet to look at it, and no in-order one has yet to
    /// commit it. A message's deliveries and leases belong to subscriptions of its own topic (a
    /// subscription never changes topic, and its rows go with it), so each is one key lookup.
    /// A range lease counts for every id in its range, the ones it no longer holds too (for
    /// ranges of ids, `SQLiteMessageQueue.deleteUnheldMessages` reads the lease's bits instead).
    static let heldByNoSubscription = """
        NOT EXISTS (SELECT 1 FROM subscriptions s JOIN deliveries d ON d.subscription = s.name AND d.message_id = messages.id
                    WHERE s.topic = messages.topic)
        AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.topic = messages.topic AND coalesce(s.cursor, s.frontier) < messages.id)
        AND NOT EXISTS (SELECT 1 FROM subscriptions s JOIN leases l ON l.subscription = s.name AND l.first_id <= messages.id
                        AND l.last_id >= messages.id WHERE s.topic = messages.topic)
        """

    /// Brings a database made before in-order subscriptions existed up to date (every
    /// subscription in it is leased).
    static let addCursorSQL = "ALTER TABLE subscriptions ADD COLUMN cursor INTEGER;"

    /// Brings a database made before range leases existed up to date: every leased subscription
    /// in it has a delivery row of every message it holds, so it has looked at every message
    /// given so far.
    static let addFrontierSQL = """
        ALTER TABLE subscriptions ADD COLUMN frontier INTEGER;
        UPDATE subscriptions SET frontier = \(lastGivenID) WHERE cursor IS NULL;
        """

    /// Makes a writer of an older version fail instead of quietly working the old way on this
    /// schema when it makes a leased subscription (it gave none a frontier). Its publishes are
    /// not refused: a trigger on `deliveries` would (a delivery row past the frontier), but any
    /// trigger there made every row insert cost about twice as much (an acked row kept for
    /// `seek`: bench/queue batched 105k → 63k msgs/s), so running an older and this version on
    /// one queue at once stays unsupported.
    static let guardsSQL = """
        CREATE TRIGGER IF NOT EXISTS leased_subscriptions_have_a_frontier BEFORE INSERT ON subscriptions
        WHEN NEW.cursor IS NULL AND NEW.frontier IS NULL
        BEGIN SELECT RAISE(ABORT, 'queue schema 5 needs a frontier for a leased subscription: an older version is writing to this queue'); END;
        """

    /// The id of the last message given so far (0 before the first).
    static let lastGivenID = """
        max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'messages'), 0), coalesce((SELECT max(id) FROM messages), 0))
        """

    /// Brings a database made before topics had labels up to date.
    static let addLabelsSQL = "ALTER TABLE topics ADD COLUMN labels BLOB NOT NULL DEFAULT x'';"
}
