/// Writing JSON text by hand where the key order and number format must be exact, and fast
/// enough for millions of predictions.
public enum JSONText {
    /// `value` as a JSON string literal: `"` and `\` escaped, control characters as `\b \t \n
    /// \f \r` or `\u00XX`, everything else as it is. The one escaping rule of Rehearsal's
    /// JSON output (goldens, predictions, reports).
    public static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `value` in Swift's shortest round-trip form, which JSON reads back exactly.
    public static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}
