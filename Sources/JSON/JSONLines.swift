/// JSON Lines: one canonical JSON record per line, each line ending in `\n`.
public enum JSONLines {
    /// The canonical JSON Lines text of `records`: each record's ``JSONValue/canonicalText``
    /// followed by a newline. No records give the empty text.
    public static func text(of records: [JSONValue]) -> String {
        records.map { $0.canonicalText + "\n" }.joined()
    }

    /// Parses JSON Lines text: one JSON value per non-empty line, lines ending in LF or CRLF
    /// (a checkout with `autocrlf`). Errors carry the line number within the whole text. Blank
    /// lines (only whitespace) are skipped.
    public static func parse(_ text: String) throws(JSONParseError) -> [JSONValue] {
        var records: [JSONValue] = []
        var lineNumber = 0
        for line in lines(of: text) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            records.append(try JSONParser.parse(String(line), firstLine: lineNumber))
        }
        return records
    }

    /// The lines of `text`, split at LF and at CRLF. (Splitting at `"\n"` alone misses CRLF:
    /// Swift reads `"\r\n"` as one `Character`.)
    public static func lines(of text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }
}
