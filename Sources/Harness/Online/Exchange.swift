import JSON

/// One request a step sent and what came back: a response, or a transport failure (refused,
/// reset, timed out) described in words.
struct Exchange: Sendable {
    /// What was sent.
    let request: PlannedRequest
    /// The response status, or nil when no response came.
    let status: Int?
    /// Response headers, names lowercased, in order.
    let headers: [(name: String, value: String)]
    /// The response body.
    let body: [UInt8]
    /// Why no response came, when none did.
    let failure: String?
    /// What kind of failure it was: `refused` (no connection), `reset` (the connection closed
    /// before any answer), `timeout`, or `failed`.
    let failureKind: String?
    /// How long the exchange took (reports only, never goldens).
    let elapsed: Duration

    /// The body as JSON, when it is JSON.
    var json: JSONValue? { try? JSONParser.parse(String(decoding: body, as: UTF8.self)) }

    /// The value of a response header (case-insensitive name), if present.
    func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name == wanted }?.value
    }
}
