/// The limits of one `LineStream`.
public struct LineStreamOptions: Sendable {
    /// The longest line accepted, in bytes, its line end not counted; a longer line stops the
    /// stream with `HTTPClientError.lineTooLong`. It bounds the stream's buffer too.
    public var maxLineBytes: Int
    /// The most bytes of a non-2xx body kept for `LineStreamEnd.rejected`.
    public var maxErrorBodyBytes: Int
    /// The most connecting may take (name resolution and TCP and TLS handshakes), before the
    /// stream fails with `HTTPClientError.timedOut`. Nothing else is timed: a server that stays
    /// silent is detected by the caller on its own clock, which then cancels the stream.
    public var connectTimeout: Duration

    public init(maxLineBytes: Int = 1 << 20, maxErrorBodyBytes: Int = 64 << 10, connectTimeout: Duration = .seconds(10)) {
        self.maxLineBytes = maxLineBytes
        self.maxErrorBodyBytes = maxErrorBodyBytes
        self.connectTimeout = connectTimeout
    }
}
