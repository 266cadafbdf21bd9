/// A strict RFC 8259 JSON parser that reports the line and column of the first problem.
///
/// Strict means: exactly one value per text (surrounded only by JSON whitespace), no comments,
/// no trailing commas, no `NaN`/`Infinity`, no duplicate object keys, no lone surrogate escapes,
/// no fraction or exponent that overflows a `Double` (`1e400`), and at most ``maximumDepth``
/// nested arrays and objects. Integers are never rounded: one that a `Double` cannot hold
/// exactly (2⁵³ + 1) becomes ``JSONValue/bigInteger(_:)`` with its exact digits.
///
/// Two object keys are duplicates when Swift's `String` calls them equal (canonical
/// equivalence: `"é"` and `"e\u0301"` are the same key), because a `[String: JSONValue]` could
/// not keep both.
public struct JSONParser {
    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 512

    private let bytes: [UInt8]
    private var index = 0
    private var line: Int
    private var column = 1
    private var depth = 0

    /// Parses one JSON value from `text`; `firstLine` numbers the text's first line in errors
    /// (useful when the text is one line of a larger file).
    public static func parse(_ text: String, firstLine: Int = 1) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: Array(text.utf8), line: firstLine)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < parser.bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the JSON value; expected end of input")
        }
        return value
    }

    private init(bytes: [UInt8], line: Int) {
        self.bytes = bytes
        self.line = line
    }

    // MARK: Values

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard let byte = peek() else { throw error("unexpected end of input; expected a JSON value") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectWord("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected \(describeCurrent()); expected a JSON value")
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        advance()  // {
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            advance()
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw error("unexpected \(describeCurrent()); expected a string object key")
            }
            let keyLine = line, keyColumn = column
            let key = try parseString()
            if members[key] != nil {
                throw JSONParseError(line: keyLine, column: keyColumn, message: "duplicate object key \"\(key)\"")
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else {
                throw error("unexpected \(describeCurrent()); expected ':' after object key")
            }
            advance()
            skipWhitespace()
            members[key] = try parseValue()
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "}"):
                advance()
                depth -= 1
                return .object(members)
            default: throw error("unexpected \(describeCurrent()); expected ',' or '}' in object")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        advance()  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            advance()
            depth -= 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): advance()
            case UInt8(ascii: "]"):
                advance()
                depth -= 1
                return .array(elements)
            default: throw error("unexpected \(describeCurrent()); expected ',' or ']' in array")
            }
        }
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw error("arrays and objects nested deeper than \(Self.maximumDepth) levels")
        }
    }

    // MARK: Strings

    /// Reads a string. Unescaped runs are copied as bytes and decoded once at the end (invalid
    /// UTF-8 is repaired with U+FFFD); a string without escapes is decoded straight from the input.
    private mutating func parseString() throws(JSONParseError) -> String {
        advance()  // opening quote
        var unescaped: [UInt8] = []  // the string's UTF-8 so far, once an escape has been seen
        var hasEscapes = false
        var runStart = index
        while true {
            guard let byte = peek() else { throw error("unterminated string; expected '\"'") }
            switch byte {
            case UInt8(ascii: "\""):
                let text = hasEscapes
                    ? String(decoding: unescaped + bytes[runStart..<index], as: UTF8.self)
                    : String(decoding: bytes[runStart..<index], as: UTF8.self)
                advance()
                return text
            case UInt8(ascii: "\\"):
                hasEscapes = true
                unescaped += bytes[runStart..<index]
                advance()
                UTF8.encode(try parseEscape()) { unescaped.append($0) }
                runStart = index
            case 0x00..<0x20:
                throw error("control character U+\(hex4(UInt32(byte))) in string; escape it")
            default:
                advance()
            }
        }
    }

    private mutating func parseEscape() throws(JSONParseError) -> Unicode.Scalar {
        guard let byte = peek() else { throw error("unterminated escape sequence") }
        advance()
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            if (0xD800...0xDBFF).contains(unit) {
                guard peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") else {
                    throw error("lone high surrogate \\u\(hex4(unit)); expected a following \\uDC00-\\uDFFF")
                }
                advance(); advance()
                let low = try parseHex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("high surrogate \\u\(hex4(unit)) followed by \\u\(hex4(low)); expected \\uDC00-\\uDFFF")
                }
                return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!
            }
            guard let scalar = Unicode.Scalar(unit) else {
                throw error("lone low surrogate \\u\(hex4(unit))")
            }
            return scalar
        default:
            throw error("invalid escape '\\\(String(UnicodeScalar(byte)))'; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = hexDigitValue(byte) else {
                throw error("unexpected \(describeCurrent()); expected 4 hexadecimal digits after \\u")
            }
            value = value * 16 + digit
            advance()
        }
        return value
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let startLine = line, startColumn = column
        let start = index
        var isInteger = true
        if peek() == UInt8(ascii: "-") { advance() }
        guard let first = peek(), isDigit(first) else {
            throw error("unexpected \(describeCurrent()); expected a digit")
        }
        advance()
        if first == UInt8(ascii: "0"), let next = peek(), isDigit(next) {
            throw error("leading zero in number; write \(String(UnicodeScalar(next))) or 0.\(String(UnicodeScalar(next)))")
        }
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            isInteger = false
            advance()
            guard let byte = peek(), isDigit(byte) else {
                throw error("unexpected \(describeCurrent()); expected a digit after '.'")
            }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            isInteger = false
            advance()
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { advance() }
            guard let byte = peek(), isDigit(byte) else {
                throw error("unexpected \(describeCurrent()); expected a digit in the exponent")
            }
            skipDigits()
        }
        let literal = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger && literal != "-0" {
            // An integer keeps its exact digits: as a Double when that writes back the same
            // text, otherwise as a big integer (2⁵³ + 1, a 20-digit id). Up to 15 digits (no
            // leading zero) always write back the same.
            let digitCount = index - start - (bytes[start] == UInt8(ascii: "-") ? 1 : 0)
            if digitCount <= 15, let value = Double(literal) { return .number(value) }
            if let value = Double(literal), value.isFinite, CanonicalNumber.text(value) == literal { return .number(value) }
            return .bigInteger(literal)
        }
        guard let value = Double(literal), value.isFinite else {
            throw JSONParseError(line: startLine, column: startColumn, message: "number \(literal) is too large for a 64-bit float")
        }
        return .number(value)
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { advance() }
    }

    // MARK: Lexing helpers

    private mutating func expectWord(_ word: String) throws(JSONParseError) {
        for expected in word.utf8 {
            guard peek() == expected else {
                throw error("unexpected \(describeCurrent()); expected '\(word)'")
            }
            advance()
        }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
        {
            advance()
        }
    }

    private func peek(offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private mutating func advance() {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if byte & 0xC0 != 0x80 {
            // The first byte of each scalar moves the column; continuation bytes do not.
            column += 1
        }
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        let scalar = String(decoding: bytes[index..<min(index + 4, bytes.count)], as: UTF8.self)
            .unicodeScalars.first!
        return "character '\(scalar.escaped(asASCII: true))'"
    }

    private func error(_ message: String) -> JSONParseError {
        JSONParseError(line: line, column: column, message: message)
    }
}

private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

private func hexDigitValue(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
}

private func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
