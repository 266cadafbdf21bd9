import JSON
import Modes

/// A `POST /v2/models/{name}/feedback` body: the true labels of earlier predictions, each named
/// by the request's `id` and the text's `index` in it (0 when left out):
///
///     {"feedback": [{"id": "r1", "label": "positive"}, {"id": "r2", "index": 3, "label": "neutral"}]}
public enum FeedbackRequest {
    /// Decodes a body.
    /// - Throws: `ServiceError` 400 naming the item and field that are wrong, or 413 when there
    ///   are more items than `maximumItems`.
    public static func decode(_ body: UnsafeBufferPointer<UInt8>, maximumItems: Int) throws(ServiceError) -> [FeedbackItem] {
        let value = try JSONBody.parse(body)
        let expected = #"{"feedback": [{"id": "…", "index": 0, "label": "…"}, …]}"#
        guard case .object(let members) = value else { throw .badRequest("expected \(expected), found \(value.kindDescription)") }
        if let unknown = members.keys.sorted().first(where: { $0 != "feedback" }) {
            throw .badRequest("unknown field \"\(unknown)\": expected \(expected)")
        }
        guard let list = members["feedback"] else { throw .badRequest("missing \"feedback\": expected \(expected)") }
        guard case .array(let elements) = list else { throw .badRequest("feedback: expected an array, found \(list.kindDescription)") }
        guard elements.count <= maximumItems else {
            throw .tooLarge("feedback: \(elements.count) items; the limit is \(maximumItems) per request")
        }
        var items: [FeedbackItem] = []
        items.reserveCapacity(elements.count)
        for (position, element) in elements.enumerated() {
            let place = "feedback[\(position)]"
            guard case .object(let fields) = element else { throw .badRequest("\(place): expected an object, found \(element.kindDescription)") }
            if let unknown = fields.keys.sorted().first(where: { !["id", "index", "label"].contains($0) }) {
                throw .badRequest("\(place): unknown field \"\(unknown)\"; an item has id, index and label")
            }
            // The id as the prediction log holds it: a whole-number id (which /predict takes by
            // the JSON record rule, as "7") names the same request as its text.
            guard let given = fields["id"], let id = JSONRecordReader.id(from: given) else {
                throw .badRequest("\(place).id: expected the request's id, a string (or a whole number, as /predict takes it)")
            }
            guard case .string(let label)? = fields["label"] else { throw .badRequest("\(place).label: expected the true label as a string") }
            var index = 0
            if let given = fields["index"] {
                guard case .number(let number) = given, number >= 0, number == number.rounded(), number < 1e9 else {
                    throw .badRequest("\(place).index: expected the text's position in the request, a whole number from 0")
                }
                index = Int(number)
            }
            items.append(FeedbackItem(requestID: id, index: index, label: label))
        }
        return items
    }
}
