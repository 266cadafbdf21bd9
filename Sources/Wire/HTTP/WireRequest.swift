import Foundation

/// An HTTP request as the wire protocols see it: the target still percent-encoded as sent (which
/// Signature V4 needs), the headers as received, and the whole body.
public struct WireRequest: Sendable {
    public var method: String
    /// The path as sent, percent-encoded: `/bucket/a%20b.txt`.
    public var rawPath: String
    /// The query after `?` as sent (empty when there is none).
    public var rawQuery: String
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(method: String, rawPath: String, rawQuery: String = "", headers: [(name: String, value: String)] = [],
                body: Data = Data()) {
        self.method = method
        self.rawPath = rawPath
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
    }

    /// Splits a request target (`/path?query`) into its two parts.
    public init(method: String, target: String, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.init(method: method, rawPath: String(parts[0]), rawQuery: parts.count > 1 ? String(parts[1]) : "",
                  headers: headers, body: body)
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        HeaderName.firstValue(name, in: headers)
    }

    /// The decoded query parameters in order; a name without `=` has the value "".
    public var query: QueryParameters { QueryParameters(raw: rawQuery) }
}

/// A response: status, headers and body.
public struct WireResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        HeaderName.firstValue(name, in: headers)
    }
}
