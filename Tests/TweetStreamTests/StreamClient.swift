import Foundation
import TestSupport

/// A plain TCP connection to 127.0.0.1 speaking HTTP/1.1 by hand, reading chunked bodies piece
/// by piece so a test sees every line as it comes, a clean chunked end, and an abrupt close.
/// Every read gives up after `timeout` seconds, so a test never hangs.
final class StreamClient: @unchecked Sendable {
    private let socket: LoopbackSocket
    private var buffer: [UInt8] = []
    /// Body bytes read but not yet returned as lines.
    private var pending: [UInt8] = []
    /// Whether the body ended, and how.
    private(set) var ending: Ending?

    typealias Failure = LoopbackSocket.Failure
    enum Ending: Equatable { case chunkedEnd, closedAbruptly }

    struct Response {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    init(port: Int, timeout: Int = 10) throws {
        socket = try LoopbackSocket(port: port, timeout: timeout)
    }

    /// Sends a request; `token` becomes `Authorization: <scheme> <token>`.
    func send(_ method: String, _ path: String, token: String? = nil, scheme: String = "Bearer", body: String = "") throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n"
        if !body.isEmpty { head += "Content-Type: application/json\r\n" }
        if let token { head += "Authorization: \(scheme) \(token)\r\n" }
        try socket.send(head + "\r\n" + body)
    }

    /// Sends a request and reads its whole response (Content-Length or chunked).
    func exchange(_ method: String, _ path: String, token: String? = nil, scheme: String = "Bearer", body: String = "") throws -> Response {
        try send(method, path, token: token, scheme: scheme, body: body)
        let (status, headers) = try readHead()
        if headers["transfer-encoding"] == "chunked" {
            while ending == nil { try readChunk() }
            guard ending == .chunkedEnd else { throw Failure.malformed("the body was cut off") }
            defer { pending.removeAll() }
            return Response(status: status, headers: headers, body: String(decoding: pending, as: UTF8.self))
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < length {
            guard try fill() else { throw Failure.malformed("the connection closed in the middle of a body") }
        }
        defer { buffer.removeFirst(length) }
        return Response(status: status, headers: headers, body: String(decoding: buffer[..<length], as: UTF8.self))
    }

    /// Reads a response head: the status and the headers (names lower-cased).
    func readHead() throws -> (status: Int, headers: [String: String]) {
        ending = nil
        let head = try readUntilCRLF(double: true)
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure.malformed(lines[0]) }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    /// The next line of a chunked stream body without its CRLF ("" for a heartbeat), or nil
    /// once the body has ended (see ``ending``).
    func readLine() throws -> String? {
        while true {
            if let end = crlf(in: pending, from: 0) {
                let line = String(decoding: pending[..<end], as: UTF8.self)
                pending.removeFirst(end + 2)
                return line
            }
            if ending != nil { return nil }
            try readChunk()
        }
    }

    /// Reads lines until the body ends; the lines, and how it ended.
    func readToEnd() throws -> [String] {
        var lines: [String] = []
        while let line = try readLine() { lines.append(line) }
        return lines
    }

    /// Reads one chunk into `pending`, or records how the body ended.
    private func readChunk() throws {
        guard let sizeLine = try? readUntilCRLF(double: false) else {
            ending = .closedAbruptly
            return
        }
        guard let size = Int(sizeLine, radix: 16) else { throw Failure.malformed("chunk size \(sizeLine)") }
        while buffer.count < size + 2 {
            guard try fill() else {
                ending = .closedAbruptly
                return
            }
        }
        if size == 0 {
            buffer.removeFirst(2)
            ending = .chunkedEnd
            return
        }
        pending.append(contentsOf: buffer[..<size])
        buffer.removeFirst(size + 2)
    }

    /// Reads up to the next CRLF (or CRLFCRLF) and returns what came before it.
    private func readUntilCRLF(double: Bool) throws -> String {
        let marker = double ? 4 : 2
        while true {
            var from = 0
            while let end = crlf(in: buffer, from: from) {
                if !double || (end + 3 < buffer.count && buffer[end + 2] == 13 && buffer[end + 3] == 10) {
                    let text = String(decoding: buffer[..<end], as: UTF8.self)
                    buffer.removeFirst(end + marker)
                    return text
                }
                from = end + 1
            }
            guard try fill() else { throw Failure.malformed("the connection closed") }
        }
    }

    private func crlf(in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }

    /// More bytes, or false at end of stream (or a reset). Throws when nothing arrives in time.
    private func fill() throws -> Bool {
        do { return try socket.receive(into: &buffer) } catch Failure.receive { return false }
    }
}
