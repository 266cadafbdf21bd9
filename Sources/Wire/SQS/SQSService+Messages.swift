import Crypto
import Determinism
import Foundation
import JSON
import LocalCloud

/// SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch), ChangeMessageVisibility(Batch).
extension SQSService {
    /// A checked message ready to publish, with what the answer reports about it.
    struct Outgoing {
        var message: OutgoingMessage
        var bodyMD5: String
        var attributesMD5: String?
    }

    func sendMessage(_ input: SQSInput) throws(SQSError) -> JSONValue {
        let entry = try directory.entry(try Self.queueName(input))
        let outgoing = try Self.outgoing(input, queue: entry)
        let id = try queueCall { try queue.publish([outgoing.message], to: entry.topic)[0] }
        return .object(Self.sent(outgoing, id: id, fifo: entry.isFIFO))
    }

    func sendMessageBatch(_ input: SQSInput) throws(SQSError) -> JSONValue {
        let entry = try directory.entry(try Self.queueName(input))
        let entries = try Self.batchEntries(input, entryName: "SendMessageBatchRequestEntry")
        var checked: [(id: String, outgoing: Outgoing)] = []
        var failed: [JSONValue] = []
        for item in entries {
            let id = try item.requiredString("Id")
            do throws(SQSError) {
                checked.append((id, try Self.outgoing(item, queue: entry)))
            } catch {
                failed.append(["Id": .string(id), "SenderFault": true, "Code": .string(error.code), "Message": .string(error.message)])
            }
        }
        let total = checked.reduce(0) { $0 + $1.outgoing.message.data.count }
        guard total <= 1_048_576 else {
            throw SQSError("BatchRequestTooLong", queryCode: "AWS.SimpleQueueService.BatchRequestTooLong",
                           "Batch requests cannot be longer than 1048576 bytes. You have sent \(total) bytes.")
        }
        let ids = try queueCall { try queue.publish(checked.map(\.outgoing.message), to: entry.topic) }
        let successful = zip(checked, ids).map { item, messageID -> JSONValue in
            var members = Self.sent(item.outgoing, id: messageID, fifo: entry.isFIFO)
            members["Id"] = .string(item.id)
            return .object(members)
        }
        return ["Successful": .array(successful), "Failed": .array(failed)]
    }

    func receiveMessage(_ input: SQSInput) async throws(SQSError) -> JSONValue {
        let entry = try directory.entry(try Self.queueName(input))
        let maxMessages = try input.int("MaxNumberOfMessages") ?? 1
        guard (1...10).contains(maxMessages) else {
            throw SQSError.invalidParameter("Value \(maxMessages) for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")
        }
        let wait = try input.int("WaitTimeSeconds") ?? Int(entry.attributes.label("ReceiveMessageWaitTimeSeconds")) ?? 0
        guard (0...20).contains(wait) else {
            throw SQSError.invalidParameter("Value \(wait) for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.")
        }
        let visibility = try input.int("VisibilityTimeout")
        if let visibility, !(0...600).contains(visibility) {
            throw SQSError.invalidParameter("Value \(visibility) for parameter VisibilityTimeout is invalid. Reason: expected 0…600 seconds here.")
        }
        let systemNames = try input.strings("AttributeNames") + input.strings("MessageSystemAttributeNames")
        let attributeNames = try input.strings("MessageAttributeNames")
        // A long poll waits on the cloud's clock: with a virtual clock, until it is moved on.
        let deadline = clock.now.advanced(by: .seconds(wait))
        var received: [ReceivedMessage] = []
        while true {
            received = try queueCall { try queue.pull(entry.name, maxMessages: maxMessages) }
            if !received.isEmpty || !longPollsWait || clock.now >= deadline { break }
            do { try await Task.sleep(for: pollInterval) } catch { break }
        }
        if let visibility, !received.isEmpty {
            _ = try queueCall { try queue.modifyAckDeadline(entry.name, ackIDs: received.map(\.ackID), deadline: .seconds(visibility)) }
        }
        guard !received.isEmpty else { return [:] }
        return ["Messages": .array(received.map { Self.json($0, queue: entry.name, systemNames: systemNames, attributeNames: attributeNames) })]
    }

    func deleteMessage(_ input: SQSInput) throws(SQSError) -> JSONValue {
        let entry = try directory.entry(try Self.queueName(input))
        let ackID = try SQSReceiptHandle.ackID(try input.requiredString("ReceiptHandle"), queue: entry.name)
        try queueCall { try queue.ack(entry.name, ackIDs: [ackID]) }
        return [:]
    }

