/// Why a message-queue operation failed. Each description names the topic, subscription or field.
public enum MessageQueueError: Error, Equatable, CustomStringConvertible, Sendable {
    case topicNotFound(String)
    case subscriptionNotFound(String)
    /// The subscription exists but on another topic.
    case subscriptionConflict(name: String, existingTopic: String, requestedTopic: String)
    /// A name or option is not acceptable.
    case invalidArgument(field: String, reason: String)
    /// The operation does not apply to the subscription's kind of delivery (`pull` on an
    /// in-order subscription, `read` on a leased one).
    case wrongDelivery(subscription: String, delivery: SubscriptionOptions.Delivery, operation: String)
    /// An ack id was not made by `pull`.
    case invalidAckID(String)
    /// A `FaultPlan` injected a failure; nothing was stored.
    case injectedFault(operation: String, subject: String)
    /// `SQLiteMessageQueue(inspecting:)` found no database file.
    case queueNotFound(path: String)
    /// `SQLiteMessageQueue(inspecting:)` found a database without its tables yet: another process
    /// is creating the queue at this moment (or was killed doing so). Try again.
    case queueNotInitialised(path: String)
    /// The database has another schema version than this code's: a newer version made it, or
    /// (for `SQLiteMessageQueue(inspecting:)`, which changes nothing) an older one did, which a
    /// writer brings up to date.
    case queueSchemaMismatch(path: String, version: Int32)

    public var description: String {
        switch self {
        case .topicNotFound(let name): return "topic \(quoted(name)) does not exist"
        case .subscriptionNotFound(let name): return "subscription \(quoted(name)) does not exist"
        case .subscriptionConflict(let name, let existing, let requested):
            return "subscription \(quoted(name)) already exists on topic \(quoted(existing)), not \(quoted(requested))"
        case .invalidArgument(let field, let reason): return "invalid \(field): \(reason)"
        case .wrongDelivery(let subscription, .inOrder, let operation):
            return "subscription \(quoted(subscription)) is read in order (read, then commit); \(operation) applies to leased subscriptions"
        case .wrongDelivery(let subscription, .leased, let operation):
            return "subscription \(quoted(subscription)) is leased (pull, then ack); \(operation) applies to in-order subscriptions"
        case .invalidAckID(let id): return "ack id \(quoted(id)) was not returned by pull (expected \"<message id>:<delivery serial>\")"
        case .injectedFault(let operation, let subject):
            return "injected failure on \(operation) to \(quoted(subject)); nothing was stored"
        case .queueNotFound(let path): return "no queue database at \(quoted(path))"
        case .queueNotInitialised(let path):
            return "the queue is not initialised yet: \(quoted(path)) has no tables (a process may be creating it right now; try again)"
        case .queueSchemaMismatch(let path, let version) where version > QueueSchema.version:
            return "the queue \(quoted(path)) was made by a newer version (schema \(version), this one knows \(QueueSchema.version)); "
                + "use that version or a later one"
        case .queueSchemaMismatch(let path, let version):
            return "the queue \(quoted(path)) was made by an older version (schema \(version)) and cannot be read as it is; "
                + "open its root once with a command that writes to it (such as rehearse cloud serve) to bring it up to date"
        }
    }
}
