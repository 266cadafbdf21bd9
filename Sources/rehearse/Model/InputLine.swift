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
        let looksLikeObject = line.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{")
        if format == .text || (format == .auto && !looksLikeObject) {
            return .text(String(decoding: line, as: UTF8.self), id: nil)
        }
        let result = line.withUnsafeBufferPointer { bytes in
            Result { () throws(JSONRecordError) in try reader.read(bytes) }
        }
        switch result {
        case .success(let record):
            return .text(record.text, id: record.id)
        case .failure(let error):
            // In auto mode a line that only looks like an object ("{grin} hi") is text.
            if format == .auto, case .invalidJSON = error.reason { return .text(String(decoding: line, as: UTF8.self), id: nil) }
            return .failure(error)
        }
    }
}
