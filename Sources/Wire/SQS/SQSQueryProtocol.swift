import Foundation

/// SQS's older query protocol (`POST` of a form with `Action=SendMessage&…`), which the emulator
/// does not speak: such a request gets an answer in that protocol's XML error shape saying so,
/// rather than an S3 error about a method the client never meant for S3.
enum SQSQueryProtocol {
    /// Whether `request` is a query-protocol SQS call.
    static func isQueryCall(_ request: WireRequest) -> Bool {
        request.method == "POST"
            && (request.header("Content-Type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false)
            && (request.body.starts(with: Data("Action=".utf8)) || request.body.range(of: Data("&Action=".utf8)) != nil)
    }

    /// `400 InvalidAction`, in the query protocol's XML.
    static func unsupported(requestID: String) -> WireResponse {
        let message = "The SQS query protocol (Action=... forms) is not emulated; use a version of your SDK or CLI that speaks "
            + "SQS's JSON protocol (X-Amz-Target: AmazonSQS.*), as current boto3, AWS CLI and AWS SDK releases do"
        let body = """
            <?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>\
            <Code>InvalidAction</Code><Message>\(message)</Message><Detail/></Error><RequestId>\(requestID)</RequestId></ErrorResponse>
            """
        return WireResponse(status: 400, headers: [("Content-Type", "text/xml")], body: Data(body.utf8))
    }
}
