import Foundation
import JSON

/// Writes slice rows as an input object: CSV with the header `id,sentiment,text`, or JSON Lines
/// records `{"id","sentiment","text"}`.
enum SliceEncoding {
    static func encode(_ rows: [SliceRow], format: SliceFormat) -> Data {
        var out = ""
        switch format {
        case .jsonl:
            for row in rows {
                out += "{\"id\":\(jsonString(row.id)),\"sentiment\":\(jsonString(row.label)),\"text\":\(jsonString(row.text))}\n"
            }
        case .csv:
            out = "id,sentiment,text\n"
            for row in rows { out += "\(csvField(row.id)),\(csvField(row.label)),\(csvField(row.text))\n" }
        }
        return Data(out.utf8)
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func jsonString(_ text: String) -> String {
        JSONValue.string(text).canonicalText
    }
}
