/// One HTTP request: what `HTTPClient.send` and `LoadDriver.run` send.
///
/// The request line and headers go out as given, plus what HTTP/1.1 needs and libcurl adds:
/// `Host`, `Accept: */*` and, with a body, `Content-Length`. Nothing else is added: no
/// `Content-Type` unless a header names one, and never `Expect: 100-continue` (waiting for the
/// interim answer would only add latency). A header with an empty value is sent empty.
public struct HTTPRequest: Sendable {
    /// The method, such as `GET` or `POST`: sent as written.
    public var method: String
    /// An absolute `http://` or `https://` URL.
    public var url: String
    /// Header fields in the order they are sent; a name may repeat.
    public var headers: [(name: String, value: String)]
    /// The body, sent byte for byte (any bytes, NUL included). Empty sends no body for `GET` and
    /// `HEAD`, and `Content-Length: 0` for any other method.
    public var body: [UInt8]
    /// The most the whole exchange may take, connecting included, before it fails with
    /// `HTTPClientError.timedOut`.
    public var timeout: Duration

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}
