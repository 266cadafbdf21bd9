import JSON

/// Writes predictions as JSON Lines bytes, fast and byte-for-byte stable:
///
///     {"id":"17","label":"positive","probabilities":{"negative":0.01,"neutral":0.09,"positive":0.9},"score":0.89}
///
/// The model id is not repeated on every line (it was 38% of the bytes): the manifest and each
/// shard's `model-id` object metadata carry it. Each line is canonical JSON (see the `JSON`
/// module): keys sorted, strings escaped by ``JSONString``. Probabilities and scores are first
/// rounded half away from zero to six decimals — an output choice that keeps shards short and
/// diffable — and then written exactly as the canonical writer writes the rounded value (`0.5`,
/// `0.000001`, `1`, `0`), by ``CanonicalNumber/appendRounded(_:toDecimals:to:)``, a fast path
/// tested equal to it. No Foundation JSON is involved, so a million rows cost little beyond
/// the prediction itself.
struct PredictionEncoder: Sendable {
    /// The bytes between the id and the label: `,"label":`.
    private let labelPrefix: [UInt8]
    /// The bytes after the label up to the first probability: `,"probabilities":{`.
    private let probabilitiesPart: [UInt8]
    /// For each label in sorted order: its index in the model's labels, and the bytes before its value.
    private let probabilityParts: [(index: Int, prefix: [UInt8])]
    /// Each label as a quoted JSON string, in the model's label order.
    private let quotedLabels: [[UInt8]]

    /// Probabilities and scores are rounded to six decimals.
    static let decimals = 6

    init(labels: [String]) {
        labelPrefix = Array(",\"label\":".utf8)
        probabilitiesPart = Array(",\"probabilities\":{".utf8)
        let sorted = labels.indices.sorted { labels[$0].utf8.lexicographicallyPrecedes(labels[$1].utf8) }
        probabilityParts = sorted.enumerated().map { position, index in
            (index, (position == 0 ? [] : [UInt8(ascii: ",")]) + Array(JSONString.quoted(labels[index]).utf8) + [UInt8(ascii: ":")])
        }
        quotedLabels = labels.map { Array(JSONString.quoted($0).utf8) }
    }

    /// Appends one line (with its newline) for the row `id`, predicted as label `labelIndex`
    /// with `probabilities` (in the model's label order) and `score`.
    func append(id: UnsafeBufferPointer<UInt8>, labelIndex: Int, probabilities: [Double], score: Double, to out: inout [UInt8]) {
        out.append(contentsOf: "{\"id\":".utf8)
        JSONString.appendQuoted(id, to: &out)
        out.append(contentsOf: labelPrefix)
        out.append(contentsOf: quotedLabels[labelIndex])
        out.append(contentsOf: probabilitiesPart)
        for part in probabilityParts {
            out.append(contentsOf: part.prefix)
            CanonicalNumber.appendRounded(probabilities[part.index], toDecimals: Self.decimals, to: &out)
        }
        out.append(contentsOf: "},\"score\":".utf8)
        CanonicalNumber.appendRounded(score, toDecimals: Self.decimals, to: &out)
        out.append(contentsOf: "}\n".utf8)
    }
}
