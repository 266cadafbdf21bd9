/// The lines of a JSON Lines input as the batch job reads them: split at LF (a CR before it
/// dropped), blank lines (spaces and tabs only) skipped, numbered from 1; a UTF-8 byte-order
/// mark before the first is skipped, as in CSV inputs.
enum InputLines {
    /// The UTF-8 byte-order mark some editors write at the start of a file.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Calls `body` with each non-blank line of at most `maxBytes` bytes and its number, and
    /// `tooLong` with the number and length of each longer one, in order.
    static func forEach(in buffer: UnsafeBufferPointer<UInt8>, maxBytes: Int,
                        tooLong: (_ line: Int, _ bytes: Int) -> Void,
                        _ body: (_ line: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Void) {
        var start = buffer.starts(with: byteOrderMark) ? byteOrderMark.count : 0
        var line = 0
        while start < buffer.count {
            line += 1
            var end = start
            while end < buffer.count && buffer[end] != UInt8(ascii: "\n") { end += 1 }
            defer { start = end + 1 }
            var lineEnd = end
            if lineEnd > start && buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let lineBytes = UnsafeBufferPointer(rebasing: buffer[start..<lineEnd])
            if lineBytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            if lineBytes.count > maxBytes {
                tooLong(line, lineBytes.count)
            } else {
                body(line, lineBytes)
            }
        }
    }

    /// The reject reason of a line over the limit.
    static func tooLongReason(bytes: Int, limit: Int) -> String {
        "line is \(bytes) bytes, over the limit of \(limit)"
    }
}
