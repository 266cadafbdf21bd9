import HTTPClient
import Testing

/// Concurrent runs over a fixed number of keep-alive connections.
struct LoadDriverTests {
    @Test(.needsPython) func twoHundredRequestsOnEightConnectionsAreAllAnsweredInOrder() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let requests = (0..<200).map { index in
            HTTPRequest(method: "POST", url: server.url("/echo"), body: Array("request \(index)".utf8))
        }
        var reported: [Int] = []
        let outcomes = try LoadDriver.run(requests, connections: 8, totalTimeout: .seconds(60)) { index, response in
            reported.append(index)
            #expect(response.text == "request \(index)")
        }
        let results = outcomes.map(\.result)
        // Eight lanes, each sending its share one request after another.
        #expect(Set(outcomes.map(\.lane)) == Set(0..<8))
        let responses = try results.map { try $0.get() }
        #expect(responses.map(\.text) == (0..<200).map { "request \($0)" })
        #expect(responses.allSatisfy { $0.status == 200 && $0.elapsed > .zero })
        #expect(reported.sorted() == Array(0..<200))
        // Eight requests start at once, each on its own connection; the rest reuse them.
        #expect(Set(responses.compactMap { $0.header("X-Connection") }).count == 8)
    }

    @Test(.needsPython) func eachRequestGetsItsOwnResponseOrError() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let refused = "http://127.0.0.1:\(try unusedPort())/echo"
        let requests = [
            HTTPRequest(method: "POST", url: server.url("/echo"), body: [0, 1]),
            HTTPRequest(url: server.url("/close")),
            HTTPRequest(url: refused),
            HTTPRequest(url: server.url("/echo"), headers: [("Bad Name", "x")]),
            HTTPRequest(url: server.url("/status/404")),
        ]
        let results = try LoadDriver.run(requests, connections: 2).map(\.result)
        #expect(results.count == 5)
        #expect(try results[0].get().body == [0, 1])
        #expect(throws: HTTPClientError.transport(url: server.url("/close"), code: 52, message: "Empty reply from server")) { try results[1].get() }
        #expect(throws: HTTPClientError.self) { try results[2].get() }
        if case .failure(let error) = results[2], case .cannotConnect(let url, _) = error { #expect(url == refused) } else {
            Issue.record("expected cannotConnect, got \(results[2])")
        }
        #expect(throws: HTTPClientError.invalidRequest(url: server.url("/echo"), problem: "header 0 has name \"Bad Name\", which is not an HTTP token")) {
            try results[3].get()
        }
        #expect(try results[4].get().status == 404)
    }

    @Test(.needsPython) func theTotalTimeoutBoundsTheRun() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let requests = (0..<4).map { _ in HTTPRequest(url: server.url("/never"), timeout: .seconds(60)) }
        let clock = ContinuousClock()
        let start = clock.now
        let results = try LoadDriver.run(requests, connections: 2, totalTimeout: .milliseconds(300)).map(\.result)
        let waited = clock.now - start
        #expect(waited >= .milliseconds(300) && waited < .seconds(10))
        for (index, result) in results.enumerated() {
            #expect(throws: HTTPClientError.timedOut(
                url: requests[index].url, after: .milliseconds(300),
                message: "the load run's total timeout passed before this request finished"
            )) { try result.get() }
        }
    }

    @Test(.needsPython) func inferRequestsToTheV2FixtureAreAnswered() throws {
        let server = try FixtureServer("v2-echo-server.py")
        defer { server.stop() }
        let requests = (0..<40).map { index in
            let text = index.isMultiple(of: 2) ? ":)" : ":("
            let body = #"{"id": "r\#(index)", "inputs": [{"name": "text", "datatype": "BYTES", "shape": [1], "data": ["\#(text)"]}]}"#
            return HTTPRequest(method: "POST", url: server.url("/v2/models/sentiment/infer"), headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
        let responses = try LoadDriver.run(requests, connections: 4).map { try $0.result.get() }
        for (index, response) in responses.enumerated() {
            #expect(response.status == 200)
            #expect(response.text.contains(#""id":"r\#(index)""#))
            #expect(response.text.contains(index.isMultiple(of: 2) ? #""data":["positive"]"# : #""data":["negative"]"#))
        }
        #expect(Set(responses.compactMap { $0.header("X-Connection") }).count <= 4)
    }

    @Test func aRunNeedsAConnectionAndATimeout() throws {
        let request = HTTPRequest(url: "http://127.0.0.1:1/")
        #expect(throws: HTTPClientError.loadFailed(problem: "connections must be at least 1, got 0")) {
            try LoadDriver.run([request], connections: 0)
        }
        #expect(throws: HTTPClientError.loadFailed(problem: "the total timeout must be positive, got 0.0 seconds")) {
            try LoadDriver.run([request], connections: 1, totalTimeout: .zero)
        }
        #expect(try LoadDriver.run([], connections: 3).isEmpty)
    }
}
