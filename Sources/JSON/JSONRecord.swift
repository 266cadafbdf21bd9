/// One input record read from a JSON line: the text to predict and the optional id.
///
/// The rule every reader of JSON input lines follows (`rehearse predict --input jsonl`, the
/// batch job's JSON Lines objects, and the online service to come), so the same line gets the
/// same id and the same error everywhere:
///
/// - The line is one JSON object under the strict parser's rules (``JSONParser``); invalid
///   UTF-8 is first replaced by U+FFFD, so such bytes inside strings are kept as U+FFFD.
/// - The text field must be present and a string (it may be empty; callers decide about
///   blank texts and size limits).
/// - The id field is optional. A string is the id as it is, and must not be empty. A number
///   must be a whole number: an integer literal keeps its exact digits however long it is
///   (`17` → `17`, `9007199254740993` → `9007199254740993`); a whole number written with a
///   fraction or an exponent becomes its plain digits when those are below 10²¹ (`1e3` →
///   `1000`, `1.0` → `1`, `-0` → `0`), the same id a JSON reader that compares by value would
///   see. Anything else — `1.5`, `1e21`, `true`, `null`, an array, an object — is refused with
///   a reason that names the field. (`1e400` is refused by the parser: it overflows a `Double`.)
/// - Other fields are ignored, but must still be valid JSON, and no key may repeat.
public struct JSONRecord: Sendable, Equatable {
    /// The value of the text field.
    public var text: String
    /// The id, or nil when the record has no id field (or none was asked for).
    public var id: String?

    /// Creates a record.
    public init(text: String, id: String?) {
        self.text = text
        self.id = id
    }
}
