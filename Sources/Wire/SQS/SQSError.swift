import Foundation
import JSON
import LocalCloud

/// An SQS error as the JSON protocol answers it: `{"__type": "com.amazonaws.sqs#<code>",
/// "message": …}` with the older query-protocol code in `x-amzn-query-error`, which AWS SDKs
/// report as the error code.
public struct SQSError: Error, Equatable, Sendable {
    /// The JSON protocol's shape name: `QueueDoesNotExist`.
    public var code: String
    /// The query protocol's code: `AWS.SimpleQueueService.NonExistentQueue`.
    public var queryCode: String
    public var status: Int
    public var message: String

    public init(_ code: String, queryCode: String? = nil, status: Int = 400, _ message: String) {
        self.code = code
        self.queryCode = queryCode ?? code
        self.status = status
        self.message = message
    }

    static func queueDoesNotExist(_ name: String) -> SQSError {
        SQSError("QueueDoesNotExist", queryCode: "AWS.SimpleQueueService.NonExistentQueue",
                 "The specified queue does not exist: \(name)")
    }

    static func invalidParameter(_ message: String) -> SQSError { SQSError("InvalidParameterValue", message) }

    static func missingParameter(_ name: String) -> SQSError {
        SQSError("MissingParameter", "The request must contain the parameter \(name).")
    }

    static func invalidAttributeValue(_ name: String, _ why: String) -> SQSError {
        SQSError("InvalidAttributeValue", "Invalid value for the parameter \(name): \(why)")
    }

    /// The error for a queue failure.
    init(_ error: MessageQueueError) {
        switch error {
        case .subscriptionNotFound(let name), .topicNotFound(let name): self = .queueDoesNotExist(name)
        case .invalidAckID(let handle):
            self = SQSError("ReceiptHandleIsInvalid", "The input receipt handle \"\(handle)\" is not a valid receipt handle.")
        case .invalidArgument, .subscriptionConflict: self = .invalidParameter(error.description)
        case .wrongDelivery:  // an in-order subscription, which SQS's receive and delete do not fit
            self = SQSError("UnsupportedOperation", queryCode: "AWS.SimpleQueueService.UnsupportedOperation", error.description)
        case .injectedFault: self = SQSError("ServiceUnavailable", status: 503, error.description)
        case .queueNotFound, .queueNotInitialised, .queueSchemaMismatch: self = SQSError("InternalFailure", status: 500, error.description)
        }
    }

    /// The answer for this error.
    var response: WireResponse {
        let body: JSONValue = ["__type": .string("com.amazonaws.sqs#" + code), "message": .string(message)]
        return WireResponse(status: status, headers: [
            ("Content-Type", "application/x-amz-json-1.0"),
            ("x-amzn-query-error", "\(queryCode);\(status >= 500 ? "Receiver" : "Sender")"),
        ], body: Data(body.canonicalText.utf8))
    }
}
