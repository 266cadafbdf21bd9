import Foundation
import JSON

/// One input row the job could not use, and why. Kept in the run's rejects object.
public struct RejectedRow: Sendable, Equatable, Codable {
    /// The input object's key.
    public let input: String
    /// The 1-based line the row starts on.
    public let line: Int
    /// Why it was rejected.
    public let reason: String

    /// A reject of the row starting on `line` of `input`.
    public init(input: String, line: Int, reason: String) {
        self.input = input
        self.line = line
        self.reason = reason
    }
}

/// An input object parsed into rows and rejects.
struct ParsedInput<Rows: Sendable>: Sendable {
    /// The rows that can be scored: `InputRows` (id and text) for a text model, `TabularRows`
    /// for a tabular one.
    var rows: Rows
    var rejects: [RejectedRow] = []
    /// Set when the object shows the job itself is wrong (a column it names does not exist), so
    /// the job must fail rather than reject rows.
    var jobFailure: BatchJobError?

    init(rows: Rows) {
        self.rows = rows
    }
}

/// Rows parsed from an input, however they are stored.
protocol ParsedRows: Sendable {
    /// The number of rows.
    var count: Int { get }
}

extension InputRows: ParsedRows {}
extension TabularRows: ParsedRows {}

/// Parses one input object's bytes for a batch job, as CSV or JSON Lines. Never throws: a bad
/// row is a reject, and a job-level problem (a missing column) is the result's `jobFailure`.
protocol BatchRowParser: Sendable {
    associatedtype Rows: ParsedRows
    /// How inputs are read.
    var format: BatchInputFormat { get }
    /// The rows and rejects of the CSV object `key`.
    func parseCSV(_ bytes: UnsafeBufferPointer<UInt8>, key: String) -> ParsedInput<Rows>
    /// The rows and rejects of the JSON Lines object `key`.
    func parseJSONLines(_ buffer: UnsafeBufferPointer<UInt8>, key: String) -> ParsedInput<Rows>
}

extension BatchRowParser {
    /// The rows and rejects of the object `key` holding `data`, in the format `format` gives it.
    func parse(_ data: Data, key: String) -> ParsedInput<Rows> {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            return switch format.resolved(for: key) {
            case .jsonLines: parseJSONLines(bytes, key: key)
            case .csv, .auto: parseCSV(bytes, key: key)
            }
        }
    }
}

/// Turns the bytes of one input object into rows, rejecting what is unparseable, has no text
/// or id, or is over the size limit. Never throws: a bad row is a reject, not a failure. A
/// wrong column name is not a bad row, though: a CSV header without the text or id column (or
/// a malformed header), or a JSON Lines object in which no record has the text field (or no
/// record has the id field), sets `jobFailure` instead.
struct BatchInputParser: BatchRowParser {
    let format: BatchInputFormat
    let textField: String
    let idField: String?
    let maxTextBytes: Int
    /// The one rule for JSON lines, shared with `rehearse predict` (see `JSONRecord`).
    let recordReader: JSONRecordReader

    init(spec: BatchJobSpec) {
        format = spec.format
        textField = spec.textField
        idField = spec.idField
        maxTextBytes = spec.maxTextBytes
        recordReader = JSONRecordReader(textField: spec.textField, idField: spec.idField)
    }

    // MARK: CSV

    func parseCSV(_ bytes: UnsafeBufferPointer<UInt8>, key: String) -> ParsedInput<InputRows> {
        var result = ParsedInput(rows: InputRows())
        var scanner = CSVColumnScanner(bytes: bytes)
        var fields: [CSVColumnScanner.Field] = []
        let header: CSVHeader
        var columns: [Int] = []
        do throws(BatchJobError) {
            guard let found = try CSVHeader.read(&scanner, key: key) else { return result }  // an empty object has no rows
            header = found
            columns.append(try header.index(of: textField, role: .text, key: key))
            if let idField { columns.append(try header.index(of: idField, role: .id, key: key)) }
        } catch {
            result.jobFailure = error
            return result
        }
        result.rows.reserve(rows: bytes.count / 64, bytes: bytes.count)
        while let record = scanner.next(columns: columns, into: &fields) {
            if let problem = header.problem(with: record) {
                result.rejects.append(RejectedRow(input: key, line: record.line, reason: problem))
                continue
            }
            scanner.withBytes(of: fields[0]) { text in
                guard idField != nil else { return accept(text: text, id: nil, line: record.line, key: key, into: &result) }
                scanner.withBytes(of: fields[1]) { id in accept(text: text, id: id, line: record.line, key: key, into: &result) }
            }
        }
        return result
    }

    // MARK: JSON Lines

