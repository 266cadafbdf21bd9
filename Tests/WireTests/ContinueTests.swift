import Foundation
import Testing
import TestSupport

/// `Expect: 100-continue`, as boto3 and the AWS CLI send it with every upload, over a real
/// socket to `rehearse cloud serve`.
@Suite struct ContinueTests {
    /// A `rehearse cloud serve` child on a new root, on a port of its choice; stopped and its
    /// root removed when the last reference goes.
    final class Server {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("continue-\(UUID().uuidString)")
        let process: ChildProcess
        private(set) var port: UInt16 = 0

        init() async throws {
            process = try ChildProcess(try rehearseURL(), ["cloud", "serve", "--root", root.path, "--port", "0", "--allow-anonymous"])
            let process = process
            let line = try await onThread { process.firstLine() }
            port = try #require(line.wholeMatch(of: /listening on http:\/\/127\.0\.0\.1:([0-9]+)/).flatMap { UInt16($0.1) }, "\(line)")
        }

        deinit {
            _ = process.stop()
            try? FileManager.default.removeItem(at: root)
        }
    }

    @Test("an upload that expects 100-continue gets 100 Continue before its body, then its 200")
    func continueBeforeBody() async throws {
        let server = try await Server()
        let port = server.port
        // The socket's blocking reads run on a thread of their own, not on the cooperative pool.
        let heads = try await onThread {
            let socket = try RawSocket(port: port)
            try socket.send("PUT /data HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
            let created = try socket.readHead()
            try socket.send("PUT /data/a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try socket.readHead()
            try socket.send("hello")
            return [created, interim, try socket.readHead()]
        }
        #expect(heads[0].hasPrefix("HTTP/1.1 200"))
        #expect(heads[1].hasPrefix("HTTP/1.1 100 Continue"), "no 100 Continue before the body")
        #expect(heads[2].hasPrefix("HTTP/1.1 200"))
    }

    @Test("a declared Content-Length over the 1 GiB limit gets its 413 at once, with or without Expect: 100-continue")
    func overLimitAnsweredAtOnce() async throws {
        let server = try await Server()
        let port = server.port
        let heads = try await onThread {
            try ["", "Expect: 100-continue\r\n"].map { expect in
                let socket = try RawSocket(port: port)
                try socket.send("PUT /data/big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000000000\r\n\(expect)\r\n")
                return try socket.readHead()
            }
        }
        for head in heads { #expect(head.hasPrefix("HTTP/1.1 413"), "\(head)") }
    }
}

/// A connection to 127.0.0.1 that reads response heads.
final class RawSocket {
    private let socket: LoopbackSocket
    private var pending = [UInt8]()

    init(port: UInt16) throws {
        socket = try LoopbackSocket(port: Int(port))
    }

    func send(_ text: String) throws { try socket.send(text) }

    /// Closes the sending side, as a client that gives up mid-body does.
    func finishSending() { socket.finishSending() }

    /// The next response head (up to its blank line); a body with Content-Length is skipped.
    func readHead() throws -> String {
        while true {
            if let end = pending.indices.dropLast(3).first(where: { pending[$0..<($0 + 4)].elementsEqual("\r\n\r\n".utf8) }) {
                let head = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeSubrange(..<(end + 4))
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                while pending.count < length { try fill() }
                pending.removeSubrange(..<length)
                return head
            }
            try fill()
        }
    }

    /// Whether the server has closed its side: no more bytes, the end of the stream.
    func isClosedByServer() throws -> Bool {
        pending.isEmpty ? try !socket.receive(into: &pending) : false
    }

    private func fill() throws {
        guard try socket.receive(into: &pending) else { throw LoopbackSocket.Failure.malformed("the server closed the connection") }
    }
}
