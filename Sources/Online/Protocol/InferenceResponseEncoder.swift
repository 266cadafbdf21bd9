import JSON

/// Writes V2 inference responses for one served model version, as canonical JSON (keys sorted,
/// the `JSON` module's string escaping and number form):
///
///     {"id":"r1","model_name":"sentiment","model_version":"2","outputs":[
///       {"data":["positive"],"datatype":"BYTES","name":"label","shape":[1]},
///       {"data":[0.0187,0.0097,0.9716],"datatype":"FP64","name":"probabilities","shape":[1,3]},
///       {"data":[0.9528],"datatype":"FP64","name":"score","shape":[1]}],
///      "parameters":{"model_id":"e3c001a7…"}}
///
/// Probabilities and scores are written in full (shortest round-trip digits), so they equal
/// `rehearse predict`'s bit for bit. The parts that depend only on the model are built once.
public struct InferenceResponseEncoder: Sendable {
    private let modelPart: [UInt8]
    private let parametersPart: [UInt8]
    private let quotedLabels: [[UInt8]]
    private let labelCount: Int

    /// An encoder for `version` of the model `name` with id `modelID` and `labels` (in order).
    public init(name: String, version: Int, modelID: String, labels: [String]) {
        modelPart = Array("\"model_name\":\(JSONString.quoted(name)),\"model_version\":\"\(version)\",\"outputs\":[".utf8)
        parametersPart = Array("],\"parameters\":{\"model_id\":\(JSONString.quoted(modelID))}}".utf8)
        quotedLabels = labels.map { Array(JSONString.quoted($0).utf8) }
        labelCount = labels.count
    }

    /// The response body for `result`, echoing `id` when the request had one, with `outputs` in order.
    public func encode(id: String?, outputs: [InferenceOutput], result: InferenceResult) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(200 + result.count * (40 + 24 * labelCount))
        out.append(UInt8(ascii: "{"))
        if let id {
            out.append(contentsOf: "\"id\":".utf8)
            JSONString.appendQuoted(id, to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: modelPart)
        for (position, output) in outputs.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "{\"data\":[".utf8)
            switch output {
            case .label:
                for (index, label) in result.labelIndices.enumerated() {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: quotedLabels[label])
                }
                out.append(contentsOf: "],\"datatype\":\"BYTES\",\"name\":\"label\",\"shape\":[".utf8)
                CanonicalNumber.appendInteger(result.count, to: &out)
            case .probabilities:
                appendNumbers(result.probabilities, to: &out)
                out.append(contentsOf: "],\"datatype\":\"FP64\",\"name\":\"probabilities\",\"shape\":[".utf8)
                CanonicalNumber.appendInteger(result.count, to: &out)
                out.append(UInt8(ascii: ","))
                CanonicalNumber.appendInteger(labelCount, to: &out)
            case .score:
                appendNumbers(result.scores, to: &out)
                out.append(contentsOf: "],\"datatype\":\"FP64\",\"name\":\"score\",\"shape\":[".utf8)
                CanonicalNumber.appendInteger(result.count, to: &out)
            }
            out.append(contentsOf: "]}".utf8)
        }
        out.append(contentsOf: parametersPart)
        return out
    }

    private func appendNumbers(_ numbers: [Double], to out: inout [UInt8]) {
        for (index, number) in numbers.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            CanonicalNumber.append(number, to: &out)
        }
    }
}
