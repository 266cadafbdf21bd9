import HTTPClient
import Testing

/// Requests and responses over a real connection to Tests/Fixtures/http-test-server.py.
@Suite(.needsPython)
struct HTTPClientRoundTripTests {
    @Test func postSendsTheExactBodyAndGetsItBack() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let body = Array(#"{"text": "snow in April :)"}"#.utf8)
        let response = try HTTPClient().send(HTTPRequest(
            method: "POST", url: server.url("/echo"), headers: [("Content-Type", "application/json")], body: body
        ))
        #expect(response.status == 200)
        #expect(response.body == body)
        #expect(response.header("content-type") == "application/json")
        #expect(response.header("X-Method") == "POST")
        #expect(response.elapsed > .zero)
    }

    @Test func binaryBodiesWithNULBytesArriveIntact() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let body: [UInt8] = Array(repeating: Array(0...255), count: 3).joined() + [0, 0]
        let response = try HTTPClient().send(HTTPRequest(method: "POST", url: server.url("/echo"), body: body))
        #expect(response.body == body)
    }

    @Test func headersArriveAsGivenWithNothingAddedButTheHTTPEssentials() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let response = try HTTPClient().send(HTTPRequest(
            method: "POST", url: server.url("/headers"),
            headers: [("X-Custom", "one  two"), ("X-Empty", ""), ("X-Custom", "again")],
            body: [UInt8](repeating: UInt8(ascii: "a"), count: 2 << 20)
        ))
        let lines = response.text.split(separator: "\n").map(String.init)
        let names = lines.map { $0.prefix { $0 != ":" }.lowercased() }
        #expect(lines.filter { $0.hasPrefix("X-") } == ["X-Custom: one  two", "X-Empty: ", "X-Custom: again"])
        #expect(lines.contains("Content-Length: \(2 << 20)"))
        // A 2 MiB body would make libcurl ask for `100-continue`; no Content-Type was given.
        #expect(!names.contains("expect"))
        #expect(!names.contains("content-type"))
    }

    @Test func getAndHeadSendNoBody() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let client = HTTPClient()
        let get = try client.send(HTTPRequest(url: server.url("/headers")))
        #expect(get.header("X-Method") == "GET")
        #expect(!get.text.lowercased().contains("content-length"))
        let head = try client.send(HTTPRequest(method: "HEAD", url: server.url("/echo")))
        #expect(head.header("X-Method") == "HEAD")
        #expect(head.body.isEmpty)
    }

    @Test(arguments: ["PUT", "DELETE", "PATCH"])
    func otherMethodsAreSentWithTheirBody(method: String) throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let response = try HTTPClient().send(HTTPRequest(method: method, url: server.url("/echo"), body: Array("x\0y".utf8)))
        #expect(response.header("X-Method") == method)
        #expect(response.body == Array("x\0y".utf8))
    }

    @Test(arguments: [404, 418, 500, 503])
    func errorStatusesAreResponsesWithHeadersInOrder(status: Int) throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let response = try HTTPClient().send(HTTPRequest(url: server.url("/status/\(status)")))
        #expect(response.status == status)
        #expect(response.text == "status \(status)")
        let sent = response.headers.filter { $0.name.hasPrefix("X-O") }
        #expect(sent.map(\.name) == ["X-Order", "X-Other", "X-Order"])
        #expect(sent.map(\.value) == ["first", "middle", "second"])
        #expect(response.header("x-order") == "first")
        #expect(response.header("X-Missing") == nil)
    }

    @Test func oneClientKeepsItsConnectionAlive() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let first = HTTPClient()
        let connections = try (0..<5).map { index in
            try first.send(HTTPRequest(method: index.isMultiple(of: 2) ? "GET" : "POST", url: server.url("/echo"), body: index.isMultiple(of: 2) ? [] : [1, 2]))
                .header("X-Connection")
        }
        #expect(Set(connections).count == 1)
        let second = try HTTPClient().send(HTTPRequest(url: server.url("/echo"))).header("X-Connection")
        #expect(second != connections[0])
    }

    @Test func anInvalidRequestIsRefusedBeforeAnythingIsSent() throws {
        let server = try FixtureServer("http-test-server.py")
        defer { server.stop() }
        let client = HTTPClient()
        let url = server.url("/echo")
        for (request, problem) in [
            (HTTPRequest(url: url, headers: [("Bad Name", "x")]), "header 0 has name \"Bad Name\", which is not an HTTP token"),
            (HTTPRequest(url: url, headers: [("X-Ok", "a"), ("X-Split", "a\r\nX-Injected: 1")]), "header X-Split has a control character (CR, LF, NUL, …) in its value"),
            (HTTPRequest(method: "GET /x", url: url), "method \"GET /x\" is not an HTTP token"),
            (HTTPRequest(method: "HEAD", url: url, body: [1]), "a HEAD request cannot have a body"),
        ] {
            #expect(throws: HTTPClientError.invalidRequest(url: url, problem: problem)) { try client.send(request) }
        }
        // Nothing reached the server: the client's first real request opens connection 1.
        #expect(try client.send(HTTPRequest(url: url)).header("X-Connection") == "1")
    }
}
