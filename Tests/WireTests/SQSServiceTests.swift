import Foundation
import JSON
import LocalCloud
import Synchronization
import Testing
import Wire

/// The SQS JSON protocol through the gateway, over the sandbox's SQLite queue.
@Suite("SQS over the wire")
struct SQSServiceTests {
    private func createQueue(_ cloud: WireFixture, _ name: String, attributes: [String: JSONValue] = [:]) async throws -> String {
        let created = await cloud.sqs("CreateQueue", ["QueueName": .string(name), "Attributes": .object(attributes)])
        #expect(created.status == 200, "\(created.json)")
        return try #require(created.json["QueueUrl"]?.string)
    }

    @Test("send, receive and delete: the message is the queue's, with SQS's MD5s, and is gone once deleted")
    func roundTrip() async throws {
        let cloud = try WireFixture()
        let url = try await createQueue(cloud, "jobs")
        #expect(url == "http://\(WireFixture.host)/000000000000/jobs")
        let sent = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "hi", "MessageAttributes": [
            "k": ["DataType": "String", "StringValue": "v"], "n": ["DataType": "Number", "StringValue": "7"]]])
        #expect(sent.json["MD5OfMessageBody"]?.string == "49f68a5c8493ec2c0bf489821c21fc3b")
        // AWS's documented digest of these two attributes (computed by its algorithm by hand).
        #expect(sent.json["MD5OfMessageAttributes"]?.string?.count == 32)
        #expect(try cloud.sandbox.queue.peek("jobs", limit: 10).map { String(decoding: $0.data, as: UTF8.self) } == ["hi"])
        let received = await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url), "MessageAttributeNames": ["All"],
                                                          "AttributeNames": ["All"]])
        let message = try #require(received.json["Messages"]?.array.first)
        #expect(message["Body"]?.string == "hi")
        #expect(message["MD5OfMessageAttributes"]?.string == sent.json["MD5OfMessageAttributes"]?.string)
        #expect(message["MessageAttributes"]?["n"]?["DataType"]?.string == "Number")
        #expect(message["Attributes"]?["ApproximateReceiveCount"]?.string == "1")
        let handle = try #require(message["ReceiptHandle"]?.string)
        #expect(await cloud.sqs("DeleteMessage", ["QueueUrl": .string(url), "ReceiptHandle": .string(handle)]).status == 200)
        #expect(try cloud.sandbox.queue.peek("jobs", limit: 10).isEmpty)
        let bad = await cloud.sqs("DeleteMessage", ["QueueUrl": .string(url), "ReceiptHandle": "junk"])
        #expect(bad.status == 400 && bad.json["__type"]?.string == "com.amazonaws.sqs#ReceiptHandleIsInvalid")
    }

    @Test("a receipt handle is its queue's: on another queue, deleting or changing visibility with it is ReceiptHandleIsInvalid and touches nothing")
    func receiptHandleOfAnotherQueue() async throws {
        let cloud = try WireFixture()
        let jobs = try await createQueue(cloud, "jobs")
        let other = try await createQueue(cloud, "other")
        for url in [jobs, other] { _ = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "hi"]) }
        let received = await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(jobs)])
        let handle = try #require(received.json["Messages"]?.array.first?["ReceiptHandle"]?.string)
        let deleted = await cloud.sqs("DeleteMessage", ["QueueUrl": .string(other), "ReceiptHandle": .string(handle)])
        #expect(deleted.status == 400 && deleted.json["__type"]?.string == "com.amazonaws.sqs#ReceiptHandleIsInvalid", "\(deleted.json)")
        let changed = await cloud.sqs("ChangeMessageVisibility", ["QueueUrl": .string(other), "ReceiptHandle": .string(handle), "VisibilityTimeout": 0])
        #expect(changed.status == 400 && changed.json["__type"]?.string == "com.amazonaws.sqs#ReceiptHandleIsInvalid", "\(changed.json)")
        let batch = await cloud.sqs("DeleteMessageBatch", ["QueueUrl": .string(other), "Entries": [["Id": "a", "ReceiptHandle": .string(handle)]]])
        #expect(batch.json["Failed"]?.array.first?["Code"]?.string == "ReceiptHandleIsInvalid", "\(batch.json)")
        #expect(try cloud.sandbox.queue.peek("jobs", limit: 10).count == 1 && cloud.sandbox.queue.peek("other", limit: 10).count == 1)
        #expect(await cloud.sqs("DeleteMessage", ["QueueUrl": .string(jobs), "ReceiptHandle": .string(handle)]).status == 200)
        #expect(try cloud.sandbox.queue.peek("jobs", limit: 10).isEmpty)
    }

    @Test("a call in SQS's older query protocol is told it is not emulated, not answered as S3")
    func queryProtocol() async throws {
        let cloud = try WireFixture()
        let response = await cloud.gateway.handle(WireRequest(method: "POST", target: "/", headers: [
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Host", WireFixture.host),
        ], body: Data("Action=ListQueues&Version=2012-11-05".utf8)))
        #expect(response.status == 400)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("<Code>InvalidAction</Code>") && text.contains("query protocol"), "\(text)")
    }

    @Test("an unknown queue is QueueDoesNotExist with the query code AWS SDKs report")
    func missingQueue() async throws {
        let cloud = try WireFixture()
        let response = await cloud.gateway.handle(WireRequest(method: "POST", target: "/", headers: [
            ("X-Amz-Target", "AmazonSQS.GetQueueUrl"), ("Host", WireFixture.host),
        ], body: Data(#"{"QueueName":"nope"}"#.utf8)))
        #expect(response.status == 403, "unsigned: \(response.text)")
        let missing = await cloud.sqs("GetQueueUrl", ["QueueName": "nope"])
        #expect(missing.status == 400 && missing.json["__type"]?.string == "com.amazonaws.sqs#QueueDoesNotExist")
    }

    @Test("the visibility timeout runs on the sandbox clock, and a redrive policy moves a message to the dead-letter queue")
    func visibilityAndRedrive() async throws {
        let cloud = try WireFixture()
        let deadURL = try await createQueue(cloud, "dead")
        let url = try await createQueue(cloud, "work", attributes: [
            "VisibilityTimeout": "10",
            "RedrivePolicy": .string(#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dead","maxReceiveCount":"2"}"#),
        ])
        // A dead-letter queue is of its source's kind: a FIFO source may not use the standard "dead".
        let mixed = await cloud.sqs("CreateQueue", ["QueueName": "orders.fifo", "Attributes": [
            "FifoQueue": "true", "RedrivePolicy": .string(#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dead","maxReceiveCount":2}"#)]])
        #expect(mixed.status == 400 && mixed.json["message"]?.string?.contains("same type of queue as the source") == true, "\(mixed.json)")
        let fifo = try await createQueue(cloud, "orders.fifo", attributes: ["FifoQueue": "true"])
        let later = await cloud.sqs("SetQueueAttributes", ["QueueUrl": .string(fifo), "Attributes": [
            "RedrivePolicy": .string(#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dead","maxReceiveCount":2}"#)]])
        #expect(later.status == 400 && later.json["message"]?.string?.contains("dead is a standard queue") == true, "\(later.json)")
        _ = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "poison", "MessageAttributes": [
            "k": ["DataType": "Number", "StringValue": "7"]]])
        for attempt in 1...2 {
            let received = await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url), "AttributeNames": ["ApproximateReceiveCount"]])
            #expect(received.json["Messages"]?.array.first?["Attributes"]?["ApproximateReceiveCount"]?.string == String(attempt))
            #expect(await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url)]).json["Messages"] == nil, "invisible while leased")
            cloud.clock.advance(by: .seconds(10))
        }
        #expect(await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url)]).json["Messages"] == nil)
        let dead = await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(deadURL), "MessageAttributeNames": ["All"]])
        #expect(dead.json["Messages"]?.array.first?["Body"]?.string == "poison")
        let deadAttributes = dead.json["Messages"]?.array.first?["MessageAttributes"]
        #expect(deadAttributes?["k"] != nil && deadAttributes == ["k": ["DataType": "Number", "StringValue": "7"]], "only the sender's attributes")
        let attributes = await cloud.sqs("GetQueueAttributes", ["QueueUrl": .string(url), "AttributeNames": ["All"]])
        #expect(attributes.json["Attributes"]?["VisibilityTimeout"]?.string == "10")
        #expect(attributes.json["Attributes"]?["RedrivePolicy"]?.string?.contains("arn:aws:sqs:us-east-1:000000000000:dead") == true)
    }

    @Test("ChangeMessageVisibility needs a message in flight: once deleted or its lease over, MessageNotInflight")
    func visibilityOfMessagesNotInFlight() async throws {
        let cloud = try WireFixture()
        let url = try await createQueue(cloud, "work", attributes: ["VisibilityTimeout": "10"])
        _ = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "a"])
        let received = await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url)])
        let handle = try #require(received.json["Messages"]?.array.first?["ReceiptHandle"]?.string)
        let change: JSONValue = ["QueueUrl": .string(url), "ReceiptHandle": .string(handle), "VisibilityTimeout": 30]
        #expect(await cloud.sqs("ChangeMessageVisibility", change).status == 200, "in flight")
        cloud.clock.advance(by: .seconds(30))
        let expired = await cloud.sqs("ChangeMessageVisibility", change)
        #expect(expired.status == 400 && expired.json["__type"]?.string == "com.amazonaws.sqs#MessageNotInflight", "\(expired.json)")
        let again = try #require(await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url)]).json["Messages"]?.array.first?["ReceiptHandle"]?.string)
        #expect(await cloud.sqs("DeleteMessage", ["QueueUrl": .string(url), "ReceiptHandle": .string(again)]).status == 200)
        let deleted = await cloud.sqs("ChangeMessageVisibilityBatch", ["QueueUrl": .string(url), "Entries": [
            ["Id": "one", "ReceiptHandle": .string(again), "VisibilityTimeout": 0]]])
        #expect(deleted.json["Failed"]?.array.first?["Code"]?.string == "MessageNotInflight", "\(deleted.json)")
    }

    @Test("a body or attribute with characters SQS refuses, or a Number attribute that is no number, is refused and nothing is queued")
    func refusedContents() async throws {
        let cloud = try WireFixture()
        let url = try await createQueue(cloud, "work")
        let nul = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "a\u{0}b"])
        #expect(nul.status == 400 && nul.json["__type"]?.string == "com.amazonaws.sqs#InvalidMessageContents", "\(nul.json)")
        #expect(nul.json["message"]?.string?.contains("'#x0'") == true)
        let control = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "x", "MessageAttributes": [
            "k": ["DataType": "String", "StringValue": "bell\u{7}"]]])
        #expect(control.status == 400 && control.json["message"]?.string?.contains("'#x7'") == true, "\(control.json)")
        for bad in ["abc", "1.2.3", "1e", "--1", ".", "1" + String(repeating: "2", count: 38)] {
            let sent = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "x", "MessageAttributes": [
                "n": ["DataType": "Number", "StringValue": .string(bad)]]])
            #expect(sent.status == 400 && sent.json["message"]?.string == "Can't cast the value of message (user) attribute 'n' to a number.", "\(bad)")
        }
        #expect(try cloud.sandbox.queue.peek("work", limit: 10).isEmpty)
        for good in ["7", "-0.5", "+12.", ".25", "6.02e23", "1E-10", "000123000", "1" + String(repeating: "0", count: 60)] {
            let sent = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "tab\tok", "MessageAttributes": [
                "n": ["DataType": "Number.float", "StringValue": .string(good)]]])
            #expect(sent.status == 200, "\(good): \(sent.json)")
        }
    }

    @Test("ids, group ids and attribute names SQS refuses are refused; CreateQueue again with default values is the same queue")
    func refusedNames() async throws {
        let cloud = try WireFixture()
        let url = try await createQueue(cloud, "work")
        for id in ["a b!", String(repeating: "a", count: 81), ""] {
            let sent = await cloud.sqs("SendMessageBatch", ["QueueUrl": .string(url), "Entries": [["Id": .string(id), "MessageBody": "x"]]])
            #expect(sent.json["__type"]?.string == "com.amazonaws.sqs#InvalidBatchEntryId", "\(id): \(sent.json)")
        }
        #expect(await cloud.sqs("SendMessageBatch", ["QueueUrl": .string(url), "Entries": [
            ["Id": .string("Ok_id-" + String(repeating: "9", count: 74)), "MessageBody": "x"]]]).json["Successful"]?.array.count == 1)
        for name in ["a b", ".ab", "ab.", "a..b", "AWS.x", "deadLetterSourceSubscription"] {
            let sent = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "x", "MessageAttributes": [
                .init(name): ["DataType": "String", "StringValue": "v"]]])
            #expect(sent.status == 400 && sent.json["__type"]?.string == "com.amazonaws.sqs#InvalidParameterValue", "\(name)")
        }
        let empty = await cloud.sqs("DeleteMessageBatch", ["QueueUrl": .string(url), "Entries": []])
        #expect(empty.json["message"]?.string == "There should be at least one DeleteMessageBatchRequestEntry in the request.")
        let fifo = try await createQueue(cloud, "jobs.fifo", attributes: ["FifoQueue": "true", "ContentBasedDeduplication": "true"])
        for group in ["a b", String(repeating: "g", count: 129)] {
            let sent = await cloud.sqs("SendMessage", ["QueueUrl": .string(fifo), "MessageBody": "x", "MessageGroupId": .string(group)])
            #expect(sent.status == 400 && sent.json["message"]?.string?.contains("MessageGroupId can only include") == true)
        }
        let same = await cloud.sqs("CreateQueue", ["QueueName": "work", "Attributes": [
            "VisibilityTimeout": "30", "DelaySeconds": "0", "MaximumMessageSize": "1048576"]])
        #expect(same.status == 200, "\(same.json)")
        let other = await cloud.sqs("CreateQueue", ["QueueName": "work", "Attributes": ["VisibilityTimeout": "31", "DelaySeconds": "0"]])
        #expect(other.json["message"]?.string?.hasSuffix("different value for attribute(s) VisibilityTimeout") == true, "\(other.json)")
        #expect(try cloud.sandbox.queue.peek("work", limit: 10).count == 1, "only the one good send")
        // The size limit counts the attributes with the body.
        let small = try await createQueue(cloud, "small", attributes: ["MaximumMessageSize": "1024"])
        let body = String(repeating: "b", count: 1000)
        #expect(await cloud.sqs("SendMessage", ["QueueUrl": .string(small), "MessageBody": .string(body)]).status == 200)
        let over = await cloud.sqs("SendMessage", ["QueueUrl": .string(small), "MessageBody": .string(body), "MessageAttributes": [
            "k": ["DataType": "String", "StringValue": .string(String(repeating: "v", count: 30))]]])
        #expect(over.status == 400 && over.json["message"]?.string?.contains("1000 of body and 37 of attributes") == true, "\(over.json)")
    }

    @Test("FIFO: a group is delivered in order, and content-based deduplication drops a repeat")
    func fifo() async throws {
        let cloud = try WireFixture()
        let url = try await createQueue(cloud, "orders.fifo", attributes: ["FifoQueue": "true", "ContentBasedDeduplication": "true"])
        let batch = await cloud.sqs("SendMessageBatch", ["QueueUrl": .string(url), "Entries": .array(["a", "b", "a", "c"].enumerated().map {
            ["Id": .string("e\($0.offset)"), "MessageBody": .string($0.element), "MessageGroupId": "g"]
        })])
        #expect(batch.json["Successful"]?.array.count == 4 && batch.json["Failed"]?.array.isEmpty == true)
        var bodies: [String] = []
        while let message = await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url)]).json["Messages"]?.array.first {
            bodies.append(message["Body"]?.string ?? "")
            _ = await cloud.sqs("DeleteMessage", ["QueueUrl": .string(url), "ReceiptHandle": message["ReceiptHandle"] ?? .null])
        }
        #expect(bodies == ["a", "b", "c"])
        // The system attributes of a FIFO message: its group, sequence and deduplication ids.
        _ = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "d", "MessageGroupId": "g", "MessageDeduplicationId": "order-7"])
        let received = await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url), "MessageSystemAttributeNames": ["All"]])
        let system = try #require(received.json["Messages"]?.array.first?["Attributes"])
        #expect(system["MessageGroupId"]?.string == "g" && system["MessageDeduplicationId"]?.string == "order-7", "\(system)")
        #expect(system["SequenceNumber"]?.string?.count == 20 && received.json["Messages"]?.array.first?["MessageAttributes"] == nil)
        let noGroup = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "x"])
        #expect(noGroup.status == 400 && noGroup.json["__type"]?.string == "com.amazonaws.sqs#MissingParameter")
    }

    @Test("a long poll waits on the clock and returns a message sent while it waits")
    func longPoll() async throws {
        let cloud = try WireFixture()
        let url = try await createQueue(cloud, "events")
        async let polled = cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url), "WaitTimeSeconds": 20])
        // The virtual clock does not move, so the poll can end only by finding the message.
        _ = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "late"])
        let message = await polled.json["Messages"]?.array.first
        #expect(message?["Body"]?.string == "late")
        _ = await cloud.sqs("DeleteMessage", ["QueueUrl": .string(url), "ReceiptHandle": message?["ReceiptHandle"] ?? .null])
        // With nothing to find, a poll ends only once the clock passes its wait: the clock is
        // moved on until it does.
        let done = Atomic<Bool>(false)
        let empty = Task {
            let result = await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url), "WaitTimeSeconds": 5])
            done.store(true, ordering: .releasing)
            return result
        }
        let start = cloud.clock.now
        while !done.load(ordering: .acquiring) {
            cloud.clock.advance(by: .seconds(1))
            await Task.yield()
        }
        #expect(await empty.value.json["Messages"] == nil)
        #expect(cloud.clock.now >= start.advanced(by: .seconds(5)))
    }

    @Test("when a scenario owns the clock (it stands still), a long poll that finds nothing answers at once", .timeLimit(.minutes(1)))
    func longPollInAScenario() async throws {
        let cloud = try WireFixture(clientsMoveClock: false)
        let url = try await createQueue(cloud, "events")
        let empty = await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url), "WaitTimeSeconds": 20])
        #expect(empty.status == 200 && empty.json["Messages"] == nil)
        _ = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "here"])
        let found = await cloud.sqs("ReceiveMessage", ["QueueUrl": .string(url), "WaitTimeSeconds": 20])
        #expect(found.json["Messages"]?.array.first?["Body"]?.string == "here")
    }

    @Test("purge empties a queue; delete removes it with its topic; batches check their entries")
    func purgeDeleteAndBatchRules() async throws {
        let cloud = try WireFixture()
        let url = try await createQueue(cloud, "tmp")
        _ = await cloud.sqs("SendMessage", ["QueueUrl": .string(url), "MessageBody": "x"])
        #expect(await cloud.sqs("PurgeQueue", ["QueueUrl": .string(url)]).status == 200)
        #expect(try cloud.sandbox.queue.peek("tmp", limit: 10).isEmpty)
        let tooMany = await cloud.sqs("SendMessageBatch", ["QueueUrl": .string(url), "Entries": .array((0..<11).map {
            ["Id": .string("e\($0)"), "MessageBody": "x"]
        })])
        #expect(tooMany.json["__type"]?.string == "com.amazonaws.sqs#TooManyEntriesInBatchRequest")
        let repeated = await cloud.sqs("SendMessageBatch", ["QueueUrl": .string(url), "Entries": [
            ["Id": "same", "MessageBody": "x"], ["Id": "same", "MessageBody": "y"]]])
        #expect(repeated.json["__type"]?.string == "com.amazonaws.sqs#BatchEntryIdsNotDistinct")
        #expect(await cloud.sqs("DeleteQueue", ["QueueUrl": .string(url)]).status == 200)
        #expect(try cloud.sandbox.queue.topics().isEmpty && cloud.sandbox.queue.subscriptions().isEmpty)
        #expect(await cloud.sqs("ListQueues", [:]).json["QueueUrls"] == nil)
    }

    @Test("a subscription made without SQS is a queue too: user code can consume a scenario's topic")
    func existingSubscription() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.queue.createTopic("predictions")
        try cloud.sandbox.queue.createSubscription("audit", topic: "predictions")
        try cloud.sandbox.queue.publish(OutgoingMessage(data: Data("p1".utf8), attributes: ["model": "v3"]), to: "predictions")
        let listed = await cloud.sqs("ListQueues", [:])
        #expect(listed.json["QueueUrls"]?.array.compactMap(\.string) == ["http://\(WireFixture.host)/000000000000/audit"])
        let received = await cloud.sqs("ReceiveMessage", ["QueueUrl": "http://x/000000000000/audit", "MessageAttributeNames": ["model"]])
        let message = try #require(received.json["Messages"]?.array.first)
        #expect(message["Body"]?.string == "p1" && message["MessageAttributes"]?["model"]?["StringValue"]?.string == "v3")
    }
}
