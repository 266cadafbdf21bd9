import Foundation
import JSON
import LocalCloud
import Testing
import TestSupport
import TweetStream

@Suite("Tweet stream server", .timeLimit(.minutes(1)))
struct ServerTests {
    static let streamPath = "/2/tweets/search/stream"
    static let rulesPath = "/2/tweets/search/stream/rules"

    @Test("without the bearer token every v2 endpoint answers 401 with a v2 error")
    func unauthorized() async throws {
        let stream = try await RunningStream.start()
        let responses = try await onThread {
            let client = try stream.client()
            return [try client.exchange("GET", Self.streamPath),
                    try client.exchange("GET", Self.streamPath, token: "wrong"),
                    try client.exchange("GET", Self.rulesPath),
                    try client.exchange("POST", Self.rulesPath, body: #"{"add":[{"value":"cat"}]}"#)]
        }
        for response in responses {
            #expect(response.status == 401)
            let body = try JSONParser.parse(response.body)
            #expect(body.member("title") == "Unauthorized" && body.member("detail")?.text?.contains("Bearer") == true && body.member("type") != nil)
        }
        #expect(stream.service.status.connections == 0 && stream.service.rulesInForce.isEmpty)
        // The scheme's name is case-insensitive (RFC 7235); another scheme is not a bearer token.
        let (lowerCase, basic) = try await onThread {
            (try stream.client().exchange("GET", Self.rulesPath, token: RunningStream.token, scheme: "bearer").status,
             try stream.client().exchange("GET", Self.rulesPath, token: RunningStream.token, scheme: "Basic").status)
        }
        #expect(lowerCase == 200 && basic == 401)
        try await stream.stop()
    }

    @Test("a second stream connection gets 429 TooManyConnections while the first is open")
    func tooManyConnections() async throws {
        let stream = try await RunningStream.start(rules: [("happy", nil)])
        let open = try stream.client()  // kept open until the end of the test
        let (first, second) = try await onThread {
            try open.send("GET", Self.streamPath, token: RunningStream.token)
            let head = try open.readHead()
            return (head.status, try stream.client().exchange("GET", Self.streamPath, token: RunningStream.token))
        }
        #expect(first == 200)
        #expect(second.status == 429)
        let body = try JSONParser.parse(second.body)
        #expect(body.member("connection_issue") == "TooManyConnections" && body.member("title") == "ConnectionException")
        #expect(body.member("detail") != nil && body.member("type") != nil)
        #expect(stream.service.status.connections == 1 && stream.service.status.refused == 1 && stream.service.status.connected)
        try await stream.stop()
        _ = try await onThread { try open.readToEnd() }
        #expect(open.ending == .chunkedEnd)
    }

    @Test("a client that closes its connection frees the stream at once, not at the next write: a reconnect is served")
    func closedClientFreesTheStream() async throws {
        let stream = try await RunningStream.start(rules: [("happy", nil)])
        // The virtual clock stands still: no tweet or heartbeat is written that could fail and
        // reveal the close, so only the client's closed side can end the first stream.
        let first = try await onThread {
            let client = try stream.client()
            try client.send("GET", Self.streamPath, token: RunningStream.token)
            return try client.readHead().status  // the client is closed as it goes out of scope
        }
        #expect(first == 200)
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while stream.service.status.connected && ContinuousClock.now < deadline { await Task.yield() }
        #expect(!stream.service.status.connected, "the closed connection still holds the stream")
        let second = try await onThread {
            let client = try stream.client()
            try client.send("GET", Self.streamPath, token: RunningStream.token)
            return try client.readHead().status
        }
        #expect(second == 200)
        #expect(stream.service.status.connections == 2 && stream.service.status.refused == 0)
        try await stream.stop()
    }

    @Test("rules are added, listed, dry-run, refused when invalid or duplicate, and deleted, in v2's shapes")
    func rules() async throws {
        let stream = try await RunningStream.start()
        stream.clock.advance(by: .milliseconds(1_250))
        let token = RunningStream.token
        let exchange = { @Sendable (method: String, path: String, body: String) async throws -> (Int, JSONValue) in
            let response = try await onThread { try stream.client().exchange(method, path, token: token, body: body) }
            return (response.status, try JSONParser.parse(response.body))
        }

        let (emptyStatus, empty) = try await exchange("GET", Self.rulesPath, "")
        #expect(emptyStatus == 200 && empty.member("data") == nil && empty.member("meta")?.member("result_count") == 0)
        #expect(empty.member("meta")?.member("sent") == "2026-01-01T00:00:01.250Z")

        let (addStatus, added) = try await exchange("POST", Self.rulesPath, #"{"add":[{"value":"happy -sad","tag":"joy"},{"value":"\"birthday\" OR cake"}]}"#)
        #expect(addStatus == 201)
        #expect(added.member("meta")?.member("summary") == ["created": 2, "not_created": 0, "valid": 2, "invalid": 0])
        let ids = try #require(added.member("data")?.elements?.compactMap { $0.member("id")?.text })
        #expect(ids.count == 2 && ids.allSatisfy { $0.count == 19 })
        #expect(added.member("data")?.elements?.first == ["id": .string(ids[0]), "value": "happy -sad", "tag": "joy"])

        let (_, listed) = try await exchange("GET", Self.rulesPath, "")
        #expect(listed.member("data")?.elements?.compactMap { $0.member("id")?.text } == ids)
        #expect(listed.member("meta")?.member("result_count") == 2)

        let (dryStatus, dry) = try await exchange("POST", Self.rulesPath + "?dry_run=true", #"{"add":[{"value":"monday"}]}"#)
        #expect(dryStatus == 200 && dry.member("meta")?.member("summary")?.member("valid") == 1)
        #expect(stream.service.rulesInForce.map(\.id) == ids)

        let (invalidStatus, invalid) = try await exchange("POST", Self.rulesPath, #"{"add":[{"value":"monday"},{"value":"(cat"},{"value":"happy -sad"}]}"#)
        #expect(invalidStatus == 200)
        #expect(invalid.member("meta")?.member("summary") == ["created": 0, "not_created": 3, "valid": 1, "invalid": 2])
        let errors = try #require(invalid.member("errors")?.elements)
        #expect(errors.count == 2)
        #expect(errors.first?.member("value") == "(cat" && errors.first?.member("title") == "UnprocessableEntity")
        #expect(errors.first?.member("details")?.elements?.first?.text?.contains("unbalanced parenthesis at position 1") == true)
        #expect(errors.last?.member("title") == "DuplicateRule" && errors.last?.member("id") == .string(ids[0]))
        #expect(stream.service.rulesInForce.map(\.id) == ids)

        // A value repeated within one request names no id: its first copy was never created,
        // and the id it would have had goes to the next rule that is.
        let (_, repeated) = try await exchange("POST", Self.rulesPath, #"{"add":[{"value":"dupA"},{"value":"dupA"}]}"#)
        let repeatError = try #require(repeated.member("errors")?.elements?.first)
        #expect(repeatError.member("title") == "DuplicateRule" && repeatError.member("id") == nil && repeatError.member("detail") != nil, "\(repeatError)")

        let (deleteStatus, deleted) = try await exchange("POST", Self.rulesPath, #"{"delete":{"ids":["\#(ids[0])","42"]}}"#)
        #expect(deleteStatus == 200 && deleted.member("meta")?.member("summary") == ["deleted": 1, "not_deleted": 1])
        #expect(deleted.member("errors")?.elements?.first?.member("id") == "42")
        #expect(stream.service.rulesInForce.map(\.id) == [ids[1]])

        let badRequests: [(String, String, String)] = [
            (Self.rulesPath, "{\"add\":", "not JSON"),
            (Self.rulesPath, #"{"add":[{"tag":"x"}]}"#, "add[0].value"),
            (Self.rulesPath, #"{"add":[{"value":"a","tag":3}]}"#, "add[0].tag"),
            (Self.rulesPath, #"{"add":[],"delete":{"ids":["1"]}}"#, "exactly one"),
            (Self.rulesPath, #"{"delete":{"ids":[1]}}"#, "delete.ids[0]"),
            (Self.rulesPath, #"{"remove":{}}"#, "unknown field \"remove\""),
            (Self.rulesPath + "?dry_run=maybe", #"{"add":[{"value":"a"}]}"#, "dry_run"),
        ]
        for (path, body, field) in badRequests {
            let (status, problem) = try await exchange("POST", path, body)
            #expect(status == 400, "\(body)")
            #expect(problem.member("title") == "Invalid Request" && problem.member("type") != nil)
            #expect(problem.member("detail")?.text?.contains(field) == true, "\(problem)")
        }
        let (missingStatus, missing) = try await exchange("GET", "/2/tweets/nothing", "")
        #expect(missingStatus == 404 && missing.member("title") == "Not Found Error")
        #expect(stream.service.rulesInForce.map(\.id) == [ids[1]])
        try await stream.stop()
    }

    @Test("tweets go out only as the virtual clock reaches them, matched and v2-shaped, in schedule order")
    func tweetsFollowTheClock() async throws {
        let stream = try await RunningStream.start(rate: 0.5, rules: [("happy OR love", "joy"), ("sad OR awful", nil), ("monday", "work")])
        // Tweets arriving before the connection are missed.
        let connected = SampleTexts.start.advanced(by: .seconds(30))
        stream.clock.advance(to: connected)
        let client = try stream.client()
        let status = try await onThread {
            try client.send("GET", Self.streamPath, token: RunningStream.token)
            return try client.readHead().status
        }
        #expect(status == 200)
        var previous = connected
        var received: [String] = []
        for step in 1...4 {
            await stream.clock.waitForWaiters(count: 1)
            #expect(stream.service.status.tweetsSent == received.count)
            let now = connected.advanced(by: .seconds(15 * step))
            stream.clock.advance(to: now)
            let expected = stream.expectedLines(stream.positions(from: previous, through: now))
            let lines = try await onThread { try (0..<expected.count).map { _ in try #require(try client.readLine()) } }
            #expect(lines == expected)
            received += lines
            previous = now.advanced(by: .nanoseconds(1))
        }
        #expect(received.count >= 5, "the sample should give some matches: \(received.count)")
        for line in received {
            let value = try JSONParser.parse(line)
            #expect(Set(value.member("data")?.keys ?? []) == ["id", "text", "created_at", "lang", "author_id"])
            #expect(value.member("matching_rules")?.elements?.isEmpty == false)
        }
        await stream.clock.waitForWaiters(count: 1)
        #expect(stream.service.status.tweetsSent == received.count)
        try await stream.stop()
    }

    @Test("a heartbeat CRLF goes out for every 20 s of stream time without data")
    func heartbeats() async throws {
        let stream = try await RunningStream.start(rules: [("zebra", nil)])
        let client = try stream.client()
        _ = try await onThread {
            try client.send("GET", Self.streamPath, token: RunningStream.token)
            return try client.readHead()
        }
        await stream.clock.waitForWaiters(count: 1)
        stream.clock.advance(by: .seconds(65))
        let three = try await onThread { try (0..<3).map { _ in try client.readLine() } }
        #expect(three == ["", "", ""])
        await stream.clock.waitForWaiters(count: 1)
        #expect(stream.service.status.heartbeatsSent == 3 && stream.service.status.tweetsSent == 0)
        stream.clock.advance(by: .seconds(14))  // 79 s: none due yet
        await stream.clock.waitForWaiters(count: 1)
        #expect(stream.service.status.heartbeatsSent == 3)
        stream.clock.advance(by: .seconds(1))  // 80 s: the fourth
        #expect(try await onThread { try client.readLine() } == "")
        try await stream.stop()
    }

    @Test("dropEvery closes the stream abruptly after N tweets; a reconnect with backfill gets the missed ones, duplicates included")
    func dropAndBackfill() async throws {
        let rules: [(value: String, tag: String?)] = [("happy OR love OR sad OR awful OR monday", "any")]
        let stream = try await RunningStream.start(rate: 1, rules: rules, dropEvery: 4)
        let first = try stream.client()
        _ = try await onThread {
            try first.send("GET", Self.streamPath, token: RunningStream.token)
            return try first.readHead()
        }
        await stream.clock.waitForWaiters(count: 1)
        let now = SampleTexts.start.advanced(by: .seconds(40))
        stream.clock.advance(to: now)
        let expected = stream.expectedLines(stream.positions(from: SampleTexts.start, through: now))
        #expect(expected.count > 8, "\(expected.count)")
        let dropped = try await onThread { try first.readToEnd() }
        #expect(dropped == Array(expected.prefix(4)))
        #expect(first.ending == .closedAbruptly)
        #expect(stream.service.status.drops == 1 && !stream.service.status.connected)

        // Reconnecting with a one-minute backfill, at the same stream time, resends what came
        // since the start: the consumer drops the four ids it has seen.
        let second = try stream.client()
        let (status, resumed) = try await onThread {
            try second.send("GET", Self.streamPath + "?backfill_minutes=1", token: RunningStream.token)
            let status = try second.readHead().status
            return (status, try (0..<expected.count).map { _ in try #require(try second.readLine()) })
        }
        #expect(status == 200)
        #expect(resumed == expected)
        let ids = { (lines: [String]) in try lines.map { try #require(JSONParser.parse($0).member("data")?.member("id")?.text) } }
        let seen = Set(try ids(dropped))
        let fresh = try ids(resumed).filter { !seen.contains($0) }
        #expect(Set(try ids(dropped) + fresh) == Set(try ids(expected)) && fresh.count == expected.count - 4)

        // A graceful stop ends the open stream cleanly.
        await stream.clock.waitForWaiters(count: 1)
        try await stream.stop()
        let rest = try await onThread { try second.readToEnd() }
        #expect(rest.allSatisfy { $0.isEmpty })
        #expect(second.ending == .chunkedEnd)
    }

    @Test("dropAt closes the stream when the clock reaches it, after the tweets due before it")
    func dropAt() async throws {
        let dropAt = SampleTexts.start.advanced(by: .seconds(25))
        let stream = try await RunningStream.start(rate: 1, rules: [("happy OR love OR sad OR awful OR monday", nil)], dropAt: [dropAt])
        let client = try stream.client()
        _ = try await onThread {
            try client.send("GET", Self.streamPath, token: RunningStream.token)
            return try client.readHead()
        }
        await stream.clock.waitForWaiters(count: 1)
        stream.clock.advance(by: .seconds(60))
        let lines = try await onThread { try client.readToEnd() }
        #expect(lines == stream.expectedLines(stream.positions(from: SampleTexts.start, through: dropAt)))
        #expect(client.ending == .closedAbruptly && stream.service.status.drops == 1)
        try await stream.stop()
    }

    @Test("backfill_minutes outside 1…5 is refused with 400 naming the parameter")
    func badBackfill() async throws {
        let stream = try await RunningStream.start()
        let response = try await onThread { try stream.client().exchange("GET", Self.streamPath + "?backfill_minutes=6", token: RunningStream.token) }
        #expect(response.status == 400)
        #expect(try JSONParser.parse(response.body).member("detail")?.text?.contains("backfill_minutes") == true)
        #expect(stream.service.status.connections == 0)
        try await stream.stop()
    }

    @Test("GET /status reports connections, tweets and heartbeats")
    func status() async throws {
        let stream = try await RunningStream.start(count: 123)
        let response = try await onThread { try stream.client().exchange("GET", "/status") }
        let body = try JSONParser.parse(response.body)
        #expect(response.status == 200)
        #expect(body.member("tweets_scheduled") == 123 && body.member("connected") == false && body.member("tweets_sent") == 0)
        try await stream.stop()
    }
}

extension JSONValue {
    func member(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var keys: [String] {
        if case .object(let members) = self { return Array(members.keys) }
        return []
    }

    var elements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}
