import Foundation
import Testing

/// `Expect: 100-continue`, as boto3 and the AWS CLI send it with every upload, over a real
/// socket to `rehearse cloud serve`.
@Suite struct ContinueTests {
    @Test("an upload that expects 100-continue gets 100 Continue before its body, then its 200")
    func continueBeforeBody() async throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("continue-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try ChildProcess(try rehearseURL(), ["cloud", "serve", "--root", root.path, "--port", "0", "--allow-anonymous"])
        defer { _ = server.stop() }
        let line = try await onThread { server.firstLine() }
        let port = try #require(line.wholeMatch(of: /listening on http:\/\/127\.0\.0\.1:([0-9]+)/).flatMap { UInt16($0.1) }, "\(line)")
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
}

/// A blocking TCP connection to 127.0.0.1 with a 10-second receive timeout.
final class RawSocket {
    private let descriptor: Int32
    private var pending = [UInt8]()

    init(port: UInt16) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(descriptor) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw POSIXError(.EIO) }
    }

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

    private func fill() throws {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0 else { throw POSIXError(.ETIMEDOUT) }
        pending += buffer[..<count]
    }
}
