import Foundation
import JSON
import ModelCore

/// Turns the bytes of one input object into rows for a tabular model: one value per column of
/// its schema, found by name, plus the id. Never throws: a bad row is a reject. As for text
/// models, a wrong column name is not a bad row but `jobFailure`: a CSV header without one of
/// the schema's columns (or without the id column), or a JSON Lines object none of whose
/// records has one of them.
///
/// Values:
/// - a numeric column holds a finite decimal number: in CSV `-12`, `3.5`, `1e3` (spaces and
///   tabs around it allowed; not `inf`, `nan`, hex or an empty field); in JSON a number;
/// - a categorical column holds any text: in CSV the field as it is (an empty field is the
///   category ""), in JSON a string, or a whole number taken as its digits (`17` is `"17"`, as
///   in CSV);
/// - the id follows the one rule of ``JSONRecord`` in JSON, and is the field's text in CSV;
///   it must not be empty. Without an id column, rows are `<key>#<line>`.
struct TabularInputParser: BatchRowParser {
    let format: BatchInputFormat
    let schema: TabularSchema
    let idField: String?
    /// JSON lines longer than this many bytes are rejected unread.
    let maxLineBytes: Int

    init(spec: BatchJobSpec, schema: TabularSchema) {
        format = spec.format
        self.schema = schema
        idField = spec.idField
        maxLineBytes = spec.maxTextBytes * 4
    }

    /// One reason a row is refused.
    private struct RowProblem: Error {
        let reason: String
    }

    // MARK: CSV

    func parseCSV(_ bytes: UnsafeBufferPointer<UInt8>, key: String) -> ParsedInput<TabularRows> {
        var result = ParsedInput(rows: TabularRows(schema: schema))
        var scanner = CSVColumnScanner(bytes: bytes)
        let header: CSVHeader
        var columns: [Int] = []
        // Where the id is among the columns read (an id column may also be a feature).
        var idSlot: Int?
        do throws(BatchJobError) {
            guard let found = try CSVHeader.read(&scanner, key: key) else { return result }  // an empty object has no rows
            header = found
            for column in schema.numeric + schema.categorical { columns.append(try header.index(of: column, role: .feature, key: key)) }
            if let idField {
                let column = try header.index(of: idField, role: .id, key: key)
                idSlot = columns.firstIndex(of: column) ?? columns.count
                if idSlot == columns.count { columns.append(column) }
            }
        } catch {
            result.jobFailure = error
            return result
        }
        var fields: [CSVColumnScanner.Field] = []
        while let record = scanner.next(columns: columns, into: &fields) {
            if let problem = header.problem(with: record) {
                result.rejects.append(RejectedRow(input: key, line: record.line, reason: problem))
                continue
            }
            do throws(RowProblem) {
                let numeric = try schema.numeric.indices.map { column throws(RowProblem) in
                    try scanner.withBytes(of: fields[column]) { bytes throws(RowProblem) in try Self.number(bytes, column: schema.numeric[column]) }
                }
                let categorical = schema.categorical.indices.map { column in
                    scanner.withBytes(of: fields[schema.numeric.count + column]) { String(decoding: $0, as: UTF8.self) }
                }
                let id = idSlot.map { slot in scanner.withBytes(of: fields[slot]) { String(decoding: $0, as: UTF8.self) } }
                try accept(id: id, numeric: numeric, categorical: categorical, line: record.line, key: key, into: &result)
            } catch {
                result.rejects.append(RejectedRow(input: key, line: record.line, reason: error.reason))
            }
        }
        return result
    }

