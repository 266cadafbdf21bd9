import Foundation
import HTTPClient

/// A Twitter API v2 filtered stream over HTTP (the real one, or `rehearse stream-source`): each
/// connection is a `GET <url>` with `Authorization: Bearer <token>`, read line by line through
/// libcurl's callbacks (`LineStream`), never holding more than the line being read.
public struct HTTPTweetStreamSource: TweetStreamSource {
    /// The stream's URL, such as `http://127.0.0.1:8080/2/tweets/search/stream`.
    public let url: String
    /// The bearer token.
    public let token: String
    /// Stops a connection from another thread (at shutdown).
    public let cancellation: StreamCancellation

    /// A source reading `url` with `token`; `cancellation` ends the connection in progress (and
    /// any later one) at once.
    public init(url: String, token: String, cancellation: StreamCancellation = StreamCancellation()) {
        self.url = url
        self.token = token
        self.cancellation = cancellation
    }

    /// The tweet fields asked for when `url` names none: v2 sends only `id` and `text` unless
    /// asked, and the pipeline needs `created_at` (the event time).
    public static let tweetFields = "tweet.fields=author_id,created_at,lang"

    /// The URL of one connection: `url`, with `tweetFields` unless it names `tweet.fields`
    /// itself, and the backfill asked for.
    public func target(backfillMinutes: Int?) -> String {
        var target = url
        var parameters: [String] = []
        let query = url.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        if !query.split(separator: "&").contains(where: { $0.hasPrefix("tweet.fields=") }) { parameters.append(Self.tweetFields) }
        if let backfillMinutes { parameters.append("backfill_minutes=\(backfillMinutes)") }
        for parameter in parameters { target += (target.contains("?") ? "&" : "?") + parameter }
        return target
    }

    public func connect(backfillMinutes: Int?, onEvent: (StreamEvent) -> Bool) -> StreamSessionEnd {
        let target = target(backfillMinutes: backfillMinutes)
        let request = HTTPRequest(url: target, headers: [("Authorization", "Bearer \(token)")])
        let end: LineStreamEnd
        do {
            end = try LineStream.run(request, cancellation: cancellation) { line in
                let event: StreamEvent = switch line {
                case .line(let bytes): .line(Data(bytes))
                case .heartbeat: .heartbeat
                case .caughtUp: .caughtUp
                }
                return onEvent(event) ? .continue : .stop
            }
        } catch {
            return .networkError(error.description)
        }
        switch end {
        case .closedByServer: return .closedByServer
        case .droppedByServer(_, let message): return .dropped(message)
        case .stoppedByClient, .cancelled: return .stopped
        case .rejected(let status, let body): return .httpError(status: status, body: String(decoding: body, as: UTF8.self))
        }
    }
}
