import Foundation

/// Changing and deleting topics and subscriptions after they were made (what the SQS endpoint's
/// SetQueueAttributes and DeleteQueue need). Each change is one write transaction.
extension SQLiteMessageQueue {
    public func setLabels(_ labels: [String: String], topic: String) throws {
        try write { connection in
            let database = connection.database
            try database.immediateTransaction {
                try requireTopic(topic, in: database)
                try database.statement("UPDATE topics SET labels = ? WHERE name = ?")
                    .run([.blob(AttributeCoding.encode(labels)), .text(topic)])
            }
        }
    }

    public func updateSubscription(_ name: String, options: SubscriptionOptions) throws {
        try write { connection in
            let database = connection.database
            try database.immediateTransaction {
                guard let (topic, inOrder) = try database.statement("SELECT topic, cursor IS NOT NULL FROM subscriptions WHERE name = ?")
                    .firstRow([.text(name)], { ($0.string(0), $0.int64(1) != 0) })
                else { throw MessageQueueError.subscriptionNotFound(name) }
                try Self.validate(options, topic: topic)
                try Self.requireSameDelivery(options.delivery, existingInOrder: inOrder, subscription: name)
                if let deadLetter = options.deadLetterTopic { try requireTopic(deadLetter, in: database) }
                try database.statement("""
                    UPDATE subscriptions SET ack_deadline_ns = ?, max_attempts = ?, dead_letter_topic = ?, retention_ns = ?
                    WHERE name = ?
                    """).run([
                        .integer(options.ackDeadline.nanosecondsClamped), .optional(options.maxDeliveryAttempts.map(Int64.init)),
                        .optional(options.deadLetterTopic), .integer(options.retainAckedMessages.nanosecondsClamped), .text(name),
                    ])
            }
        }
    }

    public func deleteSubscription(_ name: String) throws {
        try write { connection in
            let database = connection.database
            try database.immediateTransaction {
                guard let topic = try database.statement("SELECT topic FROM subscriptions WHERE name = ?")
                    .firstRow([.text(name)], { $0.string(0) })
                else { throw MessageQueueError.subscriptionNotFound(name) }
                try database.statement("DELETE FROM deliveries WHERE subscription = ?").run([.text(name)])
                try database.statement("DELETE FROM leases WHERE subscription = ?").run([.text(name)])
                try database.statement("DELETE FROM subscriptions WHERE name = ?").run([.text(name)])
                try database.statement("DELETE FROM messages WHERE topic = ? AND \(QueueSchema.heldByNoSubscription)").run([.text(topic)])
            }
        }
    }

    public func deleteTopic(_ name: String) throws {
        try write { connection in
            let database = connection.database
            try database.immediateTransaction {
                try requireTopic(name, in: database)
                let users = try database.statement(
                    "SELECT name FROM subscriptions WHERE topic = ?1 OR dead_letter_topic = ?1 ORDER BY name")
                    .rows([.text(name)]) { $0.string(0) }
                guard users.isEmpty else {
                    throw MessageQueueError.invalidArgument(
                        field: "topic", reason: "\(quoted(name)) is still used by the subscriptions \(users.map(quoted).joined(separator: ", ")); delete them or move their dead letters first")
                }
                try database.statement("DELETE FROM dedup WHERE topic = ?").run([.text(name)])
                try database.statement("DELETE FROM topics WHERE name = ?").run([.text(name)])
            }
        }
    }
}
