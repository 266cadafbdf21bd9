import Foundation
import JSON
import LocalCloud

/// A queue's SQS attributes and where each lives: `VisibilityTimeout` and `RedrivePolicy` in the
/// subscription's options, the rest as labels (`sqs.<name>`) on the queue's topic.
struct SQSQueueAttributes {
    /// Attributes kept as labels and their defaults; the ones marked `enforced` change behaviour,
    /// the others are remembered and reported only.
    static let labelled: [String: (default: String, range: ClosedRange<Int>?)] = [
        "MessageRetentionPeriod": ("345600", 60...1_209_600),
        "MaximumMessageSize": ("1048576", 1024...1_048_576),
        "ReceiveMessageWaitTimeSeconds": ("0", 0...20),
        "DelaySeconds": ("0", 0...0),
        "ContentBasedDeduplication": ("false", nil),
        "FifoQueue": ("false", nil),
        "Policy": ("", nil), "RedriveAllowPolicy": ("", nil), "KmsMasterKeyId": ("", nil),
        "KmsDataKeyReusePeriodSeconds": ("300", 60...86_400), "SqsManagedSseEnabled": ("false", nil),
        "DeduplicationScope": ("queue", nil), "FifoThroughputLimit": ("perQueue", nil),
    ]
    static let labelPrefix = "sqs."

    var options: SubscriptionOptions
    var labels: [String: String]

    /// Applies `attributes` (as sent to CreateQueue or SetQueueAttributes) over what a queue has.
    /// - Throws: `InvalidAttributeName` or `InvalidAttributeValue`, naming the attribute.
    mutating func apply(_ attributes: [String: String], queueIsFIFO: Bool, creating: Bool) throws(SQSError) {
        for name in attributes.keys.sorted() {
            let value = attributes[name]!
            switch name {
            case "VisibilityTimeout":
                guard let seconds = Int(value), (1...600).contains(seconds) else {
                    throw SQSError.invalidAttributeValue(name, "expected 1…600 seconds here (SQS allows 0…43200; the "
                                                             + "local queue's lease is 1…600), got \(value)")
                }
                options.ackDeadline = .seconds(seconds)
            case "RedrivePolicy":
                if value.isEmpty {
                    options.maxDeliveryAttempts = nil
                    options.deadLetterTopic = nil
                    continue
                }
                let policy = try Self.redrivePolicy(value)
                options.maxDeliveryAttempts = policy.maxReceiveCount
                options.deadLetterTopic = policy.deadLetterQueue
            case "FifoQueue":
                guard creating else { throw SQSError("InvalidAttributeName", "FifoQueue can be set only when the queue is created") }
                guard (value == "true") == queueIsFIFO else {
                    throw SQSError.invalidAttributeValue(name, "a FIFO queue's name ends in .fifo, and only such a queue has FifoQueue=true")
                }
                labels[Self.labelPrefix + name] = value
            case "ContentBasedDeduplication" where !queueIsFIFO:
                throw SQSError("InvalidAttributeName", "Unknown Attribute ContentBasedDeduplication (only FIFO queues have it).")
            default:
                guard let rule = Self.labelled[name] else { throw SQSError("InvalidAttributeName", "Unknown Attribute \(name).") }
                if let range = rule.range {
                    guard let number = Int(value), range.contains(number) else {
                        throw SQSError.invalidAttributeValue(name, "expected \(range.lowerBound)…\(range.upperBound)"
                                                                 + (name == "DelaySeconds" ? " (delayed delivery is not emulated)" : "")
                                                                 + ", got \(value)")
                    }
                } else if rule.default == "false", value != "true" && value != "false" {
                    throw SQSError.invalidAttributeValue(name, "expected true or false, got \(value)")
                }
                labels[Self.labelPrefix + name] = value
            }
        }
    }

    /// A labelled attribute's value (its default when never set).
    func label(_ name: String) -> String { labels[Self.labelPrefix + name] ?? Self.labelled[name]?.default ?? "" }

    /// `{"deadLetterTargetArn": "arn:…:<queue>", "maxReceiveCount": N}`.
    static func redrivePolicy(_ text: String) throws(SQSError) -> (deadLetterQueue: String, maxReceiveCount: Int) {
        let invalid = SQSError.invalidAttributeValue("RedrivePolicy", "expected {\"deadLetterTargetArn\": \"arn:aws:sqs:…:<queue>\", "
                                                         + "\"maxReceiveCount\": 1…1000}, got \(text)")
        guard case .object(let members)? = try? JSONParser.parse(text),
              case .string(let arn)? = members["deadLetterTargetArn"], let queue = arn.split(separator: ":").last
        else { throw invalid }
        let count: Int?
        switch members["maxReceiveCount"] {
        case .number(let number)?: count = Int(exactly: number)
        case .string(let digits)?: count = Int(digits)
        default: count = nil
        }
        guard let count, (1...1000).contains(count) else { throw invalid }
        return (String(queue), count)
    }
}
