/// Writes predictions as JSON Lines bytes, fast and byte-for-byte stable:
///
///     {"id":"17","label":"positive","probabilities":{"negative":0.010000,"neutral":0.090000,"positive":0.900000},"score":0.890000}
///
/// The model id is not repeated on every line (it was 38% of the bytes): the manifest and each
/// shard's `model-id` object metadata carry it. Keys are sorted, numbers have exactly six
/// decimals (`-0` is written `0.000000`), and no Foundation JSON is involved, so a million rows
/// cost little beyond the prediction itself.
struct PredictionEncoder: Sendable {
    /// The bytes between the id and the label: `,"label":"`.
    private let labelPrefix: [UInt8]
    /// The bytes after the label up to the first probability: `","probabilities":{`.
    private let probabilitiesPart: [UInt8]
    /// For each label in sorted order: its index in the model's labels, and the bytes before its value.
    private let probabilityParts: [(index: Int, prefix: [UInt8])]
    private let labelBytes: [[UInt8]]

    /// Six decimals.
    static let decimals = 6

    init(labels: [String]) {
        labelPrefix = Array(",\"label\":\"".utf8)
        probabilitiesPart = Array("\",\"probabilities\":{".utf8)
        let sorted = labels.indices.sorted { labels[$0].utf8.lexicographicallyPrecedes(labels[$1].utf8) }
        probabilityParts = sorted.enumerated().map { position, index in
            (index, (position == 0 ? [] : [UInt8(ascii: ",")]) + Self.quoted(labels[index]) + [UInt8(ascii: ":")])
        }
        labelBytes = labels.map { Self.escaped($0) }
    }

    /// Appends one line (with its newline) for the row `id`, predicted as label `labelIndex`
    /// with `probabilities` (in the model's label order) and `score`.
    func append(id: UnsafeBufferPointer<UInt8>, labelIndex: Int, probabilities: [Double], score: Double, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"id\":".utf8)
        Self.appendQuoted(id, to: &out)
        out.append(contentsOf: labelPrefix)
        out.append(contentsOf: labelBytes[labelIndex])
        out.append(contentsOf: probabilitiesPart)
        for part in probabilityParts {
            out.append(contentsOf: part.prefix)
            Self.appendFixed(probabilities[part.index], to: &out)
        }
        out.append(contentsOf: "},\"score\":".utf8)
        Self.appendFixed(score, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }

    /// `value` with exactly six decimals, rounded half away from zero; non-finite values as
    /// `null`. Meant for probabilities and scores: magnitudes beyond 9e12 are clamped.
    static func appendFixed(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else { out.append(contentsOf: "null".utf8); return }
        let units = UInt64(min((abs(value) * 1_000_000).rounded(.toNearestOrAwayFromZero), 9e18))
        if value < 0 && units > 0 { out.append(UInt8(ascii: "-")) }
        appendDigits(units / 1_000_000, to: &out)
        out.append(UInt8(ascii: "."))
        // The six digits are written in place, last first (no array per number).
        var fraction = units % 1_000_000
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: decimals))
        var position = out.count - 1
        while fraction > 0 {
            out[position] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
            position -= 1
        }
    }

    private static func appendDigits(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 { out.append(UInt8(ascii: "0") + UInt8(value)); return }
        out.append(contentsOf: String(value).utf8)
    }

    /// Appends `text` as a JSON string literal (quotes, backslashes and control characters escaped).
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendQuoted($0, to: &out) }
    }

    /// Appends UTF-8 `bytes` as a JSON string literal.
    static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var clean = true
        for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            clean = false
            break
        }
        if clean { out.append(contentsOf: bytes) } else { out.append(contentsOf: escaped(bytes)) }
        out.append(UInt8(ascii: "\""))
    }

    private static func quoted(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        appendQuoted(text, to: &out)
        return out
    }

    private static func escaped(_ text: String) -> [UInt8] { escaped(Array(text.utf8)) }

    /// The escapes of ModelCore's `JSONText.string`, on UTF-8 bytes.
    private static func escaped<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var out: [UInt8] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        return out
    }
}
