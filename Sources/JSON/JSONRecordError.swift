/// Why a JSON line is not a usable ``JSONRecord``. Its ``description`` is the one reason text
/// that `rehearse predict` and the batch job's rejects both show.
public struct JSONRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the line.
    public enum Reason: Sendable, Equatable {
        /// The line is not valid JSON; the error's column counts Unicode scalars within the line.
        case invalidJSON(JSONParseError)
        /// The line is valid JSON but not an object; `found` describes what it is.
        case notAnObject(found: String)
        /// The object has no text field.
        case missingText(field: String)
        /// The text field is not a string; `found` describes its value.
        case textNotString(field: String, found: String)
        /// The id field is neither a string nor a whole number; `found` describes its value.
        case invalidID(field: String, found: String)
        /// The id field is the empty string.
        case emptyID(field: String)
    }

    /// What is wrong.
    public let reason: Reason
    /// The record's id when the line is an object with a valid id, so an answer can still name
    /// the request it belongs to.
    public let id: String?

    /// Creates an error.
    public init(_ reason: Reason, id: String? = nil) {
        self.reason = reason
        self.id = id
    }

    public var description: String {
        switch reason {
        case .invalidJSON(let error): "invalid JSON at column \(error.column): \(error.message)"
        case .notAnObject(let found): "expected a JSON object, found \(found)"
        case .missingText(let field): "missing text: the record has no field \"\(field)\""
        case .textNotString(let field, let found): "field \"\(field)\" must be a string, found \(found)"
        case .invalidID(let field, let found): "field \"\(field)\" must be a string or a whole number, found \(found)"
        case .emptyID(let field): "missing id: \"\(field)\" is empty"
        }
    }
}
