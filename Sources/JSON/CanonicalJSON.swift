extension JSONValue {
    /// The canonical text of this value: one line, no insignificant whitespace, object keys
    /// sorted by their UTF-8 bytes, and stable number and string forms.
    ///
    /// Numbers are written as ECMAScript's `Number.prototype.toString` writes them (the form
    /// RFC 8785 adopts): the shortest digits that read back as the same `Double`, plain notation
    /// for magnitudes from 10⁻⁶ to below 10²¹ (`3`, `0.1`, `1500000`), `1.5e+21` and `1e-7`
    /// style outside it. Shortest round-trip never hides a change in the last bit, so goldens
    /// stay exact; fuzziness is the job of declared tolerances. `-0` is written `0`; `NaN`, `+∞`
    /// and `-∞` (which JSON cannot hold) are written as the strings `"NaN"`, `"Infinity"`,
    /// `"-Infinity"`.
    ///
    /// Strings escape `"` and `\` with a backslash, U+0008/0009/000A/000C/000D as
    /// `\b \t \n \f \r`, other control characters below U+0020 as `\u00xx` (lowercase hex), and
    /// leave everything else, including non-ASCII, as raw UTF-8. Equal values always give equal
    /// text, so canonical text can be compared, sorted and diffed byte for byte.
    public var canonicalText: String {
        var output: [UInt8] = []
        Self.write(self, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func write(_ value: JSONValue, to output: inout [UInt8]) {
        switch value {
        case .null: output += "null".utf8
        case .bool(let flag): output += (flag ? "true" : "false").utf8
        case .number(let number): CanonicalNumber.append(number, to: &output)
        case .bigInteger(let digits): output += digits.utf8
        case .string(let string): JSONString.appendQuoted(string, to: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (position, key) in sortedKeys(members).enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                JSONString.appendQuoted(key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(members[key]!, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Object keys in canonical order: by UTF-8 bytes, never by Swift's hashing order.
    public static func sortedKeys(_ members: [String: JSONValue]) -> [String] {
        members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
