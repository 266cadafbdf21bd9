/// Names one golden file: `golden/<scenario>/<capture>.<format extension>`.
public struct GoldenKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The scenario's name, the golden subfolder.
    public let scenario: String
    /// The capture's name, the file's base name.
    public let capture: String
    /// The file format, which fixes the extension.
    public let format: GoldenFormat

    /// Creates a key after checking that both names are safe file names.
    ///
    /// - Throws: ``HarnessError/invalidName(_:_:reason:)`` for an empty name, a name with `/`,
    ///   `\`, a NUL or a control character, a name starting with `.` or `_` (reserved for the
    ///   header and hidden files), or a name ending in `.new`.
    public init(scenario: String, capture: String, format: GoldenFormat) throws(HarnessError) {
        try Self.validate(scenario, kind: "scenario")
        try Self.validate(capture, kind: "capture")
        self.scenario = scenario
        self.capture = capture
        self.format = format
    }

    /// The file name inside the scenario folder, e.g. `predictions.jsonl`.
    public var fileName: String { "\(capture).\(format.fileExtension)" }

    /// The path relative to the golden root, e.g. `batch/predictions.jsonl`.
    public var relativePath: String { "\(scenario)/\(fileName)" }

    /// `scenario/capture.ext`.
    public var description: String { relativePath }

    /// Orders by scenario, then file name, comparing UTF-8 bytes.
    public static func < (lhs: GoldenKey, rhs: GoldenKey) -> Bool {
        if lhs.scenario != rhs.scenario {
            return lhs.scenario.utf8.lexicographicallyPrecedes(rhs.scenario.utf8)
        }
        return lhs.fileName.utf8.lexicographicallyPrecedes(rhs.fileName.utf8)
    }

    /// Checks a scenario or capture name; `kind` names it in the error.
    static func validate(_ name: String, kind: String) throws(HarnessError) {
        let reason: String? =
            if name.isEmpty { "it is empty" }
            else if name.hasPrefix(".") || name.hasPrefix("_") { "it starts with '.' or '_' (reserved)" }
            else if name.hasSuffix(".new") { "it ends in '.new' (reserved for pending results)" }
            else if name.unicodeScalars.contains(where: { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F }) {
                "it contains '/', '\\' or a control character"
            } else { nil }
        if let reason { throw .invalidName(kind, name, reason: reason) }
    }
}
