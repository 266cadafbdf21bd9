import JSON

/// One input line of `rehearse predict`, read as text or as a JSON record.
///
/// JSON lines follow the one record rule of ``JSONRecordReader`` (the rule of the batch job's
/// JSON Lines inputs too), so a line gets the same id and the same error in both.
enum InputLine {
    case text(String, id: String?)
    case failure(JSONRecordError)

    private static let reader = JSONRecordReader(textField: "text", idField: "id")

    static func parse(_ line: ArraySlice<UInt8>, format: PredictCommand.InputFormat) -> InputLine {
        if format == .text || (format == .auto && !startsLikeObject(line)) {
            return .text(String(decoding: line, as: UTF8.self), id: nil)
        }
        let result = line.withUnsafeBufferPointer { bytes in
            Result { () throws(JSONRecordError) in try reader.read(bytes) }
        }
        switch result {
        case .success(let record): return .text(record.text, id: record.id)
        case .failure(let error): return .failure(error)
        }
    }

    /// Whether a line starts as a JSON object does: `{`, then `"` (a key) or `}`, white space
    /// allowed around them. In auto mode such a line is JSON, and breaking the record rule is an
    /// error; `{grin} hi` and other lines are text.
    static func startsLikeObject(_ line: ArraySlice<UInt8>) -> Bool {
        let significant = line.lazy.filter { !JSONWhiteSpace.contains($0) }
        var bytes = significant.makeIterator()
        guard bytes.next() == UInt8(ascii: "{"), let next = bytes.next() else { return false }
        return next == UInt8(ascii: "\"") || next == UInt8(ascii: "}")
    }

    /// JSON's white space: space, tab, line feed, carriage return.
    private static let JSONWhiteSpace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
}
