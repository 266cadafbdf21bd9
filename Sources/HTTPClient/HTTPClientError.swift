/// Why an HTTP exchange produced no response. Each case names the URL; libcurl's own words for
/// what went wrong are kept in `message`.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request cannot be sent as given (a method or header that HTTP cannot carry); nothing
    /// was sent.
    case invalidRequest(url: String, problem: String)
    /// No connection could be made: refused, unreachable, or a host name that does not resolve.
    case cannotConnect(url: String, message: String)
    /// The exchange did not finish within `after` (the request's timeout, or the total timeout
    /// of a `LoadDriver` run).
    case timedOut(url: String, after: Duration, message: String)
    /// The exchange failed in another way after it started: the server closed the connection
    /// without an answer, sent something that is not HTTP, a TLS failure, a malformed URL, …
    /// `code` is libcurl's `CURLcode`.
    case transport(url: String, code: Int, message: String)
    /// A `LineStream` received a line longer than `limit` bytes (`LineStreamOptions.maxLineBytes`,
    /// the line end not counted); the stream was stopped there.
    case lineTooLong(url: String, limit: Int)
    /// A `LoadDriver` run could not be carried out at all (no results).
    case loadFailed(problem: String)

    public var description: String {
        switch self {
        case .invalidRequest(let url, let problem):
            "invalid request to \(url): \(problem); nothing was sent"
        case .cannotConnect(let url, let message):
            "cannot connect to \(url): \(message)"
        case .timedOut(let url, let after, let message):
            "request to \(url) timed out after \(after): \(message)"
        case .transport(let url, let code, let message):
            "request to \(url) failed: \(message) (libcurl error \(code))"
        case .lineTooLong(let url, let limit):
            "stream from \(url) sent a line longer than \(limit) bytes, the limit (LineStreamOptions.maxLineBytes)"
        case .loadFailed(let problem):
            "load run failed: \(problem)"
        }
    }
}
