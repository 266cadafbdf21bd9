import LocalCloud
import Synchronization

/// Finds queues (subscriptions) with their topic and attributes, remembering what it found: a
/// send or receive then costs no listing. SetQueueAttributes, CreateQueue and DeleteQueue through
/// this endpoint refresh it; a subscription deleted behind its back fails on use as
/// `QueueDoesNotExist`.
final class SQSQueueDirectory: Sendable {
    struct Entry {
        var name: String
        var topic: String
        var created: Instant
        var attributes: SQSQueueAttributes
        /// Messages held (available or leased) and leased, when the entry was read: current in
        /// `lookUp`'s answer, stale in the cache's.
        var backlog: Int
        var leased: Int
        var isFIFO: Bool { name.hasSuffix(".fifo") }
    }

    private let queue: any MessageQueue
    private let cache = Mutex<[String: Entry]>([:])

    init(queue: any MessageQueue) { self.queue = queue }

    /// The queue `name`, or `QueueDoesNotExist`.
    func entry(_ name: String) throws(SQSError) -> Entry {
        if let entry = cache.withLock({ $0[name] }) { return entry }
        guard let entry = try lookUp(name) else { throw SQSError.queueDoesNotExist(name) }
        cache.withLock { $0[name] = entry }
        return entry
    }

    /// Reads the queue afresh (nil when there is none).
    func lookUp(_ name: String) throws(SQSError) -> Entry? {
        do {
            guard let subscription = try queue.subscriptions().first(where: { $0.name == name }) else {
                forget(name)
                return nil
            }
            let labels = try queue.topics().first { $0.name == subscription.topic }?.options.labels ?? [:]
            return Entry(name: name, topic: subscription.topic, created: subscription.created,
                         attributes: SQSQueueAttributes(options: subscription.options, labels: labels),
                         backlog: subscription.backlog, leased: subscription.leased)
        } catch {
            throw SQSError("InternalFailure", status: 500, "the queue failed: \(error)")
        }
    }

    func forget(_ name: String) { _ = cache.withLock { $0.removeValue(forKey: name) } }
}
