import JSON
import ModelCore

/// A `POST /predict` body, the plain JSON endpoint: `{"text": "…"}` (with an optional `id`,
/// read by the same rule as `rehearse predict`'s JSON lines) or `{"texts": ["…", …]}`.
public enum PredictRequest: Sendable, Equatable {
    /// One text, and its id when the body had one.
    case single(JSONRecord)
    /// Several texts, answered in order.
    case batch([String])

    /// Decodes a body.
    /// - Throws: `ServiceError` 400 naming what is wrong, or 413 when the texts or one text are
    ///   over `limits`.
    public static func decode(_ body: UnsafeBufferPointer<UInt8>, limits: ServiceLimits) throws(ServiceError) -> PredictRequest {
        let value = try JSONBody.parse(body)
        let expected = #"{"text": "…"} or {"texts": ["…", …]}"#
        guard case .object(let members) = value else { throw .badRequest("expected \(expected), found \(value.kindDescription)") }
        switch (members["text"], members["texts"]) {
        case (nil, nil):
            throw .badRequest("missing \"text\": expected \(expected)")
        case (.some, .some):
            throw .badRequest("give \"text\" (one text) or \"texts\" (a list), not both")
        case (.some, nil):
            let record: JSONRecord
            do {
                record = try JSONRecordReader().readStrictly(body)
            } catch {
                throw .badRequest(error.description)
            }
            try check(record.text, place: "text", limits: limits)
            return .single(record)
        case (nil, let list?):
            guard members["id"] == nil else {
                throw .badRequest("\"id\" goes with \"text\"; with \"texts\" the predictions come back in the order of the texts")
            }
            guard case .array(let elements) = list else { throw .badRequest("texts: expected an array of strings, found \(list.kindDescription)") }
            guard elements.count <= limits.maximumTexts else {
                throw .tooLarge("texts: \(elements.count) texts; the limit is \(limits.maximumTexts) per request")
            }
            var texts: [String] = []
            texts.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element else {
                    throw .badRequest("texts[\(index)]: expected a string, found \(element.kindDescription)")
                }
                try check(text, place: "texts[\(index)]", limits: limits)
                texts.append(text)
            }
            return .batch(texts)
        }
    }

    private static func check(_ text: String, place: String, limits: ServiceLimits) throws(ServiceError) {
        guard text.utf8.count <= limits.maximumTextBytes else {
            throw .tooLarge("\(place): the text is \(text.utf8.count) bytes; the limit is \(limits.maximumTextBytes) bytes of UTF-8")
        }
    }

    /// The response body: for one text, the JSON object `rehearse predict` prints for a line
    /// (label, model_id, probabilities, score, and the id when given; no line number); for
    /// several, `{"predictions":[…]}` with one such object per text, in order.
    public static func responseBody(single prediction: Prediction, id: String?) -> String {
        prediction.jsonObject(adding: id.map { [("id", JSONString.quoted($0))] } ?? [])
    }

    /// The response body for several texts: `{"predictions":[…]}`.
    public static func responseBody(batch predictions: [Prediction]) -> String {
        "{\"predictions\":[" + predictions.map { $0.jsonObject() }.joined(separator: ",") + "]}"
    }
}
