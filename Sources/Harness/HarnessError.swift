import JSON

/// Errors from golden files, review and reports, each naming the file or field at fault.
public enum HarnessError: Error, Equatable, CustomStringConvertible {
    /// A scenario or capture name cannot be used as a file name: kind, name, reason.
    case invalidName(String, String, reason: String)
    /// A field path in a normalisation is malformed: the path, the column, what was expected.
    case invalidFieldPath(String, column: Int, message: String)
    /// A tolerance is negative or not finite: the path and the reason.
    case invalidTolerance(String, reason: String)
    /// Field-path normalisations were declared for a plain-text capture: the capture name.
    case normalisationOnText(String)
    /// Text redactions were declared for a JSON capture: the capture name.
    case textRedactionOnRecords(String)
    /// A text redaction's regular expression does not compile or can match nothing but the
    /// empty string: the pattern and the reason.
    case invalidPattern(String, reason: String)
    /// A file could not be read or written: the path and the underlying reason.
    case io(String, String)
    /// A file is not valid UTF-8: its path.
    case notUTF8(String)
    /// A file is not valid JSON: its path and the parse error (with line and column).
    case malformedJSON(String, JSONParseError)
    /// A header file lacks a field or has one of the wrong type: path, field, what was expected.
    case malformedHeader(String, field: String, expected: String)
    /// The command would write files but the environment is CI: what was refused.
    case refusedInCI(String)
    /// Scenarios named on the command line have no golden folder: the names, the folder.
    case unknownScenarios([String], goldenRoot: String)

    /// A one-line explanation naming the file, field or name at fault.
    public var description: String {
        switch self {
        case .invalidName(let kind, let name, let reason):
            "invalid \(kind) name \"\(name)\": \(reason)"
        case .invalidFieldPath(let path, let column, let message):
            "invalid field path \"\(path)\" at column \(column): \(message)"
        case .invalidTolerance(let path, let reason):
            "invalid tolerance for \"\(path)\": \(reason)"
        case .normalisationOnText(let capture):
            "capture \"\(capture)\" is plain text, but field-path normalisations "
                + "(redactions, tolerances, order-insensitivity) apply only to JSON records; use redact_text for text"
        case .textRedactionOnRecords(let capture):
            "capture \"\(capture)\" is JSON records; redact_text applies to text captures, use redact with field paths"
        case .invalidPattern(let pattern, let reason):
            "invalid regular expression \"\(pattern)\": \(reason)"
        case .io(let path, let reason):
            "\(path): \(reason)"
        case .notUTF8(let path):
            "\(path): not valid UTF-8"
        case .malformedJSON(let path, let error):
            "\(path): \(error)"
        case .malformedHeader(let path, let field, let expected):
            "\(path): field \"\(field)\": expected \(expected)"
        case .refusedInCI(let what):
            "refusing to \(what): the environment says CI (the CI variable is set), and nothing is written "
                + "under CI; unset CI or set CI=false to do this locally"
        case .unknownScenarios(let names, let root):
            "no golden folder for scenario\(names.count == 1 ? "" : "s") "
                + "\(names.map { "\"\($0)\"" }.joined(separator: ", ")) in \(root)"
        }
    }
}
