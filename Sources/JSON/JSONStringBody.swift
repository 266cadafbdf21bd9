/// A JSON string found in raw bytes without building a `JSONValue`: where its body (the bytes
/// between its quotes) lies, checked as ``JSONParser`` checks strings — no control characters,
/// only the escapes JSON allows, no lone surrogates, a closing quote — for the scanners that read
/// JSON on a fast path and must accept exactly what the strict parser accepts.
public struct JSONStringBody {
    /// Where the body starts (just after the opening quote).
    public let start: Int
    /// Where the body ends (at the closing quote).
    public let end: Int
    /// Whether the body is ASCII without escapes, so its bytes are its text.
    public let isPlain: Bool
    /// Whether the body holds an escape.
    public let hasEscape: Bool

    /// Checks the string whose opening quote is at `quote` in `bytes`; nil for anything the
    /// strict parser refuses.
    public init?(openingQuoteAt quote: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        var position = quote + 1
        var isPlain = true
        var hasEscape = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                self.start = quote + 1
                self.end = position
                self.isPlain = isPlain
                self.hasEscape = hasEscape
                return
            }
            if byte < 0x20 { return nil }
            if byte >= 0x80 {
                isPlain = false
                position += 1
            } else if byte == UInt8(ascii: "\\") {
                isPlain = false
                hasEscape = true
                guard let end = JSONEscapes.end(ofEscapeAt: position, in: bytes) else { return nil }
                position = end
            } else {
                position += 1
            }
        }
        return nil
    }

    /// The body's bytes in `bytes` (the buffer it was found in).
    public func raw(in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// The string's text, as the strict parser reads the same bytes: escapes replaced, the runs
    /// between them decoded as UTF-8 (invalid bytes as U+FFFD).
    public func text(in bytes: UnsafeBufferPointer<UInt8>) -> String {
        hasEscape ? JSONEscapes.unescape(checked: raw(in: bytes)) : String(decoding: raw(in: bytes), as: UTF8.self)
    }
}
