import Foundation
import TestSupport

/// One HTTP/1.1 response read off a socket.
struct RawResponse {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    /// The first header named `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A plain TCP connection to 127.0.0.1 speaking HTTP/1.1 by hand, for what a polite client
/// cannot do: pipelining, half-sent headers, bodies longer than announced, watching the server
/// close the connection. Every read gives up after `timeout`, so a test never hangs.
final class RawConnection: @unchecked Sendable {
    private let socket: LoopbackSocket
    private var buffer: [UInt8] = []

    typealias Failure = LoopbackSocket.Failure

    init(port: Int, timeout: Int = 10) throws {
        socket = try LoopbackSocket(port: port, timeout: timeout)
    }

    /// Sends `bytes` (all of them, or throws).
    func send(_ bytes: [UInt8]) throws { try socket.send(bytes) }

    func send(_ text: String) throws { try socket.send(text) }

    /// Sends a request with `Content-Length` (and `Content-Type: application/json` when there is a body).
    func send(method: String, path: String, body: String = "", headers: [String] = []) throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n"
        if !body.isEmpty { head += "Content-Type: application/json\r\n" }
        for header in headers { head += header + "\r\n" }
        try send(head + "\r\n" + body)
    }

    /// Sends a request and reads its response.
    func exchange(method: String, path: String, body: String = "") throws -> RawResponse {
        try send(method: method, path: path, body: body)
        guard let response = try readResponse() else { throw Failure.malformed("the server closed the connection without answering") }
        return response
    }

    /// More bytes, or false at end of stream. Throws when nothing arrives within the timeout.
    private func fill() throws -> Bool { try socket.receive(into: &buffer) }

    /// Reads one response (its body by `Content-Length`); nil when the server closed the
    /// connection before sending anything.
    func readResponse() throws -> RawResponse? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.indices.dropLast(3).first { Array(buffer[$0..<($0 + 4)]) == separator }
            if headEnd == nil {
                guard try fill() else {
                    if buffer.isEmpty { return nil }
                    throw Failure.malformed("the connection closed in the middle of a response head")
                }
            }
        }
        let lines = String(decoding: buffer[..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure.malformed(lines[0]) }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        buffer.removeFirst(headEnd! + 4)
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        while buffer.count < length {
            guard try fill() else { throw Failure.malformed("the connection closed in the middle of a body") }
        }
        let body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return RawResponse(status: status, headers: headers, body: body)
    }

    /// Whether the server has closed the connection (end of stream, with nothing left unread).
    func isClosedByServer() throws -> Bool {
        guard buffer.isEmpty else { return false }
        do {
            return try !fill()
        } catch Failure.receive {
            return true  // reset by the server
        }
    }
}
