/// How a `LineStream` ended once the server had answered. Each is an expected event for a
/// long-lived stream (the caller reconnects, backs off or shuts down); failures before any
/// answer (refused, unresolvable, connect timeout) are `HTTPClientError`s instead.
public enum LineStreamEnd: Sendable, Equatable {
    /// The server ended a 2xx body normally (the final chunk, or closing a body without length).
    /// `partialLine` holds the bytes after the last `\n`, which were not handed over as a line;
    /// it is empty when the body ended with a line end.
    case closedByServer(partialLine: [UInt8])
    /// The connection failed in the middle of a 2xx body: closed before the body's end (mid-chunk),
    /// reset, or broken. `partialLine` holds the bytes of the unfinished line (not handed over);
    /// `message` is libcurl's account, such as "transfer closed with outstanding read data
    /// remaining".
    case droppedByServer(partialLine: [UInt8], message: String)
    /// The caller's `onLine` returned `.stop`.
    case stoppedByClient
    /// The `StreamCancellation` was cancelled (before or during the stream).
    case cancelled
    /// The server answered with a status outside 2xx. `body` is the start of its body, at most
    /// `LineStreamOptions.maxErrorBodyBytes` (reading stops there), for an error document such
    /// as API v2's `{"title", "detail", "type"}`; the headers went to `onResponse`.
    case rejected(status: Int, body: [UInt8])
}
