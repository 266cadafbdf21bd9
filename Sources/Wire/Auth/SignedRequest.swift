/// What the verifier needs of a request, exactly as received on the wire.
public struct SignedRequest: Sendable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The request target's path, still percent-encoded as sent, e.g. `/bucket/a%20b.txt`.
    public var rawPath: String
    /// The part of the target after `?`, as sent (empty when there is none).
    public var rawQuery: String
    /// Every header as received, names in any case, repeats kept in order.
    public var headers: [(name: String, value: String)]
    /// The lower-case hex SHA-256 of the body, computed by the server; nil when it has not
    /// hashed the body, in which case a header-signed request must carry `x-amz-content-sha256`.
    public var payloadSHA256: String?

    public init(method: String, rawPath: String, rawQuery: String = "",
                headers: [(name: String, value: String)], payloadSHA256: String?) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.payloadSHA256 = payloadSHA256
    }

    /// The one value of header `name` (lower case), nil when absent.
    /// - Throws: `malformed` when the header is repeated.
    func single(_ name: String) throws(SigV4Failure) -> String? {
        var found: String?
        var count = 0
        for header in headers where HeaderName.matches(header.name, name) {
            found = found ?? header.value
            count += 1
        }
        guard count <= 1 else { throw .malformed("the request has \(count) \(name) headers; send one") }
        return found
    }
}
