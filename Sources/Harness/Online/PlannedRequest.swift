import JSON

/// One HTTP request a `request` or `load` step sends, with the slice rows it carries.
struct PlannedRequest: Sendable {
    /// `GET`, `POST`, …
    let method: String
    /// Path and query.
    let path: String
    /// Headers, in order.
    let headers: [(name: String, value: String)]
    /// Body bytes.
    let body: [UInt8]
    /// The V2 request `id` sent, if any (feedback refers to it).
    let requestID: String?
    /// The slice rows carried, in order (none for a raw request).
    let rows: [SliceRow]

    /// The ids of the rows carried.
    var rowIDs: [String] { rows.map(\.id) }

    /// The requests of a source: a raw request once; a slice in requests of `batch` texts each,
    /// `count` of them (cycling through the slice), or just enough to carry it once when nil.
    /// Infer requests get the id `<name>-<n>` (n from 1).
    static func plan(_ source: RequestSource, name: String, rows: [SliceRow], count: Int? = nil) -> [PlannedRequest] {
        switch source {
        case .http(let raw):
            return [PlannedRequest(method: raw.method, path: raw.path, headers: raw.headers, body: raw.body, requestID: nil, rows: [])]
        case .infer(let model, let version, _, let batch):
            let path = "/v2/models/\(model)" + (version.map { "/versions/\($0)" } ?? "") + "/infer"
            return batches(of: rows, batch: batch, count: count).enumerated().map { number, batch in
                let id = "\(name)-\(number + 1)"
                let body: JSONValue = .object([
                    "id": .string(id),
                    "inputs": .array([.object([
                        "name": .string("text"), "datatype": .string("BYTES"), "shape": .array([.number(Double(batch.count))]),
                        "parameters": .object(["content_type": .string("str")]),
                        "data": .array(batch.map { .string($0.text) }),
                    ])]),
                ])
                return PlannedRequest(method: "POST", path: path, headers: [("content-type", "application/json")],
                                      body: Array(body.canonicalText.utf8), requestID: id, rows: batch)
            }
        case .predict(_, let batch):
            return batches(of: rows, batch: batch, count: count).map { batch in
                let body: JSONValue = batch.count == 1 ? .object(["text": .string(batch[0].text)])
                    : .object(["texts": .array(batch.map { .string($0.text) })])
                return PlannedRequest(method: "POST", path: "/predict", headers: [("content-type", "application/json")],
                                      body: Array(body.canonicalText.utf8), requestID: nil, rows: batch)
            }
        }
    }

    /// `rows` cut into batches; with `count`, exactly that many batches, cycling through the rows.
    private static func batches(of rows: [SliceRow], batch: Int, count: Int?) -> [[SliceRow]] {
        guard !rows.isEmpty else { return [] }
        let total = count ?? (rows.count + batch - 1) / batch
        return (0..<total).map { number in
            let start = number * batch
            let end = count == nil ? min(start + batch, rows.count) : start + batch
            return (start..<end).map { rows[$0 % rows.count] }
        }
    }
}
