import Foundation

/// The header row of a CSV input: its column names (trimmed of spaces and tabs), and the checks
/// every batch input makes on it and on each record against it.
struct CSVHeader {
    /// The column names, in order.
    let names: [String]

    /// Reads the header of input `key` with `scanner`; nil for an empty input (which has no rows).
    /// - Throws: `BatchJobError.malformedHeader`.
    static func read(_ scanner: inout CSVColumnScanner, key: String) throws(BatchJobError) -> CSVHeader? {
        var values: [String] = []
        guard let header = scanner.next(columns: nil, into: &values) else { return nil }
        if let problem = header.problem { throw .malformedHeader(input: key, line: header.line, problem: problem) }
        return CSVHeader(names: values.map { $0.trimmingCharacters(in: .whitespaces) })
    }

    /// The position of `column`, which the job reads as `role`.
    /// - Throws: `BatchJobError.missingColumn` naming it and the columns found.
    func index(of column: String, role: BatchJobError.ColumnRole, key: String) throws(BatchJobError) -> Int {
        guard let index = names.firstIndex(of: column) else { throw .missingColumn(input: key, role: role, column: column, found: names) }
        return index
    }

    /// Why `record` cannot be a row (malformed, or another number of fields than the header),
    /// or nil.
    func problem(with record: CSVColumnScanner.Record) -> String? {
        if let problem = record.problem { return "malformed CSV: \(problem)" }
        if record.fieldCount != names.count { return "expected \(names.count) fields, found \(record.fieldCount)" }
        return nil
    }
}
