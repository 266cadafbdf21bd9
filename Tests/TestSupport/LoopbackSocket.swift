import Foundation

/// A blocking TCP connection to a server under test on 127.0.0.1, for tests that speak HTTP by
/// hand (pipelining, half-sent requests, chunked bodies read piece by piece, watching the server
/// close). Every send and receive gives up after the timeout, so a test never hangs.
///
/// `@unchecked Sendable`: it is handed to the thread that uses it (`onThread`) and used by that
/// one thread only.
public final class LoopbackSocket: @unchecked Sendable {
    /// What went wrong: `malformed` is for the HTTP clients built on the socket.
    public enum Failure: Error, Equatable {
        case connect(Int32), send(Int32), timedOut, receive(Int32), malformed(String)
    }

    private let descriptor: Int32

    /// Connects to 127.0.0.1:`port`; sends and receives time out after `timeout` seconds.
    /// - Throws: `Failure.connect` with the errno (`ECONNREFUSED` when nothing listens).
    public init(port: Int, timeout: Int = 10) throws(Failure) {
        // The stored descriptor is set only once connected: a class whose initializer throws
        // after that runs its deinit, which would close the descriptor a second time — by then
        // perhaps a socket another thread (a server's event loop) has just been given.
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw .connect(errno) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            let code = errno
            close(descriptor)
            throw .connect(code)
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// Sends all of `bytes`.
    /// - Throws: `Failure.send` with the errno.
    public func send(_ bytes: [UInt8]) throws(Failure) {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw .send(errno) }
            sent += count
        }
    }

    /// Sends `text` as UTF-8.
    public func send(_ text: String) throws(Failure) { try send(Array(text.utf8)) }

    /// Closes the sending side (the server reads the end of the stream); replies can still arrive.
    public func finishSending() { shutdown(descriptor, Int32(SHUT_WR)) }

    /// Appends what has arrived (up to 64 KiB) to `buffer`; false at the end of the stream.
    /// - Throws: `Failure.timedOut` when nothing arrives in time, `Failure.receive` with the
    ///   errno otherwise (`ECONNRESET` when the server reset the connection).
    public func receive(into buffer: inout [UInt8]) throws(Failure) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        if count < 0 { throw errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .receive(errno) }
        buffer.append(contentsOf: chunk[..<count])
        return count > 0
    }
}
