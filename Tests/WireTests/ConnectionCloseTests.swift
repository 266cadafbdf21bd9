import Testing
import TestSupport

/// Which connections `rehearse cloud serve` keeps open after an answer, over a real socket.
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
}
