import Foundation
import HTTPClient

/// The wire bench's load generator: requests written out as HTTP/1.1 bytes before the clock
/// starts, sent over `connections` keep-alive TCP connections to one loopback port, one request
/// in flight per connection, all on one thread waiting in poll(2).
///
/// A request costs the client one write and usually one read, so on a two-core machine the
/// client leaves the cores to the server it measures. (The project's libcurl `LoadDriver`
/// spent ~60 µs of CPU per request here, half of what the server spent answering a GET.)
/// Only what `rehearse cloud serve` answers is understood: responses with a `Content-Length`.
enum SocketLoad {
    /// One answer: its status, the length of its body, and the body as text when the status is
    /// not 2xx (to say what went wrong).
    struct Answer {
        let status: Int
        let bodyBytes: Int
        let errorText: String?
    }

    /// `request` as the bytes of an HTTP/1.1 request to `host`: the request line, `Host`, its
    /// headers, `Content-Length` when it has a body, and the body.
    static func bytes(of request: HTTPRequest, host: String) -> [UInt8] {
        let target = request.url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
            .dropFirst(3).first.map { "/" + $0 } ?? "/"
        var head = "\(request.method) \(target) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in request.headers { head += "\(name): \(value)\r\n" }
        if !request.body.isEmpty { head += "Content-Length: \(request.body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + request.body
    }

    /// Sends every request and returns their answers in request order.
    /// - Throws: `BenchFailure` when a connection cannot be made or is closed, or an answer is
    ///   not an HTTP/1.1 response with a `Content-Length`.
    static func run(_ requests: [[UInt8]], port: Int, connections: Int) throws -> [Answer] {
        var answers = [Answer?](repeating: nil, count: requests.count)
        var lanes = try (0..<min(connections, requests.count)).map { _ in try Lane(port: port) }
        defer { for lane in lanes { close(lane.socket) } }
        var next = 0
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        var waiting = [pollfd](repeating: pollfd(), count: lanes.count)
        while true {
            for index in lanes.indices where lanes[index].request == nil && next < requests.count {
                try lanes[index].send(requests[next], index: next)
                next += 1
            }
            let busy = lanes.indices.filter { lanes[$0].request != nil }
            if busy.isEmpty { break }
            for (slot, index) in busy.enumerated() { waiting[slot] = pollfd(fd: lanes[index].socket, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&waiting, nfds_t(busy.count), 30_000)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { throw BenchFailure(ready == 0 ? "no answer came for 30 s" : "poll failed: errno \(errno)") }
            for (slot, index) in busy.enumerated() where waiting[slot].revents != 0 {
                if let (request, answer) = try lanes[index].receive(into: &scratch) { answers[request] = answer }
            }
        }
        return answers.map { $0! }
    }

    /// One connection and the request it is waiting on.
    private struct Lane {
        let socket: Int32
        var request: Int?
        var received: [UInt8] = []

        init(port: Int) throws {
            socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard socket >= 0 else { throw BenchFailure("socket() failed: errno \(errno)") }
            var noDelay: Int32 = 1
            setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(socket)
                throw BenchFailure("could not connect to 127.0.0.1:\(port): errno \(errno)")
            }
        }

        mutating func send(_ bytes: [UInt8], index: Int) throws {
            var sent = 0
            while sent < bytes.count {
                let written = bytes.withUnsafeBytes { write(socket, $0.baseAddress! + sent, bytes.count - sent) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw BenchFailure("writing request \(index) failed: errno \(errno)") }
                sent += written
            }
            request = index
        }

        /// Reads what arrived; returns the request and its answer once the whole answer is in.
        mutating func receive(into scratch: inout [UInt8]) throws -> (Int, Answer)? {
            let count = scratch.withUnsafeMutableBytes { read(socket, $0.baseAddress!, $0.count) }
            guard count > 0 else { throw BenchFailure("the server closed a connection (read returned \(count), errno \(errno))") }
            received += scratch[0..<count]
            guard let (answer, length) = try ResponseBytes.parse(received) else { return nil }
            guard length == received.count else { throw BenchFailure("the server sent \(received.count - length) bytes after an answer") }
            received.removeAll(keepingCapacity: true)
            defer { request = nil }
            return (request!, answer)
        }
    }
}

/// Reads an HTTP/1.1 response's status and length from its bytes, byte by byte (it runs for
/// every answer, on the client's one thread).
private enum ResponseBytes {
    /// The answer and its whole length in bytes, or nil while the bytes are not all there.
    static func parse(_ bytes: [UInt8]) throws -> (SocketLoad.Answer, Int)? {
        guard let headEnd = headEnd(bytes) else { return nil }
        let prefix = Array("HTTP/1.1 ".utf8)
        guard headEnd >= 12, bytes[0..<9].elementsEqual(prefix), let status = number(bytes[9..<12]) else {
            throw BenchFailure("an answer began \"\(String(decoding: bytes.prefix(40), as: UTF8.self))\", not an HTTP/1.1 status line")
        }
        guard let bodyBytes = contentLength(bytes[0..<headEnd]) else {
            throw BenchFailure("an answer (status \(status)) has no Content-Length")
        }
        let length = headEnd + 4 + bodyBytes
        guard bytes.count >= length else { return nil }
        let errorText = (200..<300).contains(status) ? nil : String(decoding: bytes[(headEnd + 4)..<length], as: UTF8.self)
        return (SocketLoad.Answer(status: status, bodyBytes: bodyBytes, errorText: errorText), length)
    }

    /// Where the blank line that ends the head starts.
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// The value of the `Content-Length` line of `head`, by case-insensitive name.
    private static func contentLength(_ head: ArraySlice<UInt8>) -> Int? {
        let name = Array("\r\ncontent-length:".utf8)
        var index = head.startIndex
        while index + name.count <= head.endIndex {
            if (0..<name.count).allSatisfy({ head[index + $0] | (name[$0] >= 97 ? 0x20 : 0) == name[$0] }) {
                var digits = index + name.count
                while digits < head.endIndex && head[digits] == 32 { digits += 1 }
                var end = digits
                while end < head.endIndex && head[end] != 13 { end += 1 }
                return number(head[digits..<end])
            }
            index += 1
        }
        return nil
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for digit in digits {
            guard (48...57).contains(digit) else { return nil }
            value = value * 10 + Int(digit - 48)
        }
        return value
    }
}
