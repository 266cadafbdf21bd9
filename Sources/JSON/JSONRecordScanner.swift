/// The fast path of ``JSONRecordReader``: reads a flat JSON object — string, number, `true`,
/// `false` and `null` values — without building a tree, and gives up (nil) on anything else.
///
/// It accepts a line only when the strict parser would accept it and give the same record, so
/// it checks everything the strict parser checks on such a line: strict number and string
/// syntax, escapes and surrogate pairs, no repeated key (compared as the parser compares them,
/// by `String` equality), nothing after the object. It gives up on nesting, on numbers with an
/// exponent or over 300 characters (which might overflow a `Double`), and on ids that are not
/// plain integer literals, leaving those rare lines to the strict parser.
struct JSONRecordScanner {
    /// A key or string value: the raw bytes between its quotes.
    private typealias Span = JSONStringBody

    private let bytes: UnsafeBufferPointer<UInt8>
    private let textKey: FieldName
    private let idKey: FieldName?
    private var position = 0
    private var keys: [Span] = []

    init(bytes: UnsafeBufferPointer<UInt8>, text: FieldName, id: FieldName?) {
        self.bytes = bytes
        textKey = text
        idKey = id
    }

    mutating func record() -> JSONRecord? {
        skipSpace()
        guard peek() == UInt8(ascii: "{") else { return nil }
        position += 1
        var text: String?
        var id: String?
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            return nil  // no text field: the strict reader words the error
        }
        while true {
            skipSpace()
            guard peek() == UInt8(ascii: "\""), let key = string() else { return nil }
            for other in keys where same(other, key) { return nil }
            keys.append(key)
            skipSpace()
            guard peek() == UInt8(ascii: ":") else { return nil }
            position += 1
            skipSpace()
            let isText = matches(key, textKey)
            let isID = idKey.map { matches(key, $0) } ?? false
            guard let byte = peek() else { return nil }
            switch byte {
            case UInt8(ascii: "\""):
                guard let value = string() else { return nil }
                if isText { text = decode(value) }
                if isID {
                    guard value.end > value.start else { return nil }
                    id = decode(value)
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = position
                guard let isPlainInteger = number(), !isText else { return nil }
                if isID {
                    guard isPlainInteger else { return nil }
                    id = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                }
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                guard !isText, !isID, word() else { return nil }
            default:
                return nil
            }
            skipSpace()
            guard let next = peek() else { return nil }
            if next == UInt8(ascii: ",") { position += 1; continue }
            guard next == UInt8(ascii: "}") else { return nil }
            position += 1
            break
        }
        skipSpace()
        guard position == bytes.count, let text else { return nil }
        return JSONRecord(text: text, id: id)
    }

    // MARK: Keys

    /// Whether two keys are the same key to the strict parser (`String` equality).
    private func same(_ a: Span, _ b: Span) -> Bool {
        if a.isPlain && b.isPlain { return raw(a).elementsEqual(raw(b)) }
        return decode(a) == decode(b)
    }

    private func matches(_ key: Span, _ field: FieldName) -> Bool {
        if key.isPlain && field.isASCII { return raw(key).elementsEqual(field.bytes) }
        return decode(key) == field.name
    }

    private func raw(_ span: Span) -> UnsafeBufferPointer<UInt8> {
        span.raw(in: bytes)
    }

    // MARK: Strings

    /// Checks a string starting at its opening quote and leaves `position` after the closing
    /// one; nil for anything the strict parser refuses (control characters, bad escapes, lone
    /// surrogates, no closing quote).
    private mutating func string() -> Span? {
        guard let span = Span(openingQuoteAt: position, in: bytes) else { return nil }
        position = span.end + 1
        return span
    }

    /// The text of a checked string, as the strict parser reads the same bytes.
    private func decode(_ span: Span) -> String {
        span.text(in: bytes)
    }

    // MARK: Numbers and words

    /// Checks a number literal; whether it is a plain integer (no fraction or exponent, not
    /// `-0`), or nil when it is malformed or might overflow a `Double`.
    private mutating func number() -> Bool? {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), isDigit(first) else { return nil }
        position += 1
        if first == UInt8(ascii: "0") {
            if let next = peek(), isDigit(next) { return nil }
        } else {
            skipDigits()
        }
        var isPlain = true
        if peek() == UInt8(ascii: ".") {
            isPlain = false
            position += 1
            guard let next = peek(), isDigit(next) else { return nil }
            skipDigits()
        }
        if let next = peek(), next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { return nil }
        if !isPlain && position - start > 300 { return nil }
        let isNegativeZero = first == UInt8(ascii: "0") && position - start == 2 && bytes[start] == UInt8(ascii: "-")
        return isPlain && !isNegativeZero
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { position += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Checks `true`, `false` or `null` at `position`.
    private mutating func word() -> Bool {
        let word: StaticString
        switch peek() {
        case UInt8(ascii: "t"): word = "true"
        case UInt8(ascii: "f"): word = "false"
        default: word = "null"
        }
        guard word.isFound(in: bytes, at: position) else { return false }
        position += word.utf8CodeUnitCount
        return true
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { position += 1 }
    }
}
