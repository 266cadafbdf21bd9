import Foundation

/// A publish/subscribe message queue in the style of Google Pub/Sub (or SNS → SQS):
/// topics fan out to subscriptions, consumers pull leased messages and ack them.
///
/// Every operation is synchronous and throws `MessageQueueError` (or `SQLiteError` for a storage
/// failure). Implementations are safe to use from several threads and, for the SQLite driver,
/// several processes.
public protocol MessageQueue: AnyObject, Sendable {
    /// Creates the topic if it does not exist (an existing topic keeps its options).
    func createTopic(_ name: String, options: TopicOptions) throws

    /// Creates a subscription to `topic`; it receives every message published from now on.
    /// Creating an existing subscription again with the same topic does nothing.
    func createSubscription(_ name: String, topic: String, options: SubscriptionOptions) throws

    /// All topics, sorted by name.
    func topics() throws -> [TopicInfo]

    /// All subscriptions with their backlog counts, sorted by name.
    func subscriptions() throws -> [SubscriptionInfo]

    /// Publishes messages in order, in one transaction; returns their ids. A message whose
    /// `deduplicationID` was published to the topic within its window is dropped and the first
    /// message's id returned instead.
    @discardableResult
    func publish(_ messages: [OutgoingMessage], to topic: String) throws -> [Int64]

    /// Leases up to `maxMessages` available messages, oldest first. Messages sharing an ordering
    /// key are handed out one at a time, in publish order. For leased subscriptions.
    func pull(_ subscription: String, maxMessages: Int) throws -> [ReceivedMessage]

    /// Up to `maxMessages` messages of an in-order subscription, in publish order, published after
    /// both message `messageID` (where the reader says it is, from its own records) and the
    /// subscription's committed position. Nothing is leased and no attempt is counted: reading
    /// again gives the same messages until `commit` moves past them. Their `ackID` is empty and
    /// their `deliveryAttempt` 1.
    func read(_ subscription: String, after messageID: Int64, maxMessages: Int) throws -> [ReceivedMessage]

    /// Moves an in-order subscription's committed position to message `messageID` (never back):
    /// the messages up to it are done, and those no other subscription holds are deleted.
    func commit(_ subscription: String, through messageID: Int64) throws

    /// Acknowledges messages of a leased subscription so they are not delivered again. Ack ids
    /// from an older delivery of a message (its lease expired and it was delivered again, or a
    /// seek replayed it) are ignored.
    func ack(_ subscription: String, ackIDs: [String]) throws

    /// Makes messages available again at once; returns how many were leased (by these ack ids).
    @discardableResult
    func nack(_ subscription: String, ackIDs: [String]) throws -> Int

    /// Sets the lease of messages to end `deadline` from now: 1…600 seconds, or zero to nack.
    /// Only a live lease changes (an expired or acked one is left alone, as in Pub/Sub); returns
    /// how many did.
    @discardableResult
    func modifyAckDeadline(_ subscription: String, ackIDs: [String], deadline: Duration) throws -> Int

    /// Replays: messages published at or after `instant` become unacked (dead-lettered ones
    /// too) with their delivery attempts reset, earlier ones acked. Ack ids handed out before the
    /// seek no longer ack anything. Only messages still retained (see
    /// `SubscriptionOptions.retainAckedMessages`) are affected.
    func seek(_ subscription: String, to instant: Instant) throws

    /// Up to `limit` unacked messages of a subscription, oldest first, without leasing them.
    func peek(_ subscription: String, limit: Int) throws -> [QueuedMessage]

    /// Replaces a topic's labels (its other options stay).
    func setLabels(_ labels: [String: String], topic: String) throws

    /// Replaces a subscription's options, checked as `createSubscription` checks them. Leases
    /// already given keep their end; later pulls use the new ack deadline.
    func updateSubscription(_ name: String, options: SubscriptionOptions) throws

    /// Deletes a subscription with its backlog and retained messages.
    func deleteSubscription(_ name: String) throws

    /// Deletes a topic. It must have no subscriptions and be no subscription's dead-letter topic.
    func deleteTopic(_ name: String) throws
}

extension MessageQueue {
    /// Creates a topic with default options.
    public func createTopic(_ name: String) throws { try createTopic(name, options: TopicOptions()) }

    /// Creates a subscription with default options.
    public func createSubscription(_ name: String, topic: String) throws {
        try createSubscription(name, topic: topic, options: SubscriptionOptions())
    }

    /// Publishes one message and returns its id.
    @discardableResult
    public func publish(_ message: OutgoingMessage, to topic: String) throws -> Int64 {
        try publish([message], to: topic)[0]
    }
}

/// Options of a topic.
public struct TopicOptions: Hashable, Sendable {
    /// How long a `deduplicationID` is remembered; not negative.
    public var deduplicationWindow: Duration
    /// Free-form key-value labels, as a Pub/Sub topic has (the SQS endpoint keeps a queue's own
    /// attributes here).
    public var labels: [String: String]

