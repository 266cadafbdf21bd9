import Foundation
import JSON
import LocalCloud

/// CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, PurgeQueue, Get/SetQueueAttributes.
extension SQSService {
    func createQueue(_ input: SQSInput, host: String) throws(SQSError) -> JSONValue {
        let name = try input.requiredString("QueueName")
        try Self.validate(queueName: name)
        let requested = try input.stringMap("Attributes")
        let isFIFO = name.hasSuffix(".fifo")
        if isFIFO && requested["FifoQueue"] != "true" {
            throw SQSError.invalidParameter("The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
                                                + "underscores, must end with .fifo suffix: set the attribute FifoQueue=true")
        }
        if let existing = try directory.lookUp(name) {
            var wanted = existing.attributes
            try wanted.apply(requested.filter { $0.key != "FifoQueue" }, queueIsFIFO: isFIFO, creating: false)
            // Compared by value: an attribute given at its default equals one never set.
            let differing = requested.keys.sorted().filter { name in
                switch name {
                case "VisibilityTimeout": wanted.options.ackDeadline != existing.attributes.options.ackDeadline
                case "RedrivePolicy": wanted.options.maxDeliveryAttempts != existing.attributes.options.maxDeliveryAttempts
                    || wanted.options.deadLetterTopic != existing.attributes.options.deadLetterTopic
                default: wanted.label(name) != existing.attributes.label(name)
                }
            }
            guard differing.isEmpty else {
                throw SQSError("QueueNameExists", queryCode: "QueueAlreadyExists",
                               "A queue already exists with the same name and a different value for attribute(s) "
                                   + differing.joined(separator: ", "))
            }
            return ["QueueUrl": .string(Self.url(name, host: host))]
        }
        var attributes = SQSQueueAttributes(options: SubscriptionOptions(ackDeadline: .seconds(30)), labels: [:])
        try attributes.apply(requested, queueIsFIFO: isFIFO, creating: true)
        if let deadLetter = attributes.options.deadLetterTopic {
            attributes.options.deadLetterTopic = try deadLetterTopic(deadLetter, sourceIsFIFO: isFIFO)
        }
        try queueCall {
            // FIFO queues drop a repeated deduplication id for five minutes, as SQS does.
            try queue.createTopic(name, options: TopicOptions(deduplicationWindow: .seconds(isFIFO ? 300 : 0), labels: attributes.labels))
            try queue.createSubscription(name, topic: name, options: attributes.options)
        }
        directory.forget(name)
        return ["QueueUrl": .string(Self.url(name, host: host))]
    }

    func getQueueURL(_ input: SQSInput, host: String) throws(SQSError) -> JSONValue {
        let name = try input.requiredString("QueueName")
        _ = try directory.entry(name)
        return ["QueueUrl": .string(Self.url(name, host: host))]
    }

    func listQueues(_ input: SQSInput, host: String) throws(SQSError) -> JSONValue {
        let prefix = try input.string("QueueNamePrefix") ?? ""
        let maxResults = try input.int("MaxResults")
        if let maxResults, !(1...1000).contains(maxResults) {
            throw SQSError.invalidParameter("Value \(maxResults) for parameter MaxResults is invalid. Reason: must be between 1 and 1000.")
        }
        let after = try input.string("NextToken")
        let names = try queueCall { try queue.subscriptions() }.map(\.name)
            .filter { $0.hasPrefix(prefix) && (after == nil || $0 > after!) }
        let page = names.prefix(maxResults ?? 1000)
        var output: [String: JSONValue] = [:]
        if !page.isEmpty { output["QueueUrls"] = .array(page.map { .string(Self.url($0, host: host)) }) }
        if let maxResults, names.count > maxResults, let last = page.last { output["NextToken"] = .string(last) }
        return .object(output)
    }

    func deleteQueue(_ input: SQSInput) throws(SQSError) -> JSONValue {
        let entry = try directory.entry(try Self.queueName(input))
        try queueCall {
            try queue.deleteSubscription(entry.name)
            // The topic goes too when it was the queue's own and nothing else uses it.
            if entry.topic == entry.name { try? queue.deleteTopic(entry.topic) }
        }
        directory.forget(entry.name)
        return [:]
    }

