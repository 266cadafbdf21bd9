import Foundation
import ModelCore

/// One input line of `rehearse predict`, read as text or JSON.
enum InputLine {
    case text(String, id: String?)
    case failure(String, id: String?)

    static func parse(_ line: ArraySlice<UInt8>, format: PredictCommand.InputFormat) -> InputLine {
        let looksLikeObject = line.first(where: { $0 != 0x20 && $0 != 0x09 }) == UInt8(ascii: "{")
        if format == .text || (format == .auto && !looksLikeObject) {
            return .text(String(decoding: line, as: UTF8.self), id: nil)
        }
        // Invalid UTF-8 becomes U+FFFD first, so such a line is still read as JSON.
        let repaired = Data(String(decoding: line, as: UTF8.self).utf8)
        guard let object = (try? JSONSerialization.jsonObject(with: repaired, options: [.fragmentsAllowed])) as? [String: Any] else {
            if format == .auto { return .text(String(decoding: line, as: UTF8.self), id: nil) }
            return .failure("expected a JSON object with a \"text\" field", id: nil)
        }
        guard let text = object["text"] as? String else {
            let reason = object["text"] == nil ? "JSON object has no \"text\" field" : "the \"text\" field must be a string"
            return .failure(reason, id: idText(object["id"]))
        }
        return .text(text, id: idText(object["id"]))
    }

    /// The `id` field as JSON text, if it is a string or a number.
    private static func idText(_ value: Any?) -> String? {
        if let string = value as? String { return JSONText.string(string) }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }
}
