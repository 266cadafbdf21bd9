/// Reads JSON written in one known layout — the same keys in the same order, no whitespace
/// between tokens — token by token, without building a tree: the fast path of a reader whose
/// input nearly always comes from one writer (the tweet stream's lines, say).
///
/// Each read checks what the strict ``JSONParser`` checks for that token and fails (nil or
/// false) at the first byte that does not fit the layout. So a caller that reads a whole text
/// with it, up to ``isAtEnd``, has read a text the strict parser accepts, with the values the
/// strict parser would give; when a read fails, the caller parses the text with `JSONParser`,
/// which also words the error.
public struct JSONLayoutReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    /// A reader at the start of `bytes` (which must outlive it).
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Consumes `text` — punctuation and keys, such as `{"data":{"id":` — if the input continues
    /// with exactly its bytes.
    public mutating func consume(_ text: StaticString) -> Bool {
        guard text.isFound(in: bytes, at: position) else { return false }
        position += text.utf8CodeUnitCount
        return true
    }

    /// Reads the string value that starts here (at its opening quote).
    public mutating func string() -> String? {
        guard let body = stringBody() else { return nil }
        return body.text(in: bytes)
    }

    /// Passes over the string value that starts here, checking it as ``string()`` does.
    public mutating func skipString() -> Bool {
        stringBody() != nil
    }

    /// Reads the number that starts here, checked against JSON's number grammar as the strict
    /// parser checks it. Fails for an integer of more than 15 digits (which the strict parser
    /// may keep as a big integer rather than a `Double`) and for a number too large for a
    /// `Double`, so a caller falls back to the strict parser for those.
    public mutating func number() -> Double? {
        guard let literal = numberLiteral(), !(literal.isInteger && literal.integerDigits > 15),
              let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[literal.range]), as: UTF8.self)),
              value.isFinite
        else { return nil }
        return value
    }

    /// Passes over the number that starts here, checking it as the strict parser does (an
    /// integer of any length, a fraction or exponent form that fits a `Double`).
    public mutating func skipNumber() -> Bool {
        guard let literal = numberLiteral() else { return false }
        // Without an exponent, a fraction whose whole part has at most 300 digits is finite.
        if literal.isInteger || (!literal.hasExponent && literal.integerDigits <= 300) { return true }
        return Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[literal.range]), as: UTF8.self))?.isFinite == true
    }

    /// Where a number that follows JSON's grammar lies, and its shape.
    private struct NumberLiteral {
        var range: Range<Int>
        var integerDigits: Int
        var isInteger: Bool
        var hasExponent: Bool
    }

    private mutating func numberLiteral() -> NumberLiteral? {
        let start = position
        if at(UInt8(ascii: "-")) { position += 1 }
        let firstDigit = position
        guard let first = current, Self.isDigit(first) else { return nil }
        position += 1
        if first == UInt8(ascii: "0") {
            if let next = current, Self.isDigit(next) { return nil }  // a leading zero
        } else {
            skipDigits()
        }
        let integerDigits = position - firstDigit
        var hasFraction = false, hasExponent = false
        if at(UInt8(ascii: ".")) {
            hasFraction = true
            position += 1
            guard let digit = current, Self.isDigit(digit) else { return nil }
            skipDigits()
        }
        if at(UInt8(ascii: "e")) || at(UInt8(ascii: "E")) {
            hasExponent = true
            position += 1
            if at(UInt8(ascii: "+")) || at(UInt8(ascii: "-")) { position += 1 }
            guard let digit = current, Self.isDigit(digit) else { return nil }
            skipDigits()
        }
        return NumberLiteral(range: start..<position, integerDigits: integerDigits, isInteger: !hasFraction && !hasExponent,
                             hasExponent: hasExponent)
    }

    /// Whether nothing but JSON whitespace is left.
    public var isAtEnd: Bool {
        bytes[position...].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
    }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func at(_ byte: UInt8) -> Bool { current == byte }

    private mutating func skipDigits() {
        while let byte = current, Self.isDigit(byte) { position += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func stringBody() -> JSONStringBody? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\""),
              let body = JSONStringBody(openingQuoteAt: position, in: bytes)
        else { return nil }
        position = body.end + 1
        return body
    }
}
