import JSON

/// A v2-shaped error body: `{"title", "detail", "type"}` (plus `status` and, for streaming
/// problems, `connection_issue`, as v2 sends them) with its HTTP status.
struct StreamProblem: Error, Sendable {
    let status: Int
    let title: String
    let detail: String
    let type: String
    var extra: [String: JSONValue] = [:]

    var body: String {
        var members: [String: JSONValue] = ["title": .string(title), "detail": .string(detail), "type": .string(type)]
        members.merge(extra) { _, new in new }
        return JSONValue.object(members).canonicalText
    }

    /// 400: a request v2 would refuse, `detail` naming the field or parameter.
    static func invalidRequest(_ detail: String) -> StreamProblem {
        StreamProblem(status: 400, title: "Invalid Request", detail: detail, type: "https://api.twitter.com/2/problems/invalid-request")
    }

    /// 401: no bearer token, or not the stream's.
    static let unauthorized = StreamProblem(
        status: 401, title: "Unauthorized",
        detail: "expected the header Authorization: Bearer <token> with the stream's token", type: "about:blank",
        extra: ["status": 401])

    /// 429: a stream is connected already (v2 allows one per app).
    static let tooManyConnections = StreamProblem(
        status: 429, title: "ConnectionException",
        detail: "This stream is currently at the maximum allowed connection limit.",
        type: "https://api.twitter.com/2/problems/streaming-connection",
        extra: ["connection_issue": "TooManyConnections"])

    /// 404 and other statuses the router gives (405 for a known path with another method).
    static func routing(status: Int, method: String, path: String) -> StreamProblem {
        if status == 404 {
            return StreamProblem(status: 404, title: "Not Found Error", detail: "no endpoint \(method) \(path); this stream serves GET /2/tweets/search/stream, GET and POST /2/tweets/search/stream/rules, and GET /status",
                                 type: "https://api.twitter.com/2/problems/resource-not-found", extra: ["status": 404])
        }
        return StreamProblem(status: status, title: "Invalid Request", detail: "\(method) \(path) is not supported (HTTP \(status))",
                             type: "about:blank", extra: ["status": .integer(status)])
    }
}
