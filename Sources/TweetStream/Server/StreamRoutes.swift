import Hummingbird
import JSON
import LocalCloud

/// The routes of the emulated stream:
///
/// - `GET /2/tweets/search/stream[?backfill_minutes=N]` — the stream (bearer token; one
///   connection at a time, else 429).
/// - `GET /2/tweets/search/stream/rules` and `POST …/rules[?dry_run=true]` — the rules.
/// - `GET /status` — progress counters (not part of v2; no token needed).
///
/// Every error is v2-shaped (``StreamProblem``), including 404 for unknown paths.
struct StreamRoutes: Sendable {
    let session: StreamSession
    let rules: RulesEndpoint
    let counters: StreamCounters
    let clock: any CloudClock
    let token: String

    /// The largest rules request body read.
    static let maximumBodyBytes = 1 << 20
    /// v2's backfill range, in minutes.
    static let backfillMinutes = 1...5

    func register(on router: Router<StreamRequestContext>) {
        router.add(middleware: ProblemMiddleware())
        router.get("/2/tweets/search/stream") { request, context in try stream(request, context) }
        router.get("/2/tweets/search/stream/rules") { request, _ in
            try authorize(request)
            return Response.json(rules.list())
        }
        router.post("/2/tweets/search/stream/rules") { request, _ in
            try authorize(request)
            let dryRun = try flag(request, "dry_run")
            let buffer = try await request.body.collect(upTo: Self.maximumBodyBytes)
            let (status, body) = try rules.change(body: String(buffer: buffer), dryRun: dryRun)
            return Response.json(body, status: HTTPResponse.Status(code: status))
        }
        router.get("/status") { _, _ in Response.json(statusBody()) }
    }

    private func stream(_ request: Request, _ context: StreamRequestContext) throws -> Response {
        try authorize(request)
        let backfill = try backfillDuration(request)
        guard let number = counters.connect() else { throw StreamProblem.tooManyConnections }
        // A client that goes away frees the stream, whether or not the body ever started.
        context.channel.closeFuture.whenComplete { [counters] _ in counters.disconnect(number) }
        let connectedAt = clock.now
        let body = ResponseBody { [session, counters] writer in
            defer { counters.disconnect(number) }
            // The channel closes only when a write fails, up to a heartbeat (20 s) after the
            // client went away: the stream ends as soon as the client's side is closed, so a
            // client that reconnects at once is not refused as a second connection.
            try await request.body.consumeWithCancellationOnInboundClose { _ in
                try await session.stream(to: &writer, connectedAt: connectedAt, backfill: backfill)
            }
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: body)
    }

    /// The `backfill_minutes` asked for, as stream time (zero when not asked).
    private func backfillDuration(_ request: Request) throws(StreamProblem) -> Duration {
        guard let text = request.uri.queryParameters["backfill_minutes"] else { return .zero }
        guard let minutes = Int(String(text)), Self.backfillMinutes.contains(minutes) else {
            throw .invalidRequest("backfill_minutes: expected a whole number of minutes from 1 to 5, got \"\(text)\"")
        }
        return .seconds(60 * minutes)
    }

    /// Accepts `Authorization: Bearer <token>`, the scheme in any case (RFC 7235).
    private func authorize(_ request: Request) throws(StreamProblem) {
        guard let given = request.headers[.authorization], let space = given.firstIndex(of: " "),
              given[..<space].lowercased() == "bearer", given[given.index(after: space)...] == token
        else { throw .unauthorized }
    }

    private func flag(_ request: Request, _ name: String) throws(StreamProblem) -> Bool {
        guard let text = request.uri.queryParameters[Substring(name)] else { return false }
        switch text {
        case "true": return true
        case "false": return false
        default: throw .invalidRequest("\(name): expected true or false, got \"\(text)\"")
        }
    }

    private func statusBody() -> String {
        let status = counters.status
        return JSONValue.object([
            "now": .string(TweetTime.createdAt(clock.now)),
            "tweets_scheduled": .integer(session.schedule.count),
            "rules": .integer(rules.current.rules.count),
            "connected": .bool(status.connected),
            "connections": .integer(status.connections),
            "refused": .integer(status.refused),
            "drops": .integer(status.drops),
            "tweets_sent": .integer(status.tweetsSent),
            "heartbeats_sent": .integer(status.heartbeatsSent),
        ]).canonicalText
    }
}

/// Turns every refusal into a v2-shaped body: ``StreamProblem``s as they are, and the router's
/// own errors (404 for an unknown path, 405 for a wrong method) as problems too.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = StreamRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as StreamProblem {
            return Response.json(problem.body, status: HTTPResponse.Status(code: problem.status))
        } catch let error as HTTPError {
            let problem = StreamProblem.routing(status: error.status.code, method: request.method.rawValue, path: request.uri.path)
            return Response.json(problem.body, status: error.status)
        }
    }
}

extension Response {
    /// A JSON response from text.
    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
