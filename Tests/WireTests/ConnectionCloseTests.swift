import Testing
import TestSupport

/// How `rehearse cloud serve` ends requests and connections: which it keeps open after an
/// answer, and a body cut short, over a real socket.
@Suite struct ConnectionCloseTests {
    @Test("HTTP/1.0 without keep-alive, or Connection: Close in any spelling, is closed after its answer; others stay open",
          arguments: [
              ("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", true),
              ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Close\r\n\r\n", true),
              ("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n", false),
              ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", false),
          ])
    func closesWhenAsked(request: String, closes: Bool) async throws {
        let server = try await ContinueTests.Server()
        let port = server.port
        let (head, closed) = try await onThread {
            let socket = try RawSocket(port: port)
            try socket.send(request)
            let head = try socket.readHead()
            guard closes else {
                // Still open: a second request on it is answered.
                try socket.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                return (head, try socket.readHead().hasPrefix("HTTP/1.1 200") ? false : true)
            }
            return (head, try socket.isClosedByServer())
        }
        #expect(head.hasPrefix("HTTP/1.1 200"), "\(head)")
        #expect(closed == closes)
    }

    @Test("a body cut short of its Content-Length is 400 IncompleteBody, not 413, and nothing is stored")
    func bodyCutShort() async throws {
        let server = try await ContinueTests.Server()
        let port = server.port
        let head = try await onThread {
            let socket = try RawSocket(port: port)
            try socket.send("PUT /data HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
            _ = try socket.readHead()
            try socket.send("PUT /data/k HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc")
            socket.finishSending()
            return try socket.readHead()
        }
        #expect(head.hasPrefix("HTTP/1.1 400"), "\(head)")
        let listed = try await onThread {
            let socket = try RawSocket(port: port)
            try socket.send("GET /data/k HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return try socket.readHead()
        }
        #expect(listed.hasPrefix("HTTP/1.1 404"), "\(listed)")
    }
}
