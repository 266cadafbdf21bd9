/// Reads ``JSONRecord``s from JSON lines by the one rule described there.
///
/// Each line first goes through a fast scanner that builds no tree and handles the common
/// case — a flat object of strings, numbers, `true`, `false` and `null`. Whenever the scanner
/// is not sure (nesting, an exponent, a repeated key, anything wrong), the strict parser
/// decides, and it also words every error. A differential test holds the scanner to the strict
/// reader on random and hostile lines, so the result never depends on which path ran.
public struct JSONRecordReader: Sendable {
    /// The name of the text field.
    public let textField: String
    /// The name of the id field, or nil when ids are not read from the line.
    public let idField: String?

    private let textKey: FieldName
    private let idKey: FieldName?

    /// A reader of records whose text is in `textField` and whose id (if any) is in `idField`.
    public init(textField: String = "text", idField: String? = "id") {
        self.textField = textField
        self.idField = idField
        textKey = FieldName(textField)
        idKey = idField.map(FieldName.init)
    }

    /// The record in `line` (one line, without its line feed).
    public func read(_ line: UnsafeBufferPointer<UInt8>) throws(JSONRecordError) -> JSONRecord {
        if let record = scan(line) { return record }
        return try readStrictly(line)
    }

    /// The record in `line`, by the fast scanner alone; nil when it leaves the line to the
    /// strict parser. Public so that a differential test (or a user's) can hold it to
    /// ``readStrictly(_:)``; ``read(_:)`` is what callers want.
    public func scan(_ line: UnsafeBufferPointer<UInt8>) -> JSONRecord? {
        var scanner = JSONRecordScanner(bytes: line, text: textKey, id: idKey)
        return scanner.record()
    }

    /// The record in `line`, by the strict parser alone: the reference ``read(_:)`` agrees with.
    public func readStrictly(_ line: UnsafeBufferPointer<UInt8>) throws(JSONRecordError) -> JSONRecord {
        let value: JSONValue
        do {
            value = try JSONParser.parse(String(decoding: line, as: UTF8.self))
        } catch {
            throw JSONRecordError(.invalidJSON(error))
        }
        guard case .object(let members) = value else {
            throw JSONRecordError(.notAnObject(found: Self.describe(value)))
        }
        var id: String?
        var idProblem: JSONRecordError.Reason?
        if let idField, let idValue = members[idField] {
            switch Self.id(from: idValue) {
            case .some(let text) where text.isEmpty: idProblem = .emptyID(field: idField)
            case .some(let text): id = text
            case .none: idProblem = .invalidID(field: idField, found: Self.describe(idValue))
            }
        }
        switch members[textField] {
        case .string(let text)?:
            if let idProblem { throw JSONRecordError(idProblem) }
            return JSONRecord(text: text, id: id)
        case nil: throw JSONRecordError(.missingText(field: textField), id: id)
        case let other?: throw JSONRecordError(.textNotString(field: textField, found: Self.describe(other)), id: id)
        }
    }

    /// The id text of an id field's value, or nil if it cannot be an id (see ``JSONRecord``).
    public static func id(from value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .bigInteger(let digits): return digits
        case .number(let number):
            guard number == number.rounded(.towardZero), abs(number) < 1e21 else { return nil }
            return CanonicalNumber.text(number)
        default: return nil
        }
    }

    /// A short description of a value for error messages: `the number 1.5`, `an array`, …
    public static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number, .bigInteger:
            let text = value.canonicalText
            return "the number " + (text.count <= 40 ? text : text.prefix(40) + "…")
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A field name as the scanner compares it with keys.
struct FieldName: Sendable {
    let name: String
    let bytes: [UInt8]
    /// Whether the name is plain ASCII: then a plain ASCII key matches it only byte for byte.
    let isASCII: Bool

    init(_ name: String) {
        self.name = name
        bytes = Array(name.utf8)
        isASCII = bytes.allSatisfy { $0 < 0x80 }
    }
}
