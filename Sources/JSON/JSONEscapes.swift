/// JSON string escapes on raw bytes, for the scanners that check and read strings without
/// building a `JSONValue` (`JSONRecordScanner`, and Online's V2 request scanner): they accept
/// exactly what `JSONParser` accepts, and decode to the same text.
public enum JSONEscapes {
    /// Checks the escape whose backslash is at `position` in `bytes`, and returns the index just
    /// past it; nil when it is not one JSON allows. A high surrogate must be followed by an
    /// escaped low surrogate, and a low surrogate must not stand alone.
    public static func end(ofEscapeAt position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard position + 1 < bytes.count else { return nil }
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return position + 2
        case UInt8(ascii: "u"):
            guard let unit = hex4(bytes, at: position + 2), !(0xDC00...0xDFFF).contains(unit) else { return nil }
            let next = position + 6
            guard (0xD800...0xDBFF).contains(unit) else { return next }
            guard next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u"),
                  let low = hex4(bytes, at: next + 2), (0xDC00...0xDFFF).contains(low)
            else { return nil }
            return next + 6
        default:
            return nil
        }
    }

    /// The text of a string's body (the bytes between its quotes) whose escapes were checked
    /// with `end(ofEscapeAt:in:)`: escapes replaced, the runs between them decoded as UTF-8
    /// (invalid bytes as U+FFFD), as `JSONParser` reads the same bytes.
    public static func unescape(checked body: UnsafeBufferPointer<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        var index = 0
        var runStart = 0
        func flush(to end: Int) {
            if end > runStart {
                scalars.append(contentsOf: String(decoding: UnsafeBufferPointer(rebasing: body[runStart..<end]), as: UTF8.self).unicodeScalars)
            }
        }
        while index < body.count {
            guard body[index] == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            flush(to: index)
            let kind = body[index + 1]
            index += 2
            switch kind {
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var unit = hex4(body, at: index)!
                index += 4
                if (0xD800...0xDBFF).contains(unit) {
                    let low = hex4(body, at: index + 2)!
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                scalars.append(Unicode.Scalar(unit)!)
            default: scalars.append(Unicode.Scalar(kind))  // " \ /
            }
            runStart = index
        }
        flush(to: body.count)
        return String(scalars)
    }

    /// The four hex digits at `start` as a number; nil when there are fewer or one is not hex.
    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt32? {
        guard start + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[start..<(start + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
