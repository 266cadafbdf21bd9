import Foundation

/// Reads a file handle line by line as bytes, without holding more than a chunk and one line.
struct LineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where to resume looking for a line feed: bytes before it hold none.
    private var scanned = 0
    private var atEnd = false
    /// Called before each read that may block, so the caller can flush answers to lines so far.
    private let beforeWaiting: () -> Void

    init(_ handle: FileHandle, beforeWaiting: @escaping () -> Void = {}) {
        self.handle = handle
        self.beforeWaiting = beforeWaiting
    }

    /// The next line without its LF (and without a CR before it), or nil at the end.
    mutating func next() -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[scanned...].firstIndex(of: 0x0A) {
                var line = buffer[start..<newline]
                start = newline + 1
                scanned = start
                if line.last == 0x0D { line = line.dropLast() }
                return line
            }
            scanned = buffer.count
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return line.last == 0x0D ? line.dropLast() : line
            }
            buffer.removeSubrange(..<start)
            scanned -= start
            start = 0
            beforeWaiting()
            let chunk = readChunk()
            if chunk.isEmpty { atEnd = true } else { buffer.append(contentsOf: chunk) }
        }
    }

    /// Up to 64 KiB: whatever one `read(2)` returns, so a pipe's partial input comes through
    /// at once. Empty at the end of input (or on a read error, which also ends the input).
    private func readChunk() -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if count >= 0 { return Array(chunk.prefix(count)) }
            if errno != EINTR { return [] }
        }
    }
}