    func deleteMessageBatch(_ input: SQSInput) throws(SQSError) -> JSONValue {
        let entry = try directory.entry(try Self.queueName(input))
        return try batch(input, entryName: "DeleteMessageBatchRequestEntry") { item throws(SQSError) in
            let ackID = try SQSReceiptHandle.ackID(try item.requiredString("ReceiptHandle"), queue: entry.name)
            try queueCall { try queue.ack(entry.name, ackIDs: [ackID]) }
        }
    }

    func changeVisibility(_ input: SQSInput) throws(SQSError) -> JSONValue {
        let entry = try directory.entry(try Self.queueName(input))
        try changeVisibility(input, queue: entry.name)
        return [:]
    }

    func changeVisibilityBatch(_ input: SQSInput) throws(SQSError) -> JSONValue {
        let entry = try directory.entry(try Self.queueName(input))
        return try batch(input, entryName: "ChangeMessageVisibilityBatchRequestEntry") { item throws(SQSError) in
            try changeVisibility(item, queue: entry.name)
        }
    }

    private func changeVisibility(_ input: SQSInput, queue name: String) throws(SQSError) {
        let handle = try input.requiredString("ReceiptHandle")
        let ackID = try SQSReceiptHandle.ackID(handle, queue: name)
        guard let seconds = try input.int("VisibilityTimeout") else { throw SQSError.missingParameter("VisibilityTimeout") }
        guard (0...600).contains(seconds) else {
            throw SQSError.invalidParameter("Value \(seconds) for parameter VisibilityTimeout is invalid. Reason: expected 0…600 seconds here.")
        }
        let changed = try queueCall { try queue.modifyAckDeadline(name, ackIDs: [ackID], deadline: .seconds(seconds)) }
        guard changed == 1 else {
            throw SQSError("MessageNotInflight", queryCode: "AWS.SimpleQueueService.MessageNotInflight",
                           "Value \(handle) for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.")
        }
    }

    /// Runs `body` for each entry of a batch: `{"Successful": [{Id}], "Failed": [{Id, Code, …}]}`.
    private func batch(_ input: SQSInput, entryName: String, _ body: (SQSInput) throws(SQSError) -> Void) throws(SQSError) -> JSONValue {
        var successful: [JSONValue] = []
        var failed: [JSONValue] = []
        for item in try Self.batchEntries(input, entryName: entryName) {
            let id = try item.requiredString("Id")
            do throws(SQSError) {
                try body(item)
                successful.append(["Id": .string(id)])
            } catch {
                failed.append(["Id": .string(id), "SenderFault": true, "Code": .string(error.code), "Message": .string(error.message)])
            }
        }
        return ["Successful": .array(successful), "Failed": .array(failed)]
    }

