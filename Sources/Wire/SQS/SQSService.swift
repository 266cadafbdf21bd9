import Foundation
import JSON
import LocalCloud

/// The SQS JSON protocol (`X-Amz-Target: AmazonSQS.<Operation>`, what current AWS SDKs speak)
/// over a `MessageQueue`.
///
/// A queue is a subscription: its name is the queue's name, and a send publishes to its topic.
/// CreateQueue makes a topic and a subscription of the same name; a subscription a scenario made
/// is a queue too, so user code can consume it. Receipt handles are ack ids; message ids are
/// UUID-shaped forms of the queue's ids. What differs from AWS is listed in docs/wire.md.
public final class SQSService: Sendable {
    let queue: any MessageQueue
    let clock: any CloudClock
    /// How often a long poll looks again for messages while it waits.
    let pollInterval: Duration
    /// Whether a long poll waits for the clock to pass its wait; when false (the clock stands
    /// still while a scenario's command runs), a poll that finds nothing answers at once.
    let longPollsWait: Bool
    let directory: SQSQueueDirectory

    public init(queue: any MessageQueue, clock: any CloudClock, pollInterval: Duration = .milliseconds(20), longPollsWait: Bool = true) {
        self.queue = queue
        self.directory = SQSQueueDirectory(queue: queue)
        self.clock = clock
        self.pollInterval = pollInterval
        self.longPollsWait = longPollsWait
    }

    /// The operation a request names, or nil when it is not an SQS request.
    public static func operation(of request: WireRequest) -> String? {
        guard request.method == "POST", let target = request.header("X-Amz-Target"), target.hasPrefix("AmazonSQS.") else { return nil }
        return String(target.dropFirst("AmazonSQS.".count))
    }

    /// Answers one request; `host` (the `Host` header) makes queue URLs.
    public func handle(_ request: WireRequest, requestID: String) async -> WireResponse {
        var response: WireResponse
        do {
            let input = try SQSInput(request.body)
            let output = try await perform(Self.operation(of: request) ?? "", input, host: request.header("Host") ?? "localhost")
            response = WireResponse(status: 200, headers: [("Content-Type", "application/x-amz-json-1.0")],
                                    body: Data(output.canonicalText.utf8))
        } catch {
            response = error.response
        }
        response.headers.append(("x-amzn-RequestId", requestID))
        return response
    }

    private func perform(_ operation: String, _ input: SQSInput, host: String) async throws(SQSError) -> JSONValue {
        switch operation {
        case "CreateQueue": return try createQueue(input, host: host)
        case "GetQueueUrl": return try getQueueURL(input, host: host)
        case "ListQueues": return try listQueues(input, host: host)
        case "DeleteQueue": return try deleteQueue(input)
        case "PurgeQueue": return try purgeQueue(input)
        case "GetQueueAttributes": return try getQueueAttributes(input)
        case "SetQueueAttributes": return try setQueueAttributes(input)
        case "SendMessage": return try sendMessage(input)
        case "SendMessageBatch": return try sendMessageBatch(input)
        case "ReceiveMessage": return try await receiveMessage(input)
        case "DeleteMessage": return try deleteMessage(input)
        case "DeleteMessageBatch": return try deleteMessageBatch(input)
        case "ChangeMessageVisibility": return try changeVisibility(input)
        case "ChangeMessageVisibilityBatch": return try changeVisibilityBatch(input)
        default:
            throw SQSError("UnsupportedOperation", queryCode: "AWS.SimpleQueueService.UnsupportedOperation",
                           "rehearse cloud serve does not implement the SQS operation \(operation.isEmpty ? "(none named)" : operation)")
        }
    }

    /// Runs a queue call, turning its errors into SQS's.
    func queueCall<Result>(_ body: () throws -> Result) throws(SQSError) -> Result {
        do {
            return try body()
        } catch let error as MessageQueueError {
            throw SQSError(error)
        } catch let error as SQSError {
            throw error
        } catch {
            throw SQSError("InternalFailure", status: 500, "the queue failed: \(error)")
        }
    }

    static let account = "000000000000"
    static let region = "us-east-1"

    static func url(_ name: String, host: String) -> String { "http://\(host)/\(account)/\(name)" }
    static func arn(_ name: String) -> String { "arn:aws:sqs:\(region):\(account):\(name)" }

    /// The queue a `QueueUrl` names (its last path segment).
    static func queueName(_ input: SQSInput) throws(SQSError) -> String {
        let url = try input.requiredString("QueueUrl")
        guard let name = url.split(separator: "/").last, !name.isEmpty, !name.contains(":") else {
            throw SQSError("InvalidAddress", "The address \(url) is not valid for this endpoint.")
        }
        return String(name)
    }
}
