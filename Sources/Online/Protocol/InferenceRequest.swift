import JSON

/// The outputs an inference answers with, in the order the model metadata lists them.
public enum InferenceOutput: String, Sendable, CaseIterable {
    /// The predicted label of each text (BYTES, `[n]`).
    case label
    /// Each text's probability per label, in the model's label order (FP64, `[n, labels]`).
    case probabilities
    /// P(positive) − P(negative) of each text (FP64, `[n]`).
    case score
}

/// A KServe V2 (Open Inference Protocol) inference request for the text model, decoded:
///
///     {"id": "r1",
///      "inputs": [{"name": "text", "datatype": "BYTES", "shape": [2],
///                  "parameters": {"content_type": "str"}, "data": ["I love it", "meh"]}],
///      "outputs": [{"name": "label"}]}
///
/// Exactly one input, named `text`, of datatype `BYTES` and shape `[n]` with `n` the number of
/// strings in `data` (a batch). `parameters.content_type`, when given, must be `"str"`. `id`
/// (a string) is echoed back. `outputs` is optional and picks which outputs come back, in that
/// order (default: label, probabilities, score). Other fields (`parameters`) are allowed and ignored.
public struct InferenceRequest: Sendable, Equatable {
    /// The request's `id`, echoed in the response.
    public var id: String?
    /// The texts, in order.
    public var texts: [String]
    /// The outputs to answer with, in order.
    public var outputs: [InferenceOutput]

    /// A request from its parts.
    public init(id: String?, texts: [String], outputs: [InferenceOutput] = InferenceOutput.allCases) {
        self.id = id
        self.texts = texts
        self.outputs = outputs
    }

    /// Decodes a request body: by a fast scanner when the body has the common V2 shape, else by
    /// the strict path (``decodeStrictly(_:limits:)``), which also words every error.
    /// - Throws: `ServiceError` 400 naming the field (and the text's index) that is wrong and
    ///   what was expected, or 413 when the texts or one text are over `limits`.
    public static func decode(_ body: UnsafeBufferPointer<UInt8>, limits: ServiceLimits) throws(ServiceError) -> InferenceRequest {
        if let request = scan(body, limits: limits) { return request }
        return try decodeStrictly(body, limits: limits)
    }

    /// The request in `body` by the fast scanner alone; nil when it leaves the body to the
    /// strict path. Public so that a differential test can hold it to ``decodeStrictly(_:limits:)``;
    /// ``decode(_:limits:)`` is what callers want.
    public static func scan(_ body: UnsafeBufferPointer<UInt8>, limits: ServiceLimits) -> InferenceRequest? {
        var scanner = InferenceRequestScanner(bytes: body, limits: limits)
        return scanner.request()
    }

    /// The request in `body` by the strict path alone: the `JSON` module's parser, then every
    /// V2 rule, each failure worded. The reference ``decode(_:limits:)`` agrees with.
    public static func decodeStrictly(_ body: UnsafeBufferPointer<UInt8>, limits: ServiceLimits) throws(ServiceError) -> InferenceRequest {
        let value = try JSONBody.parse(body)
        guard case .object(let members) = value else {
            throw .badRequest("expected a JSON object with \"inputs\" (the V2 inference request), found \(value.kindDescription)")
        }
        var request = InferenceRequest(id: nil, texts: [])
        switch members["id"] {
        case nil: break
        case .string(let id)?: request.id = id
        case let other?: throw .badRequest("id: expected a string, found \(other.kindDescription)")
        }
        request.texts = try texts(of: members["inputs"], limits: limits)
        if let outputs = members["outputs"] { request.outputs = try requestedOutputs(outputs) }
        return request
    }

    private static func texts(of inputs: JSONValue?, limits: ServiceLimits) throws(ServiceError) -> [String] {
        let expected = #"{"name":"text","datatype":"BYTES","shape":[n],"data":[…n texts…]}"#
        guard let inputs else { throw .badRequest("missing \"inputs\": expected an array with one input, \(expected)") }
        guard case .array(let list) = inputs else { throw .badRequest("inputs: expected an array with one input, found \(inputs.kindDescription)") }
        guard list.count == 1 else {
            throw .badRequest("inputs: expected exactly one input (named \"text\"), found \(list.count)")
        }
        guard case .object(let input) = list[0] else { throw .badRequest("inputs[0]: expected an object, \(expected), found \(list[0].kindDescription)") }
        guard case .string(let name)? = input["name"], name == "text" else {
            throw .badRequest("inputs[0].name: expected \"text\", found \(input["name"]?.kindDescription ?? "nothing")")
        }
        guard case .string(let datatype)? = input["datatype"], datatype == "BYTES" else {
            throw .badRequest("inputs[0].datatype: expected \"BYTES\" (texts), found \(input["datatype"]?.kindDescription ?? "nothing")")
        }
        if let parameters = input["parameters"] {
            guard case .object(let fields) = parameters else {
                throw .badRequest("inputs[0].parameters: expected an object, found \(parameters.kindDescription)")
            }
            if let contentType = fields["content_type"], contentType != .string("str") {
                throw .badRequest("inputs[0].parameters.content_type: expected \"str\" (UTF-8 text), found \(contentType.kindDescription)")
            }
        }
        guard let dataValue = input["data"] else { throw .badRequest("inputs[0].data: missing; expected an array of strings") }
        guard case .array(let data) = dataValue else {
            throw .badRequest("inputs[0].data: expected an array of strings, found \(dataValue.kindDescription)")
        }
        guard data.count <= limits.maximumTexts else {
            throw .tooLarge("inputs[0].data: \(data.count) texts; the limit is \(limits.maximumTexts) per request")
        }
        guard case .array(let shape)? = input["shape"], shape == [.number(Double(data.count))] else {
            throw .badRequest("inputs[0].shape: expected [\(data.count)] (one dimension: the number of texts in data), "
                              + "found \(input["shape"].map(\.canonicalText) ?? "nothing")")
        }
        var texts: [String] = []
        texts.reserveCapacity(data.count)
        for (index, element) in data.enumerated() {
            guard case .string(let text) = element else {
                throw .badRequest("inputs[0].data[\(index)]: expected a string, found \(element.kindDescription)")
            }
            guard text.utf8.count <= limits.maximumTextBytes else {
                throw .tooLarge("inputs[0].data[\(index)]: the text is \(text.utf8.count) bytes; the limit is \(limits.maximumTextBytes) bytes of UTF-8")
            }
            texts.append(text)
        }
        return texts
    }

    private static func requestedOutputs(_ value: JSONValue) throws(ServiceError) -> [InferenceOutput] {
        let names = InferenceOutput.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        guard case .array(let list) = value else {
            throw .badRequest("outputs: expected an array of {\"name\": …} with names from \(names), found \(value.kindDescription)")
        }
        var outputs: [InferenceOutput] = []
        for (index, element) in list.enumerated() {
            guard case .object(let fields) = element, case .string(let name)? = fields["name"] else {
                throw .badRequest("outputs[\(index)]: expected an object with a \"name\" string, found \(element.kindDescription)")
            }
            guard let output = InferenceOutput(rawValue: name) else {
                throw .badRequest("outputs[\(index)].name: expected one of \(names), found \(JSONString.quoted(name))")
            }
            guard !outputs.contains(output) else {
                throw .badRequest("outputs[\(index)].name: \(JSONString.quoted(name)) is requested twice")
            }
            outputs.append(output)
        }
        return outputs
    }
}
