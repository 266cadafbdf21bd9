import Glibc

/// Cuts a byte stream, arriving in pieces of any size, into lines: split on `\n`, one trailing `\r`
/// removed, an empty line a heartbeat. Each piece is copied once into a buffer and every line is
/// handed over as a slice of it; the buffer keeps only the unfinished line between pieces.
struct LineSplitter {
    /// Thrown when a line is longer than the limit.
    struct LineTooLong: Error {}

    /// The longest line accepted, line end not counted.
    let maxLineBytes: Int
    /// The unfinished line, then the piece being cut.
    private var buffer: [UInt8] = []

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// The bytes after the last line end: the line the stream has not finished.
    var partialLine: [UInt8] { buffer }

    /// Appends `piece` and hands each line it completes to `deliver`, in order, until `deliver`
    /// returns `.stop` (the rest of the piece is then dropped, and `.stop` returned).
    mutating func take(
        _ piece: UnsafeRawBufferPointer, deliver: (StreamedLine) -> LineStreamAction
    ) throws(LineTooLong) -> LineStreamAction {
        var searchFrom = buffer.count  // the unfinished line holds no `\n`
        buffer.append(contentsOf: piece)
        var lineStart = 0
        while let newline = newline(from: searchFrom) {
            var lineEnd = newline
            if lineEnd > lineStart && buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            guard lineEnd - lineStart <= maxLineBytes else { throw LineTooLong() }
            let line: StreamedLine = lineEnd == lineStart ? .heartbeat : .line(buffer[lineStart..<lineEnd])
            lineStart = newline + 1
            searchFrom = lineStart
            if deliver(line) == .stop {
                buffer.removeAll()
                return .stop
            }
        }
        buffer.removeSubrange(0..<lineStart)
        // Even a `\r` at its end, still to be removed, leaves the unfinished line too long.
        guard buffer.count <= maxLineBytes + 1 else { throw LineTooLong() }
        return .continue
    }

    /// The index of the first `\n` in the buffer at or after `start`.
    private func newline(from start: Int) -> Int? {
        buffer.withUnsafeBytes { bytes in
            guard start < bytes.count, let base = bytes.baseAddress,
                  let found = memchr(base + start, Int32(UInt8(ascii: "\n")), bytes.count - start)
            else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }
}