    public init(deduplicationWindow: Duration = .seconds(600), labels: [String: String] = [:]) {
        self.deduplicationWindow = deduplicationWindow
        self.labels = labels
    }
}

/// Options of a subscription.
public struct SubscriptionOptions: Hashable, Sendable {
    /// The lease lengths a subscription or `modifyAckDeadline` may ask for (as in Pub/Sub, at
    /// most 10 minutes; this also keeps every lease end far from overflowing).
    public static let ackDeadlines = Duration.seconds(1)...Duration.seconds(600)

    /// How long a pulled message stays leased before it is delivered again: 1…600 seconds.
    public var ackDeadline: Duration
    /// After this many deliveries without an ack, a message moves to `deadLetterTopic`
    /// (nil = retry forever), with two attributes added: `deadLetterSourceSubscriptionKey`
    /// (this subscription) and `deadLetterSourceDeliveryCountKey` (its deliveries). Requires
    /// `deadLetterTopic`.
    public var maxDeliveryAttempts: Int?
    public var deadLetterTopic: String?
    /// How long acked messages are kept for `seek`; not negative.
    public var retainAckedMessages: Duration
    /// How messages are handed out (fixed when the subscription is made).
    public var delivery: Delivery

    /// How a subscription hands out messages.
    public enum Delivery: String, Hashable, Sendable {
        /// Pulled with leases and acked one by one; a message whose lease ends is delivered
        /// again, and one out of attempts can be dead-lettered (Pub/Sub's way).
        case leased
        /// Read in publish order by one reader that keeps its own position and commits how far
        /// it got (`read`, `commit`: a Kafka consumer's or Pub/Sub Lite's way). No lease or ack
        /// is kept per message, so reading costs the queue little; there are no delivery
        /// attempts, dead letters or seeks.
        case inOrder
    }

    /// The attribute a dead-lettered message carries naming the subscription it left.
    public static let deadLetterSourceSubscriptionKey = "deadLetterSourceSubscription"
    /// The attribute a dead-lettered message carries counting its deliveries there.
    public static let deadLetterSourceDeliveryCountKey = "deadLetterSourceDeliveryCount"

    public init(ackDeadline: Duration = .seconds(10), maxDeliveryAttempts: Int? = nil, deadLetterTopic: String? = nil,
                retainAckedMessages: Duration = .seconds(7 * 86_400), delivery: Delivery = .leased) {
        self.ackDeadline = ackDeadline
        self.maxDeliveryAttempts = maxDeliveryAttempts
        self.deadLetterTopic = deadLetterTopic
        self.retainAckedMessages = retainAckedMessages
        self.delivery = delivery
    }
}

/// A message to publish.
public struct OutgoingMessage: Hashable, Sendable {
    public var data: Data
    public var attributes: [String: String]
    /// Messages with the same ordering key are delivered in publish order, one at a time.
    public var orderingKey: String?
    /// A repeat publish with the same id inside the topic's window is dropped.
    public var deduplicationID: String?

    public init(data: Data, attributes: [String: String] = [:], orderingKey: String? = nil,
                deduplicationID: String? = nil) {
        self.data = data
        self.attributes = attributes
        self.orderingKey = orderingKey
        self.deduplicationID = deduplicationID
    }
}

/// A leased message handed to a consumer.
public struct ReceivedMessage: Hashable, Sendable {
    /// The id given at publish; increases in publish order across the database.
    public var messageID: Int64
    public var data: Data
    public var attributes: [String: String]
    public var orderingKey: String?
    public var publishTime: Instant
    /// 1 on first delivery, then 2, 3, …
    public var deliveryAttempt: Int
    /// Pass to ack, nack or modifyAckDeadline.
    public var ackID: String
}

/// A message as seen by `peek`, without leasing it.
public struct QueuedMessage: Hashable, Sendable {
    public var messageID: Int64
    public var data: Data
    public var attributes: [String: String]
    public var orderingKey: String?
    public var publishTime: Instant
    /// How many times it has been delivered so far.
    public var deliveryAttempts: Int
    /// When its current lease ends, if it is leased.
    public var leasedUntil: Instant?
}

/// A topic as listed by `topics()`.
public struct TopicInfo: Hashable, Sendable {
    public var name: String
    public var options: TopicOptions
    public var created: Instant
}

/// A subscription as listed by `subscriptions()`, with its counts.
public struct SubscriptionInfo: Hashable, Sendable {
    public var name: String
    public var topic: String
    public var options: SubscriptionOptions
    public var created: Instant
    /// Messages not yet acked (including leased ones), or, in order, not yet committed.
    public var backlog: Int
    /// Of the backlog, messages currently leased.
    public var leased: Int
    /// Messages moved to the dead-letter topic so far.
    public var deadLettered: Int
}