    /// A CSV field's finite decimal number.
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, column: String) throws(RowProblem) -> Double {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
        if text.isEmpty { throw RowProblem(reason: "\"\(column)\" is empty; expected a number") }
        guard isDecimal(text.utf8), let value = Double(text) else {
            throw RowProblem(reason: "\"\(column)\" must be a decimal number, found \"\(text.count <= 40 ? text : text.prefix(40) + "…")\"")
        }
        guard value.isFinite else { throw RowProblem(reason: "\"\(column)\" is out of range: \(text)") }
        return value
    }

    /// Whether `text` is `[+-]digits[.digits][(e|E)[+-]digits]`, digits on at least one side of
    /// the point: the numbers CSV tools write, and not `inf`, `nan` or hex, which `Double` also reads.
    private static func isDecimal(_ text: String.UTF8View) -> Bool {
        var bytes = text[...]
        func digits() -> Int {
            let count = bytes.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var mantissa = digits()
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    // MARK: JSON Lines

    func parseJSONLines(_ buffer: UnsafeBufferPointer<UInt8>, key: String) -> ParsedInput<TabularRows> {
        var result = ParsedInput(rows: TabularRows(schema: schema))
        let columns = schema.numeric + schema.categorical
        var records = 0
        var seen = Set<String>()
        var firstRecord: UnsafeBufferPointer<UInt8>?
        InputLines.forEach(in: buffer, maxBytes: maxLineBytes, tooLong: { line, bytes in
            result.rejects.append(RejectedRow(input: key, line: line, reason: InputLines.tooLongReason(bytes: bytes, limit: maxLineBytes)))
        }) { line, lineBytes in
            do throws(RowProblem) {
                let members = try Self.object(lineBytes)
                records += 1
                if firstRecord == nil { firstRecord = lineBytes }
                for name in columns + [idField].compactMap({ $0 }) where members[name] != nil { seen.insert(name) }
                let numeric = try schema.numeric.map { column throws(RowProblem) in try Self.number(members[column], column: column) }
                let categorical = try schema.categorical.map { column throws(RowProblem) in try Self.category(members[column], column: column) }
                var id: String?
                if let idField {
                    guard let value = members[idField] else { throw RowProblem(reason: "missing id: the record has no field \"\(idField)\"") }
                    guard let text = JSONRecordReader.id(from: value) else {
                        throw RowProblem(reason: JSONRecordError(.invalidID(field: idField, found: JSONRecordReader.describe(value))).description)
                    }
                    id = text
                }
                try accept(id: id, numeric: numeric, categorical: categorical, line: line, key: key, into: &result)
            } catch {
                result.rejects.append(RejectedRow(input: key, line: line, reason: error.reason))
            }
        }
        // Records, but never the field: the job reads a field these inputs do not have.
        if records > 0, let missing = columns.first(where: { !seen.contains($0) }) {
            result.jobFailure = .missingColumn(input: key, role: .feature, column: missing, found: BatchInputParser.keys(of: firstRecord))
        } else if records > 0, let idField, !seen.contains(idField) {
            result.jobFailure = .missingColumn(input: key, role: .id, column: idField, found: BatchInputParser.keys(of: firstRecord))
        }
        return result
    }

    /// The members of the JSON object on a line, by the strict parser.
    private static func object(_ line: UnsafeBufferPointer<UInt8>) throws(RowProblem) -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONParser.parse(String(decoding: line, as: UTF8.self))
        } catch {
            throw RowProblem(reason: JSONRecordError(.invalidJSON(error)).description)
        }
        guard case .object(let members) = value else {
            throw RowProblem(reason: JSONRecordError(.notAnObject(found: JSONRecordReader.describe(value))).description)
        }
        return members
    }

    /// A JSON field's number.
    private static func number(_ value: JSONValue?, column: String) throws(RowProblem) -> Double {
        switch value {
        case .number(let number)?: return number  // the parser refuses numbers that overflow
        case .bigInteger(let digits)?:
            guard let number = Double(digits), number.isFinite else { throw RowProblem(reason: "\"\(column)\" is out of range") }
            return number
        case nil: throw RowProblem(reason: "missing \"\(column)\": the record has no such field")
        case let other?: throw RowProblem(reason: "field \"\(column)\" must be a number, found \(JSONRecordReader.describe(other))")
        }
    }

    /// A JSON field's category: a string, or a whole number's digits.
    private static func category(_ value: JSONValue?, column: String) throws(RowProblem) -> String {
        guard let value else { throw RowProblem(reason: "missing \"\(column)\": the record has no such field") }
        guard let text = JSONRecordReader.id(from: value) else {
            throw RowProblem(reason: "field \"\(column)\" must be a string or a whole number, found \(JSONRecordReader.describe(value))")
        }
        return text
    }

    // MARK: Shared

    /// Keeps a row unless its id is empty.
    private func accept(id: String?, numeric: [Double], categorical: [String], line: Int, key: String,
                        into result: inout ParsedInput<TabularRows>) throws(RowProblem) {
        if let id {
            if id.isEmpty { throw RowProblem(reason: "missing id: \"\(idField ?? "")\" is empty") }
            result.rows.append(id: id.utf8, numeric: numeric, categorical: categorical)
        } else {
            result.rows.append(id: "\(key)#\(line)".utf8, numeric: numeric, categorical: categorical)
        }
    }
}
