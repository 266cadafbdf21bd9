import Foundation

/// Object notifications go through an outbox: each event is written to the index's `outbox`
/// table in the same transaction as the change it announces, and published to the queue after
/// the commit. A process killed in between leaves the event in the outbox, and the next write
/// or open of the store (by any process) publishes it, so no event is ever lost. A put or
/// delete whose events cannot be published (say, a rule names a topic the queue lacks) throws
/// `notificationFailed` after committing; reads and opening the store never fail over it.
///
/// Delivery is at least once: a process killed after publishing but before clearing the outbox
/// row publishes it again later. Each message carries the deduplication id
/// `notificationDeduplicationID(_:generation:)` (generations are unique in a store, and the id
/// names the store), so a topic with a deduplication window drops such a repeat and nothing else.
extension DirectoryObjectStore {
    /// Runs `body` under the store lock in a write transaction, and writes the object events it
    /// records to the outbox in that same transaction. Call `deliverNotifications()` after it.
    func writeTransaction<Result>(_ body: (inout [ObjectEvent]) throws -> Result) throws -> Result {
        try lock.withLock {
            try index.database.immediateTransaction {
                var events: [ObjectEvent] = []
                let result = try body(&events)
                try enqueue(events)
                return result
            }
        }
    }

    /// Publishes every notification in the outbox, oldest first, clearing each once the queue
    /// has it; one that fails stays for the next delivery (unless its topic does not exist:
    /// that one is dropped), and the others still go out. Does nothing without a notification
    /// queue.
    /// - Throws: `ObjectStoreError.notificationFailed` for the first publish that failed.
    func deliverNotifications() throws {
        guard let queue = options.notificationQueue, !isReadOnly else { return }
        var failure: ObjectStoreError?
        try lock.withLock {
            try index.database.immediateTransaction {
                for pending in try index.pendingNotifications() {
                    do {
                        do {
                            try queue.publish(pending.message, to: pending.topic)
                        } catch MessageQueueError.topicNotFound {
                            // It can never go out: report it once, and do not retry it forever.
                            try index.deleteNotification(id: pending.id)
                            throw MessageQueueError.topicNotFound(pending.topic)
                        }
                        try index.deleteNotification(id: pending.id)
                    } catch {
                        if failure == nil {
                            failure = .notificationFailed(
                                bucket: pending.message.attributes["bucketId"] ?? "",
                                key: pending.message.attributes["objectId"] ?? "", topic: pending.topic, reason: "\(error)")
                        }
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
    /// write transaction.
    private func enqueue(_ events: [ObjectEvent]) throws {
        guard options.notificationQueue != nil else { return }
        for event in events {
            for rule in options.notifications where rule.matches(event) {
                try index.enqueueNotification(topic: rule.topic, message: event.message(
                    deduplicationID: notificationDeduplicationID(event.type, generation: event.metadata.generation)))
            }
        }
    }
}
