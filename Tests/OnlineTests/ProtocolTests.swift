import JSON
import ModelCore
import Modes
import Online
import Testing

/// Decoding V2 and /predict bodies: what is accepted, and the exact refusal for each mistake.
@Suite("V2 and /predict bodies")
struct ProtocolTests {
    private func decode(_ body: String, limits: ServiceLimits = ServiceLimits()) throws(ServiceError) -> InferenceRequest {
        var bytes = Array(body.utf8)
        return try decode(bytes: &bytes, limits: limits)
    }

    private func decode(bytes: inout [UInt8], limits: ServiceLimits = ServiceLimits()) throws(ServiceError) -> InferenceRequest {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(ServiceError) in try InferenceRequest.decode(buffer, limits: limits) }
        }
        return try result.get()
    }

    private func refusal(_ body: String, limits: ServiceLimits = ServiceLimits()) -> ServiceError? {
        do {
            _ = try decode(body, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test("a batch request gives its id, texts in order and every output")
    func batch() throws {
        let request = try decode(inferBody(["I love it", "", "meh \u{0}"], id: "r1"))
        #expect(request == InferenceRequest(id: "r1", texts: ["I love it", "", "meh \u{0}"], outputs: [.label, .probabilities, .score]))
    }

    @Test("outputs pick which tensors come back, in the order asked; other fields are ignored")
    func outputs() throws {
        let body = #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["x"]}],"outputs":[{"name":"score"},{"name":"label"}],"parameters":{"x":1}}"#
        let request = try decode(body)
        #expect(request.outputs == [.score, .label])
        #expect(request.id == nil)
    }

    @Test("each mistake gets its status and a message naming the place", arguments: [
        ("", 400, "invalid JSON at line 1, column 1: unexpected end of input; expected a JSON value"),
        (#"{"inputs":[{"name":"text""#, 400, "invalid JSON at line 1, column 26: unexpected end of input; expected ',' or '}' in object"),
        ("[1]", 400, "expected a JSON object with \"inputs\" (the V2 inference request), found an array"),
        ("{}", 400, #"missing "inputs": expected an array with one input, {"name":"text","datatype":"BYTES","shape":[n],"data":[…n texts…]}"#),
        (#"{"inputs":{}}"#, 400, "inputs: expected an array with one input, found an object"),
        (#"{"inputs":[]}"#, 400, "inputs: expected exactly one input (named \"text\"), found 0"),
        (#"{"inputs":[{"name":"words","datatype":"BYTES","shape":[1],"data":["x"]}]}"#, 400, #"inputs[0].name: expected "text", found the string "words""#),
        (#"{"inputs":[{"name":"text","datatype":"FP32","shape":[1],"data":[1.5]}]}"#, 400, #"inputs[0].datatype: expected "BYTES" (texts), found the string "FP32""#),
        (#"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1,1],"data":["x"]}]}"#, 400, "inputs[0].shape: expected [1] (one dimension: the number of texts in data), found [1,1]"),
        (#"{"inputs":[{"name":"text","datatype":"BYTES","shape":[3],"data":["x"]}]}"#, 400, "inputs[0].shape: expected [1] (one dimension: the number of texts in data), found [3]"),
        (#"{"inputs":[{"name":"text","datatype":"BYTES","data":["x"]}]}"#, 400, "inputs[0].shape: expected [1] (one dimension: the number of texts in data), found nothing"),
        (#"{"inputs":[{"name":"text","datatype":"BYTES","shape":[2],"data":["x",5]}]}"#, 400, "inputs[0].data[1]: expected a string, found the number 5"),
        (#"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":"x"}]}"#, 400, #"inputs[0].data: expected an array of strings, found the string "x""#),
        (#"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"parameters":{"content_type":"bytes"},"data":["x"]}]}"#, 400,
         #"inputs[0].parameters.content_type: expected "str" (UTF-8 text), found the string "bytes""#),
        (#"{"id":7,"inputs":[]}"#, 400, "id: expected a string, found the number 7"),
        (#"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["x"]}],"outputs":[{"name":"logits"}]}"#, 400,
         #"outputs[0].name: expected one of "label", "probabilities", "score", found "logits""#),
        (#"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["x"]}],"outputs":[{"name":"label"},{"name":"label"}]}"#, 400,
         #"outputs[1].name: "label" is requested twice"#),
        (#"{"a":1,"a":2}"#, 400, #"invalid JSON at line 1, column 8: duplicate object key "a""#),
        ("{\"inputs\":[{\"name\":\"text\",\"data\":[\"a\u{1}\"]}]}", 400, "invalid JSON at line 1, column 37: control character U+0001 in string; escape it"),
        ("{\"inputs\":[{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"NUL \u{0} raw\"]}]}", 400,
         "invalid JSON at line 1, column 71: control character U+0000 in string; escape it"),
    ] as [(String, Int, String)])
    func refusals(body: String, status: Int, message: String) {
        #expect(refusal(body) == ServiceError(status: status, message))
    }

    @Test("nesting deeper than the parser allows is refused, not a crash")
    func deepNesting() {
        let error = refusal(String(repeating: "[", count: 100_000))
        #expect(error?.status == 400)
        #expect(error?.message.contains("nested deeper than 512 levels") == true)
    }

    @Test("invalid UTF-8 is refused naming the text's index and the byte's offset")
    func invalidUTF8() {
        var bytes = Array(inferBody(["fine", "also fine", "bad X here"]).utf8)
        let offset = bytes.firstIndex(of: UInt8(ascii: "X"))!
        bytes[offset] = 0xFF
        #expect(throws: ServiceError.badRequest("inputs[0].data[2]: invalid UTF-8 (byte 0xff at offset \(offset) of the body); send text as UTF-8")) {
            try decode(bytes: &bytes)
        }
    }

    @Test("a huge array is refused by its count before its elements are looked at")
    func hugeArray() {
        let body = #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[200000],"data":["#
            + Array(repeating: "1", count: 200_000).joined(separator: ",") + "]}]}"
        #expect(refusal(body) == .tooLarge("inputs[0].data: 200000 texts; the limit is 1000 per request"))
    }

    @Test("over the limits: too many texts, a text too long (413)")
    func limits() {
        let limits = ServiceLimits(maximumTexts: 3, maximumTextBytes: 8)
        #expect(refusal(inferBody(["a", "b", "c", "d"]), limits: limits)
                == .tooLarge("inputs[0].data: 4 texts; the limit is 3 per request"))
        #expect(refusal(inferBody(["a", "123456789"]), limits: limits)
                == .tooLarge("inputs[0].data[1]: the text is 9 bytes; the limit is 8 bytes of UTF-8"))
        #expect(refusal(inferBody(["a", "12345678"]), limits: limits) == nil)
    }

    private func predictRequest(_ body: String) throws(ServiceError) -> PredictRequest {
        let bytes = Array(body.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(ServiceError) in try PredictRequest.decode(buffer, limits: ServiceLimits(maximumTexts: 2)) }
        }
        return try result.get()
    }

    @Test("/predict reads {text, id} by the JSON record rule, and {texts}")
    func predictBodies() throws {
        #expect(try predictRequest(#"{"text":"hi","id":1e3}"#) == .single(JSONRecord(text: "hi", id: "1000")))
        #expect(try predictRequest(#"{"texts":["a","b"]}"#) == .batch(["a", "b"]))
        #expect(throws: ServiceError.badRequest(#"give "text" (one text) or "texts" (a list), not both"#)) { try predictRequest(#"{"text":"a","texts":[]}"#) }
        #expect(throws: ServiceError.badRequest(#"missing "text": expected {"text": "…"} or {"texts": ["…", …]}"#)) { try predictRequest(#"{"words":"a"}"#) }
        #expect(throws: ServiceError.badRequest(#"field "id" must be a string or a whole number, found the number 1.5"#)) { try predictRequest(#"{"text":"a","id":1.5}"#) }
        #expect(throws: ServiceError.badRequest(#""id" goes with "text"; with "texts" the predictions come back in the order of the texts"#)) {
            try predictRequest(#"{"texts":["a"],"id":"x"}"#)
        }
        #expect(throws: ServiceError.badRequest("texts[1]: expected a string, found null")) { try predictRequest(#"{"texts":["a",null]}"#) }
        #expect(throws: ServiceError.tooLarge("texts: 3 texts; the limit is 2 per request")) { try predictRequest(#"{"texts":["a","b","c"]}"#) }
    }

    @Test("feedback names a request by its id as /predict reads it: a whole number is its text")
    func feedbackIDs() throws {
        func decode(_ body: String) throws(ServiceError) -> [FeedbackItem] {
            let bytes = Array(body.utf8)
            let result = bytes.withUnsafeBufferPointer { buffer in
                Result { () throws(ServiceError) in try FeedbackRequest.decode(buffer, maximumItems: 10) }
            }
            return try result.get()
        }
        let items = try decode(#"{"feedback":[{"id":7,"label":"positive"},{"id":"r1","index":2,"label":"neutral"}]}"#)
        #expect(items.map(\.requestID) == ["7", "r1"] && items.map(\.index) == [0, 2])
        #expect(throws: ServiceError.badRequest("feedback[0].id: expected the request's id, a string (or a whole number, as /predict takes it)")) {
            try decode(#"{"feedback":[{"id":1.5,"label":"positive"}]}"#)
        }
    }

    @Test("V2 responses carry rehearse predict's numbers bit for bit")
    func responseNumbers() throws {
        let model = try TestModels.model(seed: 3)
        let served = ServedModel(name: "sentiment", version: 4, model: model)
        let texts = ["the good day and table", "awful awful", "", "😀 monday report"]
        var workspace = PredictionWorkspace()
        let result = served.predict(texts, workspace: &workspace)
        let response = try json(served.responseEncoder.encode(id: "r\"1", outputs: [.label, .probabilities, .score], result: result))
        #expect(response["id"]?.string == "r\"1")
        #expect(response["model_name"]?.string == "sentiment")
        #expect(response["model_version"]?.string == "4")
        #expect(response["parameters"]?["model_id"]?.string == model.modelID)
        let outputs = try #require(response["outputs"]?.array)
        #expect(outputs.map { $0["name"]?.string } == ["label", "probabilities", "score"])
        #expect(outputs[1]["shape"] == [4, 3])
        for (row, text) in texts.enumerated() {
            let expected = model.predict(text)
            #expect(outputs[0]["data"]?[row]?.string == expected.label)
            for label in 0..<3 {
                #expect(outputs[1]["data"]?[row * 3 + label]?.number?.bitPattern == expected.probabilities[label].bitPattern)
            }
            #expect(outputs[2]["data"]?[row]?.number?.bitPattern == expected.score.bitPattern)
        }
    }
}