    func purgeQueue(_ input: SQSInput) throws(SQSError) -> JSONValue {
        let entry = try directory.entry(try Self.queueName(input))
        // A seek to just after now acknowledges everything published so far.
        try queueCall { try queue.seek(entry.name, to: clock.now.advanced(by: .nanoseconds(1))) }
        return [:]
    }

    func getQueueAttributes(_ input: SQSInput) throws(SQSError) -> JSONValue {
        let name = try Self.queueName(input)
        guard let entry = try directory.lookUp(name) else { throw SQSError.queueDoesNotExist(name) }
        let wanted = try input.strings("AttributeNames")
        var all: [String: String] = [
            "QueueArn": Self.arn(name),
            "ApproximateNumberOfMessages": String(entry.backlog - entry.leased),
            "ApproximateNumberOfMessagesNotVisible": String(entry.leased),
            "ApproximateNumberOfMessagesDelayed": "0",
            "CreatedTimestamp": String(entry.created.secondsSinceEpoch),
            "LastModifiedTimestamp": String(entry.created.secondsSinceEpoch),
            "VisibilityTimeout": String(entry.attributes.options.ackDeadline.components.seconds),
        ]
        for (label, rule) in SQSQueueAttributes.labelled where !rule.default.isEmpty || entry.attributes.labels[SQSQueueAttributes.labelPrefix + label] != nil {
            all[label] = entry.attributes.label(label)
        }
        if !entry.isFIFO {
            all["FifoQueue"] = nil
            all["ContentBasedDeduplication"] = nil
            all["DeduplicationScope"] = nil
            all["FifoThroughputLimit"] = nil
        }
        if let attempts = entry.attributes.options.maxDeliveryAttempts, let deadLetter = entry.attributes.options.deadLetterTopic {
            let policy: JSONValue = ["deadLetterTargetArn": .string(Self.arn(deadLetter)), "maxReceiveCount": .integer(attempts)]
            all["RedrivePolicy"] = policy.canonicalText
        }
        if let unknown = wanted.first(where: { !Self.queueAttributeNames.contains($0) }) {
            throw SQSError("InvalidAttributeName", "Unknown Attribute \(unknown).")
        }
        let selected = wanted.contains("All") ? all : all.filter { wanted.contains($0.key) }
        return selected.isEmpty ? [:] : ["Attributes": .object(selected.mapValues { .string($0) })]
    }

    func setQueueAttributes(_ input: SQSInput) throws(SQSError) -> JSONValue {
        let name = try Self.queueName(input)
        guard var entry = try directory.lookUp(name) else { throw SQSError.queueDoesNotExist(name) }
        let requested = try input.stringMap("Attributes")
        try entry.attributes.apply(requested, queueIsFIFO: entry.isFIFO, creating: false)
        if requested["RedrivePolicy"] != nil, let deadLetter = entry.attributes.options.deadLetterTopic {
            entry.attributes.options.deadLetterTopic = try deadLetterTopic(deadLetter, sourceIsFIFO: entry.isFIFO)
        }
        try queueCall {
            try queue.updateSubscription(name, options: entry.attributes.options)
            try queue.setLabels(entry.attributes.labels, topic: entry.topic)
        }
        directory.forget(name)
        return [:]
    }

    /// Every name GetQueueAttributes knows.
    static let queueAttributeNames = Set(SQSQueueAttributes.labelled.keys).union([
        "All", "QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp", "VisibilityTimeout", "RedrivePolicy",
    ])

    /// 1–80 characters of letters, digits, `-` and `_` (plus `.fifo` for a FIFO queue).
    static func validate(queueName name: String) throws(SQSError) {
        let base = name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        let allowed = base.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 45 || byte == 95
        }
        guard !base.isEmpty, name.count <= 80, allowed else {
            throw SQSError.invalidParameter("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length: \(name)")
        }
    }

    /// The topic of dead-letter queue `name`, which must be of the source's kind, as SQS requires.
    private func deadLetterTopic(_ name: String, sourceIsFIFO: Bool) throws(SQSError) -> String {
        let deadLetter = try directory.entry(name)
        guard deadLetter.isFIFO == sourceIsFIFO else {
            throw SQSError.invalidAttributeValue("RedrivePolicy", "Dead-letter target must be the same type of queue as the source: "
                                                     + "\(name) is \(deadLetter.isFIFO ? "a FIFO" : "a standard") queue, the source \(sourceIsFIFO ? "a FIFO" : "a standard") one.")
        }
        return deadLetter.topic
    }
}
