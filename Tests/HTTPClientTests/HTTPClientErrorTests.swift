import HTTPClient
import Testing

/// Exchanges that fail: each error names the URL and says what happened in libcurl's words.
struct HTTPClientErrorTests {
    @Test func aRefusedConnectionNamesTheURL() throws {
        let url = "http://127.0.0.1:\(try unusedPort())/v2/health/ready"
        let error = try #require(throws: HTTPClientError.self) { try HTTPClient().send(HTTPRequest(url: url)) }
        guard case .cannotConnect(let named, let message) = error else {
            Issue.record("expected cannotConnect, got \(error)")
            return
        }
        #expect(named == url)
        #expect(message.contains("Connection refused"))
        #expect(error.description.hasPrefix("cannot connect to \(url): "))
    }

    @Test(.needsPython) func aServerThatNeverAnswersTimesOutWithinTheRequestTimeout() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let url = server.url("/never")
        let clock = ContinuousClock()
        let start = clock.now
        let error = try #require(throws: HTTPClientError.self) {
            try HTTPClient().send(HTTPRequest(method: "POST", url: url, body: [1], timeout: .milliseconds(300)))
        }
        let waited = clock.now - start
        guard case .timedOut(let named, let after, let message) = error else {
            Issue.record("expected timedOut, got \(error)")
            return
        }
        #expect(named == url)
        #expect(after == .milliseconds(300))
        #expect(message.contains("timed out"))
        // libcurl times the transfer on its own clock (a raw monotonic one where it can, which
        // NTP does not slew) from its own start; ours may read a little less for the same 300 ms.
        #expect(waited >= .milliseconds(290) && waited < .seconds(10), "waited \(waited)")
    }

    @Test(.needsPython) func aConnectionClosedWithoutAnAnswerIsATransportError() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let client = HTTPClient()
        let url = server.url("/close")
        let error = try #require(throws: HTTPClientError.self) { try client.send(HTTPRequest(url: url)) }
        guard case .transport(let named, _, let message) = error else {
            Issue.record("expected transport, got \(error)")
            return
        }
        #expect(named == url)
        #expect(message == "Empty reply from server")
        // The client recovers: its next request opens a new connection and succeeds.
        let response = try client.send(HTTPRequest(url: server.url("/echo")))
        #expect(response.status == 200)
        #expect(response.header("X-Connection") == "2")
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "no scheme at all", "http://"])
    func aURLThatIsNotHTTPIsATransportErrorNamingIt(url: String) throws {
        let error = try #require(throws: HTTPClientError.self) { try HTTPClient().send(HTTPRequest(url: url)) }
        guard case .transport(let named, _, let message) = error else {
            Issue.record("expected transport, got \(error)")
            return
        }
        #expect(named == url)
        #expect(!message.isEmpty)
        #expect(error.description.hasPrefix("request to \(url) failed: "))
    }
}
