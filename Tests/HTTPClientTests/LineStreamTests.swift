import Dispatch
import HTTPClient
import JSON
import Testing

/// Streams read line by line from `/lines` of Tests/Fixtures/http-test-server.py, which cuts
/// its body into chunks of awkward sizes, each in its own TCP writes, and ends it as asked.
@Suite(.needsPython)
struct LineStreamTests {
    @Test("Lines cut across chunks and TCP writes arrive whole and in order, heartbeats counted", arguments: [false, true])
    func linesArriveWholeAndInOrder(crlf: Bool) throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        var events: [Event] = []
        let end = try LineStream.run(
            HTTPRequest(url: server.url("/lines?count=60&heartbeat_every=7&crlf=\(crlf ? 1 : 0)")),
            onResponse: { events.append(.response($0.status, $0.header("content-type"))) },
            onLine: { events.append(Event($0)); return .continue }
        )
        #expect(end == .closedByServer(partialLine: []))
        var expected: [Event] = [.response(200, "application/json")]
        for index in 1...60 {
            expected.append(.line(streamLine(index)))
            if index.isMultiple(of: 7) { expected.append(.heartbeat) }
        }
        #expect(events.filter { $0 == .heartbeat }.count == 8)
        #expect(events.filter { $0 != .caughtUp } == expected)
        // Each round of reading that ended a line is followed by a "caught up"; so is the last line.
        #expect(events.contains(.caughtUp))
        #expect(events.last == .caughtUp)
        #expect(zip(events, events.dropFirst()).allSatisfy { !($0 == .caughtUp && $1 == .caughtUp) })
    }

    @Test("A body that ends in the middle of a line reports the partial line instead of handing it over")
    func aPartialLastLineIsReported() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        var lines: [[UInt8]] = []
        let end = try LineStream.run(HTTPRequest(url: server.url("/lines?count=3&end=partial"))) { line in
            if case .line(let bytes) = line { lines.append(Array(bytes)) }
            return .continue
        }
        #expect(lines == (1...3).map(streamLine))
        #expect(end == .closedByServer(partialLine: firstHalf(of: streamLine(4))))
    }

    @Test("A connection closed in the middle of a chunk ends the stream as dropped, with the partial line")
    func aDropMidLineIsAnEndNotAnError() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        var lines: [[UInt8]] = []
        let end = try LineStream.run(HTTPRequest(url: server.url("/lines?count=25&end=drop"))) { line in
            if case .line(let bytes) = line { lines.append(Array(bytes)) }
            return .continue
        }
        #expect(lines == (1...25).map(streamLine))
        guard case .droppedByServer(let partialLine, let message) = end else {
            Issue.record("expected droppedByServer, got \(end)")
            return
        }
        #expect(partialLine == firstHalf(of: streamLine(26)))
        #expect(message.contains("outstanding read data"))
    }

    @Test("Returning .stop from onLine aborts the transfer, and no further line is handed over")
    func stopFromOnLine() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        var lines: [[UInt8]] = []
        let end = try LineStream.run(HTTPRequest(url: server.url("/lines?count=100"))) { line in
            if case .line(let bytes) = line { lines.append(Array(bytes)) }
            return lines.count == 5 ? .stop : .continue
        }
        #expect(end == .stoppedByClient)
        #expect(lines == (1...5).map(streamLine))
    }

    @Test("Returning .stop at 'caught up' aborts the transfer after the lines read so far")
    func stopWhenCaughtUp() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        var events: [Event] = []
        let end = try LineStream.run(HTTPRequest(url: server.url("/lines?count=100"))) { line in
            events.append(Event(line))
            return line == .caughtUp ? .stop : .continue
        }
        #expect(end == .stoppedByClient)
        // The lines of the first round of reading (however many it held), in order, then the
        // one "caught up", and nothing after it.
        #expect(events.last == .caughtUp)
        #expect(events.filter { $0 == .caughtUp }.count == 1)
        let lines = events.compactMap { if case .line(let bytes) = $0 { bytes } else { nil } }
        #expect(!lines.isEmpty)
        #expect(lines == (1...lines.count).map(streamLine))
    }

    @Test("Cancelling from another thread ends a stream whose server has gone silent, at once")
    func cancelWhileTheServerIsSilent() throws {
        let server = try FixtureServer("http-test-server.py", limit: .seconds(60))
        defer { server.stop() }
        let cancellation = StreamCancellation()
        let thirdLine = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            thirdLine.wait()
            cancellation.cancel()
        }
        let clock = ContinuousClock()
        var signalled: ContinuousClock.Instant?
        var lines = 0
        let end = try LineStream.run(HTTPRequest(url: server.url("/lines?count=3&end=silent")), cancellation: cancellation) { line in
            guard case .line = line else { return .continue }
            lines += 1
            if lines == 3 {
                signalled = clock.now
                thirdLine.signal()
            }
            return .continue
        }
        let waited = clock.now - (try #require(signalled))
        #expect(end == .cancelled)
        #expect(lines == 3)
        #expect(cancellation.isCancelled)
        // The stream waits for the network up to 30 s at a time: only the wake-up ends it sooner.
        #expect(waited < .seconds(5))
    }

    @Test("A cancelled token ends a stream before it connects")
    func anAlreadyCancelledTokenDoesNotConnect() throws {
        let cancellation = StreamCancellation()
        cancellation.cancel()
        let url = "http://127.0.0.1:\(try unusedPort())/lines"
        let end = try LineStream.run(HTTPRequest(url: url), cancellation: cancellation) { _ in .continue }
        #expect(end == .cancelled)
    }

    @Test("A 401 answer is a rejection whose v2 error body can be read")
    func unauthorizedBodyIsReadable() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        var head: HTTPResponseHead?
        var lines = 0
        let end = try LineStream.run(
            HTTPRequest(url: server.url("/lines?status=401")), onResponse: { head = $0 },
            onLine: { _ in lines += 1; return .continue }
        )
        guard case .rejected(let status, let body) = end else {
            Issue.record("expected rejected, got \(end)")
            return
        }
        #expect(status == 401)
        #expect(head?.status == 401)
        #expect(head?.header("Content-Type") == "application/problem+json")
        #expect(lines == 0)
        guard case .object(let fields) = try JSONParser.parse(String(decoding: body, as: UTF8.self)) else { throw FixtureError("the error body is not an object") }
        #expect(fields["title"] == "Unauthorized")
        #expect(fields["detail"] == "Unauthorized")
        #expect(fields["type"] == "about:blank")
    }

    @Test("Only the start of a long error body is kept, up to the limit")
    func errorBodiesAreBounded() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let end = try LineStream.run(
            HTTPRequest(url: server.url("/lines?status=429&error_bytes=200000")), options: LineStreamOptions(maxErrorBodyBytes: 1000)
        ) { _ in .continue }
        guard case .rejected(let status, let body) = end else {
            Issue.record("expected rejected, got \(end)")
            return
        }
        #expect(status == 429)
        #expect(body.count == 1000)
        #expect(body.starts(with: #"{"title": "Too Many Requests""#.utf8))
    }

    @Test("A line longer than the limit is an error naming it; a line exactly at the limit is accepted", arguments: [false, true])
    func linesLongerThanTheLimitAreErrors(crlf: Bool) throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let url = server.url("/lines?count=10&crlf=\(crlf ? 1 : 0)")
        let longest = streamLine(10).count  // lines 1 to 9 are shorter than 3100 bytes
        var lines: [[UInt8]] = []
        let error = try #require(throws: HTTPClientError.self) {
            try LineStream.run(HTTPRequest(url: url), options: LineStreamOptions(maxLineBytes: longest - 1)) { line in
                if case .line(let bytes) = line { lines.append(Array(bytes)) }
                return .continue
            }
        }
        #expect(error == .lineTooLong(url: url, limit: longest - 1))
        #expect(error.description.contains("longer than \(longest - 1) bytes"))
        #expect(lines == (1...9).map(streamLine))

        var count = 0
        let end = try LineStream.run(HTTPRequest(url: url), options: LineStreamOptions(maxLineBytes: longest)) { line in
            if case .line = line { count += 1 }
            return .continue
        }
        #expect(end == .closedByServer(partialLine: []))
        #expect(count == 10)
    }

    @Test("A refused connection is an error naming the URL")
    func refusedConnectionIsAnError() throws {
        let url = "http://127.0.0.1:\(try unusedPort())/lines"
        let error = try #require(throws: HTTPClientError.self) {
            try LineStream.run(HTTPRequest(url: url)) { _ in .continue }
        }
        guard case .cannotConnect(let named, let message) = error else {
            Issue.record("expected cannotConnect, got \(error)")
            return
        }
        #expect(named == url)
        #expect(message.contains("Connection refused"))
    }

    @Test("A connection closed before any answer is an error, not an end")
    func closedBeforeAnAnswerIsAnError() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let url = server.url("/close")
        #expect(throws: HTTPClientError.transport(url: url, code: 52, message: "Empty reply from server")) {
            try LineStream.run(HTTPRequest(url: url)) { _ in .continue }
        }
    }
}

/// What a stream handed over, in order.
private enum Event: Equatable {
    case response(Int, String?)
    case heartbeat
    case line([UInt8])
    case caughtUp

    init(_ line: StreamedLine) {
        switch line {
        case .heartbeat: self = .heartbeat
        case .line(let bytes): self = .line(Array(bytes))
        case .caughtUp: self = .caughtUp
        }
    }
}

/// Line `index` of the fixture server's `/lines` (see its docstring), without its line end.
private func streamLine(_ index: Int) -> [UInt8] {
    let length = (index * 7919) % 3000 + (index.isMultiple(of: 10) ? 40000 : 0)
    let text = (0..<length).map { UInt8(97 + $0 % 26) }
    return Array(#"{"data":{"id":"\#(index)","text":""#.utf8) + text + Array(#""}}"#.utf8)
}

private func firstHalf(of line: [UInt8]) -> [UInt8] { Array(line.prefix(line.count / 2)) }
