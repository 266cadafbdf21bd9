/// Reads CSV (RFC 4180) from bytes, one record at a time.
///
/// - Fields are separated by `,`; records end with LF, CRLF or a lone CR, or the end of input.
/// - A field that starts with `"` is quoted: it may hold separators, line breaks and doubled
///   quotes (`""` for `"`) and ends at the next lone `"`.
/// - A `"` inside an unquoted field is kept as it is (as Python's `csv` module does).
/// - Bytes that are not valid UTF-8 become U+FFFD. A UTF-8 byte-order mark at the start is
///   skipped, and so are empty lines between records (as Python's `csv` module does).
/// - Malformed records — a quoted field that never ends, or text after a closing quote — are
///   reported as a `CSVProblem` naming their line, and reading resumes at the next record.
public struct CSVReader: Sendable {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1

    /// A reader over `bytes`.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The next record, or nil at the end of input.
    /// - Throws: `CSVProblem` for a malformed record; calling again reads the record after it.
    public mutating func next() throws(CSVProblem) -> CSVRecord? {
        while position < bytes.count, bytes[position] == 0x0A || bytes[position] == 0x0D {
            consumeLineBreak()
        }
        guard position < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var problem: String?
        while true {
            let (field, fieldProblem) = readField()
            fields.append(field)
            if problem == nil { problem = fieldProblem }
            guard position < bytes.count else { break }
            let byte = bytes[position]
            if byte == UInt8(ascii: ",") {
                position += 1
                continue
            }
            consumeLineBreak()
            break
        }
        if let problem { throw CSVProblem(line: startLine, message: problem) }
        return CSVRecord(fields: fields, line: startLine)
    }

    /// Every record, and every problem, of `bytes`.
    public static func readAll(_ bytes: [UInt8]) -> (records: [CSVRecord], problems: [CSVProblem]) {
        var reader = CSVReader(bytes: bytes)
        var records: [CSVRecord] = []
        var problems: [CSVProblem] = []
        while true {
            do {
                guard let record = try reader.next() else { break }
                records.append(record)
            } catch {
                problems.append(error)
            }
        }
        return (records, problems)
    }

    /// Reads one field, leaving `position` on the `,`, the line break or the end after it.
    private mutating func readField() -> (String, problem: String?) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            let start = position
            while position < bytes.count, !isFieldEnd(bytes[position]) { position += 1 }
            return (String(decoding: bytes[start..<position], as: UTF8.self), nil)
        }
        let openingLine = line
        position += 1
        var content: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\"") {
                    content.append(byte)
                    position += 2
                    continue
                }
                position += 1
                let text = String(decoding: content, as: UTF8.self)
                if position < bytes.count, !isFieldEnd(bytes[position]) {
                    skipToRecordEnd()
                    return (text, "unexpected text after the closing quote of a quoted field; expected ',' or the end of the line")
                }
                return (text, nil)
            }
            if byte == 0x0A || (byte == 0x0D && !(position + 1 < bytes.count && bytes[position + 1] == 0x0A)) {
                line += 1
            }
            content.append(byte)
            position += 1
        }
        return (String(decoding: content, as: UTF8.self), "quoted field opened on line \(openingLine) is never closed; expected a closing '\"'")
    }

    private func isFieldEnd(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == 0x0A || byte == 0x0D
    }

    /// Consumes one LF, CRLF or CR.
    private mutating func consumeLineBreak() {
        guard position < bytes.count else { return }
        if bytes[position] == 0x0D {
            position += 1
            if position < bytes.count, bytes[position] == 0x0A { position += 1 }
        } else if bytes[position] == 0x0A {
            position += 1
        }
        line += 1
    }

    /// After a malformed field: skips to the end of its line, quotes and all.
    private mutating func skipToRecordEnd() {
        while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D { position += 1 }
    }
}
