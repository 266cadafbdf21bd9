/// The limits the service enforces on each request; each has a `rehearse serve` flag.
public struct ServiceLimits: Sendable, Equatable {
    /// The largest request body, in bytes (`--max-body`, 1 MiB). A larger body gets 413 before it is read.
    public var maximumBodyBytes: Int
    /// The most texts one request may carry (`--max-texts`, 1,000); more get 413.
    public var maximumTexts: Int
    /// The longest text, in UTF-8 bytes (`--max-text-bytes`, 4,096, as in batch); a longer one gets 413.
    public var maximumTextBytes: Int
    /// How long a request's head (request line and headers) may take to arrive once its first
    /// byte has (`--header-timeout`, 10 s); then the connection is answered 408 and closed.
    public var headerTimeout: Duration
    /// How long a connection may stay open with no request in progress (`--idle-timeout`, 60 s).
    public var idleTimeout: Duration

    /// Limits with the documented defaults, or the values given.
    public init(maximumBodyBytes: Int = 1 << 20, maximumTexts: Int = 1000, maximumTextBytes: Int = 4096,
                headerTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60)) {
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumTexts = maximumTexts
        self.maximumTextBytes = maximumTextBytes
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
    }
}
