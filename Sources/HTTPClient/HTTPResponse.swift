/// A complete HTTP response. Every status is a response, 4xx and 5xx included; only a failed
/// exchange is an `HTTPClientError`.
public struct HTTPResponse: Sendable {
    /// The status code of the final response (never an interim 1xx).
    public var status: Int
    /// Header fields in the order the server sent them, names spelled as sent.
    public var headers: [(name: String, value: String)]
    /// The body, byte for byte as received (no content decoding).
    public var body: [UInt8]
    /// How long the exchange took, from the start of the request to the last byte of the body
    /// (measured on a monotonic clock; for reports only).
    public var elapsed: Duration

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8], elapsed: Duration) {
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsed = elapsed
    }

    /// The value of the first header named `name`, compared without regard to ASCII case; nil
    /// when there is none.
    public func header(_ name: String) -> String? {
        headers.first { Self.sameName($0.name, name) }?.value
    }

    /// The body decoded as UTF-8, invalid bytes replaced by U+FFFD.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// Header names compare without regard to ASCII case (RFC 9110, section 5.1).
    static func sameName(_ left: String, _ right: String) -> Bool {
        left.utf8.elementsEqual(right.utf8) { asciiLowercase($0) == asciiLowercase($1) }
    }

    private static func asciiLowercase(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
