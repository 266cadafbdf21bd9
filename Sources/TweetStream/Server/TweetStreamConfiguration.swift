import LocalCloud

/// How a ``TweetStreamService`` listens, whom it lets in, and when it drops connections.
public struct TweetStreamConfiguration: Sendable {
    /// The token that every `/2/…` request must carry as `Authorization: Bearer <token>`.
    public static let defaultToken = "rehearsal-stream-token"

    /// The address to listen on.
    public var host: String
    /// The port to listen on; 0 picks a free one (reported to `run(stopsOnSignals:onListening:)`).
    public var port: Int
    /// The bearer token the service accepts.
    public var token: String
    /// Rules in place before any request: (value, tag) pairs, added in order.
    public var initialRules: [(value: String, tag: String?)]
    /// Close a stream connection abruptly after this many live tweets were sent on it (tweets
    /// arriving after it connected; backfilled ones do not count); nil: never.
    public var dropEvery: Int?
    /// Close the connected stream abruptly when the clock reaches each of these instants.
    public var dropAt: [Instant]
    /// How long a graceful stop may take before what still runs is cancelled.
    public var shutdownTimeout: Duration

    /// A configuration; see each property.
    public init(host: String = "127.0.0.1", port: Int = 0, token: String = TweetStreamConfiguration.defaultToken,
                initialRules: [(value: String, tag: String?)] = [], dropEvery: Int? = nil, dropAt: [Instant] = [],
                shutdownTimeout: Duration = .seconds(10)) {
        self.host = host
        self.port = port
        self.token = token
        self.initialRules = initialRules
        self.dropEvery = dropEvery
        self.dropAt = dropAt.sorted()
        self.shutdownTimeout = shutdownTimeout
    }
}

/// Why a ``TweetStreamService`` cannot start.
public enum TweetStreamError: Error, Equatable, CustomStringConvertible, Sendable {
    /// An initial rule is not valid (its index, value and reason).
    case invalidInitialRule(index: Int, value: String, reason: String)
    /// A configuration value is out of range.
    case invalidConfiguration(field: String, reason: String)

    public var description: String {
        switch self {
        case .invalidInitialRule(let index, let value, let reason): return "rule \(index + 1) (\(value)): \(reason)"
        case .invalidConfiguration(let field, let reason): return "\(field): \(reason)"
        }
    }
}