    /// A batch's `Entries` (each an `entryName`): 1–10, with distinct ids of 1–80 ASCII letters,
    /// digits, hyphens and underscores.
    private static func batchEntries(_ input: SQSInput, entryName: String) throws(SQSError) -> [SQSInput] {
        let entries = try input.entries("Entries")
        guard !entries.isEmpty else {
            throw SQSError("EmptyBatchRequest", queryCode: "AWS.SimpleQueueService.EmptyBatchRequest",
                           "There should be at least one \(entryName) in the request.")
        }
        guard entries.count <= 10 else {
            throw SQSError("TooManyEntriesInBatchRequest", queryCode: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                           "Maximum number of entries per request are 10. You have sent \(entries.count).")
        }
        var seen = Set<String>()
        for item in entries {
            let id = try item.requiredString("Id")
            guard (1...80).contains(id.unicodeScalars.count), id.unicodeScalars.allSatisfy({ scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
            }) else {
                throw SQSError("InvalidBatchEntryId", queryCode: "AWS.SimpleQueueService.InvalidBatchEntryId",
                               "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
            }
            guard seen.insert(id).inserted else {
                throw SQSError("BatchEntryIdsNotDistinct", queryCode: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                               "Id \(id) repeated.")
            }
        }
        return entries
    }

    /// Checks one message to send.
    private static func outgoing(_ input: SQSInput, queue entry: SQSQueueDirectory.Entry) throws(SQSError) -> Outgoing {
        let body = try input.requiredString("MessageBody")
        let limit = Int(entry.attributes.label("MaximumMessageSize")) ?? 1_048_576
        guard !body.isEmpty else { throw SQSError.invalidParameter("The request must contain a non-empty MessageBody.") }
        if let invalid = SQSMessageText.firstInvalidScalar(in: body) {
            throw SQSError("InvalidMessageContents", "Invalid binary character \(SQSMessageText.describe(invalid)) was found in the "
                               + "message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
        }
        if let delay = try input.int("DelaySeconds"), delay != 0 {
            throw SQSError.invalidParameter("DelaySeconds \(delay): delayed delivery is not emulated; send with 0")
        }
        let attributes = try SQSMessageAttributes(json: try input.object("MessageAttributes"))
        // As SQS: the body and the attributes (names, types and values) count together.
        guard body.utf8.count + attributes.byteSize <= limit else {
            throw SQSError.invalidParameter("One or more parameters are invalid. Reason: Message must be shorter than \(limit) bytes "
                                                + "(\(body.utf8.count) of body and \(attributes.byteSize) of attributes).")
        }
        let group = try input.string("MessageGroupId")
        var dedup = try input.string("MessageDeduplicationId")
        for (name, value) in [("MessageGroupId", group), ("MessageDeduplicationId", dedup)] {
            if let value, !(1...128).contains(value.utf8.count) || !value.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
                throw SQSError.invalidParameter("Value \(value) for parameter \(name) is invalid. Reason: \(name) can only include "
                                                    + "alphanumeric and punctuation characters. 1 to 128 in length.")
            }
        }
        if entry.isFIFO {
            guard group != nil else { throw SQSError.missingParameter("MessageGroupId") }
            if dedup == nil {
                guard entry.attributes.label("ContentBasedDeduplication") == "true" else {
                    throw SQSError.invalidParameter("The queue should either have ContentBasedDeduplication enabled or "
                                                        + "MessageDeduplicationId provided explicitly")
                }
                dedup = Hex.string(SHA256.hash(data: Data(body.utf8)))
            }
        } else if dedup != nil {
            throw SQSError.invalidParameter("The request include parameter that is not valid for this queue type: MessageDeduplicationId")
        }
        var stored = attributes.stored
        if let group { stored[SQSMessageAttributes.groupKey] = group }
        if entry.isFIFO, let dedup { stored[SQSMessageAttributes.deduplicationKey] = dedup }
        return Outgoing(
            message: OutgoingMessage(data: Data(body.utf8), attributes: stored, orderingKey: entry.isFIFO ? group : nil,
                                     deduplicationID: dedup),
            bodyMD5: Hex.string(Insecure.MD5.hash(data: Data(body.utf8))), attributesMD5: attributes.md5)
    }

    /// What a send answers for one message.
    private static func sent(_ outgoing: Outgoing, id: Int64, fifo: Bool) -> [String: JSONValue] {
        var members: [String: JSONValue] = ["MessageId": .string(SQSMessageID.string(id)), "MD5OfMessageBody": .string(outgoing.bodyMD5)]
        if let md5 = outgoing.attributesMD5 { members["MD5OfMessageAttributes"] = .string(md5) }
        if fifo { members["SequenceNumber"] = .string(String(format: "%020lld", id)) }
        return members
    }

    /// A received message as ReceiveMessage answers it.
    private static func json(_ message: ReceivedMessage, queue: String, systemNames: [String], attributeNames: [String]) -> JSONValue {
        let body = String(decoding: message.data, as: UTF8.self)
        var members: [String: JSONValue] = [
            "MessageId": .string(SQSMessageID.string(message.messageID)), "ReceiptHandle": .string(SQSReceiptHandle.make(ackID: message.ackID, queue: queue)),
            "MD5OfBody": .string(Hex.string(Insecure.MD5.hash(data: message.data))), "Body": .string(body),
        ]
        var system: [String: String] = [
            "SenderId": SQSService.account, "SentTimestamp": String(message.publishTime.nanosecondsSinceEpoch / 1_000_000),
            "ApproximateReceiveCount": String(message.deliveryAttempt),
        ]
        if let group = message.attributes[SQSMessageAttributes.groupKey] {
            system["MessageGroupId"] = group
            system["SequenceNumber"] = String(format: "%020lld", message.messageID)
        }
        if let deduplication = message.attributes[SQSMessageAttributes.deduplicationKey] {
            system["MessageDeduplicationId"] = deduplication
        }
        let chosen = systemNames.contains("All") ? system : system.filter { systemNames.contains($0.key) }
        if !chosen.isEmpty { members["Attributes"] = .object(chosen.mapValues { .string($0) }) }
        let attributes = SQSMessageAttributes(stored: message.attributes).selected(attributeNames)
        if let md5 = attributes.md5 {
            members["MessageAttributes"] = attributes.json
            members["MD5OfMessageAttributes"] = .string(md5)
        }
        return .object(members)
    }
}
