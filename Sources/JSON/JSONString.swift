/// The one escaping rule of Rehearsal's JSON output (goldens, predictions, shards, reports).
///
/// A string is written between double quotes with `"` and `\` escaped by a backslash,
/// U+0008/0009/000A/000C/000D as `\b \t \n \f \r`, other control characters below U+0020 as
/// `\u00xx` (lowercase hex), and everything else — `/`, U+007F, non-ASCII — as raw UTF-8.
public enum JSONString {
    /// `value` as a JSON string literal.
    public static func quoted(_ value: String) -> String {
        var value = value
        var out: [UInt8] = []
        value.withUTF8 { appendQuoted($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendQuoted($0, to: &out) }
    }

    /// Appends well-formed UTF-8 `bytes` as a JSON string literal. Only ASCII bytes are ever
    /// escaped, so working on bytes gives the same text as working on Unicode scalars.
    public static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if bytes.contains(where: needsEscape) {
            for byte in bytes { appendEscaped(byte, to: &out) }
        } else {
            out.append(contentsOf: bytes)
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
        case 0x08: out.append(contentsOf: "\\b".utf8)
        case 0x09: out.append(contentsOf: "\\t".utf8)
        case 0x0A: out.append(contentsOf: "\\n".utf8)
        case 0x0C: out.append(contentsOf: "\\f".utf8)
        case 0x0D: out.append(contentsOf: "\\r".utf8)
        case ..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: "\\u00".utf8)
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        default: out.append(byte)
        }
    }
}
