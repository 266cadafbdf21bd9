/// Writing JSON text by hand where the key order and number format must be exact, and fast
/// enough for millions of predictions.
public enum JSONText {
    /// `value` as a JSON string literal.
    public static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
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