    func parseJSONLines(_ buffer: UnsafeBufferPointer<UInt8>, key: String) -> ParsedInput<InputRows> {
        var result = ParsedInput(rows: InputRows())
        let maxLineBytes = maxTextBytes * 4
        var records = 0
        var sawText = false
        var sawID = false
        var firstRecord: UnsafeBufferPointer<UInt8>?
        InputLines.forEach(in: buffer, maxBytes: maxLineBytes, tooLong: { line, bytes in
            result.rejects.append(RejectedRow(input: key, line: line, reason: InputLines.tooLongReason(bytes: bytes, limit: maxLineBytes)))
        }) { line, lineBytes in
            let outcome = Result { () throws(JSONRecordError) in try recordReader.read(lineBytes) }
            if let fields = Self.fieldsSeen(in: outcome, idField: idField) {
                records += 1
                if firstRecord == nil { firstRecord = lineBytes }
                sawText = sawText || fields.text
                sawID = sawID || fields.id
            }
            switch outcome {
            case .failure(let error):
                result.rejects.append(RejectedRow(input: key, line: line, reason: error.description))
            case .success(let record):
                if let idField, record.id == nil {
                    result.rejects.append(RejectedRow(input: key, line: line,
                        reason: "missing id: the record has no field \"\(idField)\""))
                } else {
                    accept(text: record.text, id: record.id, line: line, key: key, into: &result)  // JSON strings are valid UTF-8
                }
            }
        }
        // Records, but never the field: the job names a field these inputs do not have.
        if records > 0 && !sawText {
            result.jobFailure = .missingColumn(input: key, role: .text, column: textField, found: Self.keys(of: firstRecord))
        } else if records > 0, let idField, !sawID {
            result.jobFailure = .missingColumn(input: key, role: .id, column: idField, found: Self.keys(of: firstRecord))
        }
        return result
    }

    /// The sorted field names of a JSON object line, for an error message (cold path).
    static func keys(of record: UnsafeBufferPointer<UInt8>?) -> [String] {
        guard let record, case .object(let members)? = try? JSONParser.parse(String(decoding: record, as: UTF8.self)) else { return [] }
        return members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// For a line that was a JSON object: whether it had the text field and the id field (true
    /// when no id field is read). Nil when the line was not a JSON object.
    private static func fieldsSeen(in outcome: Result<JSONRecord, JSONRecordError>, idField: String?) -> (text: Bool, id: Bool)? {
        switch outcome {
        case .success(let record):
            return (true, idField == nil || record.id != nil)
        case .failure(let error):
            let idSeen = idField == nil || error.id != nil
            switch error.reason {
            case .invalidJSON, .notAnObject: return nil
            case .missingText: return (false, idSeen)
            case .textNotString: return (true, idSeen)
            case .invalidID, .emptyID: return (true, true)
            }
        }
    }    // MARK: Shared checks

    /// Checks a CSV row's raw bytes: well-formed UTF-8 goes on as it is, anything else is
    /// first decoded with U+FFFD replacements.
    private func accept(text: UnsafeBufferPointer<UInt8>, id: UnsafeBufferPointer<UInt8>?, line: Int, key: String,
                        into result: inout ParsedInput<InputRows>) {
        guard UTF8Validation.isValid(text), id.map(UTF8Validation.isValid) ?? true else {
            return accept(text: String(decoding: text, as: UTF8.self), id: id.map { String(decoding: $0, as: UTF8.self) },
                          line: line, key: key, into: &result)
        }
        accept(utf8Text: text, id: id, line: line, key: key, into: &result)
    }

    private func accept(text: String, id: String?, line: Int, key: String, into result: inout ParsedInput<InputRows>) {
        accept(utf8Text: text.utf8, id: id?.utf8, line: line, key: key, into: &result)
    }

    /// Rejects a row over the size limit, with blank text or an empty id, and keeps the rest.
    private func accept(utf8Text text: some Collection<UInt8>, id: (some Collection<UInt8>)?, line: Int, key: String,
                        into result: inout ParsedInput<InputRows>) {
        if text.count > maxTextBytes {
            result.rejects.append(RejectedRow(input: key, line: line,
                reason: "text is \(text.count) bytes, over the limit of \(maxTextBytes)"))
        } else if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            result.rejects.append(RejectedRow(input: key, line: line, reason: "missing text: \"\(textField)\" is empty"))
        } else if let id {
            if id.isEmpty {
                result.rejects.append(RejectedRow(input: key, line: line, reason: "missing id: \"\(idField ?? "")\" is empty"))
            } else {
                result.rows.append(id: id, text: text)
            }
        } else {
            result.rows.append(id: "\(key)#\(line)".utf8, text: text)
        }
    }
}
