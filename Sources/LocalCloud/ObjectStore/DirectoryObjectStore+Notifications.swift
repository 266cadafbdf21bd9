import Foundation

/// Object notifications go through an outbox: each event is written to the index's `outbox`
/// table in the same transaction as the change it announces, and published to the queue after
/// the commit. A process killed in between leaves the event in the outbox, and the next write
/// with events of its own, or the next open of the store (by any process), publishes it, so
/// no event is ever lost. A put or
/// delete whose events cannot be published (say, a rule names a topic the queue lacks) throws
/// `notificationFailed` after committing; reads and opening the store never fail over it.
///
/// Delivery is at least once: a process killed after publishing but before clearing the outbox
/// row publishes it again later. Each message carries the deduplication id
/// `notificationDeduplicationID(_:generation:)` (generations are unique in a store, and the id
/// names the store), so a topic with a deduplication window drops such a repeat and nothing else.
extension DirectoryObjectStore {
    /// Runs `body` under the store lock in a write transaction, and writes the object events it
    /// records to the outbox in that same transaction. Returns the body's result and the outbox
    /// rows it added; pass those to `deliverNotifications(reporting:)` after it.
    func writeTransaction<Result>(_ body: (inout [ObjectEvent]) throws -> Result) throws
        -> (result: Result, notifications: Set<Int64>)
    {
        try lock.withLock {
            try index.database.immediateTransaction {
                var events: [ObjectEvent] = []
                let result = try body(&events)
                return (result, try enqueue(events))
            }
        }
    }

    /// Publishes the notifications in the outbox, oldest first, clearing each once the queue
    /// has it. Per topic, order is kept: after a failed publish, that topic's later rows wait
    /// for the next delivery too. A row whose topic does not exist can never go out and is
    /// dropped. Does nothing without a notification queue.
    /// - Parameter reporting: the rows of the write being finished; only their failure throws
    ///   (older rows are retried without failing an unrelated write).
    /// - Throws: `ObjectStoreError.notificationFailed` for the first of `reporting` not published.
    func deliverNotifications(reporting own: Set<Int64> = []) throws {
        guard let queue = options.notificationQueue, !isReadOnly else { return }
        var failure: ObjectStoreError?
        var blocked: [String: String] = [:]  // topic → why its delivery stopped
        try lock.withLock {
            try index.database.immediateTransaction {
                for pending in try index.pendingNotifications() {
                    var reason = blocked[pending.topic]
                    if reason == nil {
                        do {
                            try queue.publish(pending.message, to: pending.topic)
                            try index.deleteNotification(id: pending.id)
                        } catch MessageQueueError.topicNotFound {
                            try index.deleteNotification(id: pending.id)  // it can never go out
                            reason = "\(MessageQueueError.topicNotFound(pending.topic))"
                        } catch {
                            reason = "\(error)"
                            blocked[pending.topic] = reason
                        }
                    }
                    if let reason, failure == nil, own.contains(pending.id) {
                        failure = .notificationFailed(
                            bucket: pending.message.attributes["bucketId"] ?? "",
                            key: pending.message.attributes["objectId"] ?? "", topic: pending.topic, reason: reason)
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    /// The deduplication id of this store's notification for the `type` event of a generation:
    /// `<store>/<eventType>/<generation>`, where `<store>` is eight hex digits of the MD5 of the
    /// store's root path (so two stores publishing to one topic never drop each other's events).
    public func notificationDeduplicationID(_ type: ObjectEventType, generation: Int64) -> String {
        String(md5Hex(Data(root.standardizedFileURL.path.utf8)).prefix(8)) + "/" + type.rawValue + "/" + String(generation)
    }

    /// Writes the messages of `events` for every matching rule to the outbox; call inside a
    /// write transaction. Returns the rows added.
    private func enqueue(_ events: [ObjectEvent]) throws -> Set<Int64> {
        guard options.notificationQueue != nil else { return [] }
        var rows: Set<Int64> = []
        for event in events {
            for rule in options.notifications where rule.matches(event) {
                rows.insert(try index.enqueueNotification(topic: rule.topic, message: event.message(
                    deduplicationID: notificationDeduplicationID(event.type, generation: event.metadata.generation))))
            }
        }
        return rows
    }
}
