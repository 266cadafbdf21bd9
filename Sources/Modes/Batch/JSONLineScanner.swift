/// Reads the top-level string or number fields wanted from one JSON Lines record, without
/// building a whole JSON tree: the batch job's lean path for JSON Lines inputs.
///
/// The line must be one complete JSON object (RFC 8259, nesting up to 64 levels); every other
/// value is checked and skipped. Invalid UTF-8 inside strings becomes U+FFFD.
struct JSONLineScanner {
    /// A field's value as the batch job needs it.
    enum Value: Equatable {
        case string(String)
        /// A number, as its literal text (so ids keep their exact digits).
        case number(String)
        /// `true`, `false`, `null`, an array or an object.
        case other(String)
    }

    /// Why a line is not a JSON object; `column` is 1-based in bytes.
    struct Problem: Error, Equatable {
        let column: Int
        let message: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The values of the `wanted` keys found at the top level of the object in `line`
    /// (the last one wins when a key repeats).
    static func fields(of line: UnsafeBufferPointer<UInt8>, wanted: [String]) throws(Problem) -> [String: Value] {
        var scanner = JSONLineScanner(bytes: line)
        return try scanner.object(wanted: wanted.map { Array($0.utf8) })
    }

    private mutating func object(wanted: [[UInt8]]) throws(Problem) -> [String: Value] {
        skipSpace()
        guard peek() == UInt8(ascii: "{") else { throw fail("expected a JSON object") }
        position += 1
        var found: [String: Value] = [:]
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipSpace()
                guard peek() == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
                let key = try string()
                skipSpace()
                guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
                position += 1
                skipSpace()
                let valueStart = position
                let isWanted = wanted.contains { $0.elementsEqual(key.utf8) }
                switch peek() {
                case UInt8(ascii: "\""):
                    let text = try string()
                    if isWanted { found[key] = .string(text) }
                case let byte? where byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte):
                    try number()
                    if isWanted { found[key] = .number(text(from: valueStart)) }
                default:
                    try skipValue(depth: 1)
                    if isWanted { found[key] = .other(text(from: valueStart)) }
                }
                skipSpace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                if peek() == UInt8(ascii: "}") { position += 1; break }
                throw fail("expected ',' or '}' in the object")
            }
        }
        skipSpace()
        guard position == bytes.count else { throw fail("unexpected text after the object") }
        return found
    }

    private mutating func skipValue(depth: Int) throws(Problem) {
        guard depth <= 64 else { throw fail("nesting deeper than 64 levels") }
        skipSpace()
        switch peek() {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = peek() == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let isObject = close == UInt8(ascii: "}")
            position += 1
            skipSpace()
            if peek() == close { position += 1; return }
            while true {
                skipSpace()
                if isObject {
                    guard peek() == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
                    _ = try string()
                    skipSpace()
                    guard peek() == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
                    position += 1
                }
                try skipValue(depth: depth + 1)
                skipSpace()
                if peek() == UInt8(ascii: ",") { position += 1; continue }
                if peek() == close { position += 1; return }
                throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))'")
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case let byte? where byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte):
            try number()
        case nil: throw fail("unexpected end of line")
        default: throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Problem) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count,
              UnsafeBufferPointer(rebasing: bytes[position..<(position + count)]).elementsEqual(
                UnsafeBufferPointer(start: word.utf8Start, count: count))
        else { throw fail("unexpected character") }
        position += count
    }

    private mutating func number() throws(Problem) {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard digits() > 0 else { throw fail("invalid number") }
        if bytes[start + (bytes[start] == UInt8(ascii: "-") ? 1 : 0)] == UInt8(ascii: "0"), position - start > (bytes[start] == UInt8(ascii: "-") ? 2 : 1) {
            throw fail("invalid number: leading zero")
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw fail("invalid number: no digits after '.'") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw fail("invalid number: no digits in the exponent") }
        }
    }

    private mutating func digits() -> Int {
        let start = position
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position - start
    }

    /// Reads a string starting at the opening quote; leaves `position` after the closing one.
    private mutating func string() throws(Problem) -> String {
        position += 1
        let start = position
        var hasEscape = false
        while true {
            guard let byte = peek() else { throw fail("unterminated string") }
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw fail("control character in a string") }
            if byte == UInt8(ascii: "\\") { hasEscape = true; position += 1 }
            position += 1
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
        position += 1
        return hasEscape ? try unescape(raw, offset: start) : String(decoding: raw, as: UTF8.self)
    }

    private func unescape(_ raw: UnsafeBufferPointer<UInt8>, offset: Int) throws(Problem) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.count else { return nil }
            var value: UInt32 = 0
            for byte in raw[at..<(at + 4)] {
                guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else { return nil }
                value = value * 16 + UInt32(digit)
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else { out.append(byte); index += 1; continue }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(index) else {
                    throw Problem(column: offset + index - 1, message: "invalid \\u escape")
                }
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"),
                   raw[index + 1] == UInt8(ascii: "u"), let low = hex4(index + 2), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
            default:
                throw Problem(column: offset + index - 1, message: "invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func text(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { position += 1 }
    }

    private func fail(_ message: String) -> Problem { Problem(column: position + 1, message: message) }
}
