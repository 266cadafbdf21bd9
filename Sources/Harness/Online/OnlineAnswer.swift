import JSON

/// One text's prediction as a service answered it, read from a V2 infer response or a
/// `/predict` response.
struct OnlineAnswer: Sendable, Equatable {
    let label: String
    /// Probabilities in the order of `labels`.
    let probabilities: [Double]
    /// The class order of `probabilities`.
    let labels: [String]
    let score: Double
    /// The model id the answer names.
    let modelID: String

    /// The answers an exchange carries, one per row, or nil when it is not a 200 answer of
    /// either shape (or the shape is broken). A V2 answer's class order is its model's (the
    /// model metadata's `parameters.labels`), found by the model id it names with `labels`.
    static func answers(of exchange: Exchange, labels: (String) -> [String]?) -> [OnlineAnswer]? {
        guard exchange.status == 200, let json = exchange.json else { return nil }
        if case .array(let outputs)? = json.member("outputs") { return v2(json, outputs: outputs, labels: labels) }
        if case .array(let items)? = json.member("predictions") { return plain(items) }
        return plain([json])
    }

    private static func v2(_ json: JSONValue, outputs: [JSONValue], labels labelsOf: (String) -> [String]?) -> [OnlineAnswer]? {
        func data(_ name: String) -> [JSONValue]? {
            for output in outputs where output.member("name") == .string(name) {
                if case .array(let items)? = output.member("data") { return items }
            }
            return nil
        }
        guard case .string(let modelID)? = json.member("parameters")?.member("model_id"), let labels = labelsOf(modelID),
              let predicted = data("label").flatMap(strings),
              let flat = data("probabilities").flatMap(numbers), let scores = data("score").flatMap(numbers),
              !labels.isEmpty, flat.count == predicted.count * labels.count, scores.count == predicted.count
        else { return nil }
        return predicted.indices.map { row in
            OnlineAnswer(label: predicted[row], probabilities: Array(flat[row * labels.count..<(row + 1) * labels.count]),
                         labels: labels, score: scores[row], modelID: modelID)
        }
    }

    private static func plain(_ items: [JSONValue]) -> [OnlineAnswer]? {
        var answers: [OnlineAnswer] = []
        for item in items {
            guard case .string(let label)? = item.member("label"), case .string(let modelID)? = item.member("model_id"),
                  case .number(let score)? = item.member("score"), case .object(let members)? = item.member("probabilities") else { return nil }
            let labels = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            guard let probabilities = numbers(labels.map { members[$0]! }) else { return nil }
            answers.append(OnlineAnswer(label: label, probabilities: probabilities, labels: labels, score: score, modelID: modelID))
        }
        return answers
    }

    private static func strings(_ values: [JSONValue]) -> [String]? {
        let strings = values.compactMap { if case .string(let text) = $0 { text } else { nil } }
        return strings.count == values.count ? strings : nil
    }

    private static func numbers(_ values: [JSONValue]) -> [Double]? {
        let numbers = values.compactMap { if case .number(let number) = $0 { number } else { nil } }
        return numbers.count == values.count ? numbers : nil
    }

    /// The probability of `label`, if it is one of the answer's classes.
    func probability(of label: String) -> Double? {
        labels.firstIndex(of: label).map { probabilities[$0] }
    }
}
