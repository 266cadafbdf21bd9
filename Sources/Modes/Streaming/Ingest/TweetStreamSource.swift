import Foundation

/// Where the ingest connector reads tweets from: one connection to a Twitter API v2 filtered
/// stream (or the project's emulation of one) per call.
public protocol TweetStreamSource: Sendable {
    /// Connects and hands every event of the stream to `onEvent`, blocking until the
    /// connection ends; `onEvent` returns false to stop reading. With `backfillMinutes`, the
    /// stream first sends again what it sent in that many past minutes (v2's
    /// `backfill_minutes`, how a reconnecting client recovers what it missed).
    func connect(backfillMinutes: Int?, onEvent: (StreamEvent) -> Bool) -> StreamSessionEnd
}

/// One thing the stream said.
public enum StreamEvent: Sendable, Equatable {
    /// A line of data: one tweet's JSON.
    case line(Data)
    /// A keep-alive heartbeat (a bare `\r\n`).
    case heartbeat
    /// The end of what arrived so far: nothing more is buffered (publish what is held now).
    case caughtUp
}

/// How one connection to the stream ended.
public enum StreamSessionEnd: Sendable, Equatable, CustomStringConvertible {
    /// The server ended the body cleanly.
    case closedByServer
    /// The connection broke mid-stream (a drop): reconnect.
    case dropped(String)
    /// `onEvent` asked to stop.
    case stopped
    /// The server answered with an error status; `body` is its (v2-shaped) error document.
    case httpError(status: Int, body: String)
    /// No connection could be made (refused, unreachable, timed out).
    case networkError(String)

    /// How the connection ended, for a person: `HTTP 401 {…}`, or the network's reason.
    public var description: String {
        switch self {
        case .closedByServer: "the server closed the stream"
        case .dropped(let reason): "the connection dropped (\(reason))"
        case .stopped: "stopped"
        case .httpError(let status, let body): "HTTP \(status) \(body.prefix(300))"
        case .networkError(let reason): reason
        }
    }
}
