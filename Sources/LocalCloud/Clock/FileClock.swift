import Foundation
import Synchronization

/// A clock that shows the time written in a file (one ISO-8601 line, as
/// `CloudSandbox.saveClockReading` writes `clock.txt`): how another process follows a
/// rehearsal's virtual clock. Whoever rewrites the file moves the time of every process
/// reading it; the file is read again only when it changed (another inode, size or
/// modification time), so reading the time stays cheap.
///
/// It can only tell the time: `sleep(until:)` throws `FileClockError.cannotSleep` (nothing
/// would wake it), so wait on another clock.
public final class FileClock: CloudClock, Sendable {
    /// The file read.
    public let path: String

    private struct Reading {
        var stamp: FileStamp
        var instant: Instant
    }

    private let reading: Mutex<Reading>

    /// A clock reading `path`.
    /// - Throws: `FileClockError` when the file cannot be read or holds no instant.
    public init(path: String) throws {
        self.path = path
        let stamp = try FileStamp(path)
        reading = Mutex(Reading(stamp: stamp, instant: try Self.read(path)))
    }

    /// The time in the file. If the file changed but cannot be read now (caught mid-rename, or
    /// removed), the last good reading stands.
    public var now: Instant {
        reading.withLock { reading in
            guard let stamp = try? FileStamp(path), stamp != reading.stamp, let instant = try? Self.read(path) else { return reading.instant }
            reading = Reading(stamp: stamp, instant: instant)
            return instant
        }
    }

    /// Throws `FileClockError.cannotSleep`: a file clock cannot wait.
    public func sleep(until deadline: Instant) async throws {
        throw FileClockError.cannotSleep(path: path)
    }

    private static func read(_ path: String) throws(FileClockError) -> Instant {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let instant = Instant(iso8601: text) else { throw .malformed(path: path, found: text) }
        return instant
    }
}

/// What identifies one version of a file: inode, size and modification time.
private struct FileStamp: Equatable {
    let inode: UInt64
    let size: Int64
    let modified: Int64

    init(_ path: String) throws(FileClockError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .unreadable(path: path) }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}

/// Why a `FileClock` cannot tell or wait for the time.
public enum FileClockError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadable(path: String)
    /// The file does not hold an ISO-8601 instant.
    case malformed(path: String, found: String)
    /// A file clock was asked to sleep.
    case cannotSleep(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the clock file \(path)"
        case .malformed(let path, let found): "the clock file \(path) holds \"\(found)\", not an ISO-8601 instant such as 2026-03-02T09:00:00Z"
        case .cannotSleep(let path): "the clock of \(path) only tells the time; it cannot wait"
        }
    }
}
