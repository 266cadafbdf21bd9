import Foundation
import Testing

/// What the serving commands say when they cannot serve.
@Suite("Serving commands")
struct ServingCommandTests {
    @Test("a port already taken is said plainly, with the address, and the command exits 1")
    func portInUse() throws {
        let taken = try ListeningSocket()
        defer { taken.close() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serving-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try RehearseProcess.run(["cloud", "serve", "--root", root.path, "--port", String(taken.port)])
        #expect(result.status == 1)
        #expect(result.standardError == "error: cannot serve on 127.0.0.1:\(taken.port): Address already in use (errno 98)\n")
        #expect(result.standardOutput.isEmpty, "nothing announced as listening")
    }

    @Test("cloud serve refuses a --start before the time the root's clock was left at, or when that time cannot be read")
    func startBeforeTheSavedClock() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("serving-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("2026-03-02T09:00:30Z\n".utf8).write(to: root.appendingPathComponent("clock.txt"))
        let result = try RehearseProcess.run(["cloud", "serve", "--root", root.path, "--port", "0", "--start", "2020-01-01T00:00:00Z"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--start 2020-01-01T00:00:00Z is before 2026-03-02T09:00:30"), "\(result.standardError)")
        #expect(result.standardOutput.isEmpty, "nothing announced as listening")

        // A clock file that cannot be read is named, not taken for no saved time.
        try Data("next tuesday\n".utf8).write(to: root.appendingPathComponent("clock.txt"))
        let unreadable = try RehearseProcess.run(["cloud", "serve", "--root", root.path, "--port", "0", "--start", "2020-01-01T00:00:00Z"])
        #expect(unreadable.status == 2)
        #expect(unreadable.standardError.contains("clock.txt should hold one ISO-8601 time like 2026-01-31T12:00:00Z, found \"next tuesday\""),
                "\(unreadable.standardError)")
        #expect(unreadable.standardOutput.isEmpty, "nothing announced as listening")

        // Nor is one that cannot be opened.
        try FileManager.default.removeItem(at: root.appendingPathComponent("clock.txt"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent("clock.txt"), withIntermediateDirectories: false)
        let folder = try RehearseProcess.run(["cloud", "serve", "--root", root.path, "--port", "0", "--start", "2020-01-01T00:00:00Z"])
        #expect(folder.status == 2)
        #expect(folder.standardError.contains("clock.txt cannot be read"), "\(folder.standardError)")
        #expect(folder.standardOutput.isEmpty, "nothing announced as listening")
    }
}

/// A socket listening on 127.0.0.1 at a port the system chose, so that nobody else can bind it.
private struct ListeningSocket {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 1) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard descriptor >= 0, ready else {
            let code = errno
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL)
        }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
