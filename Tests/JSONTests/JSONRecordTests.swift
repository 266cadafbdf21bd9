import JSON
import Testing

@Suite("The JSON record rule: one id and one error for every reader of a JSON line")
struct JSONRecordTests {
    private func read(_ line: String, reader: JSONRecordReader = JSONRecordReader()) -> Result<JSONRecord, JSONRecordError> {
        read(bytes: Array(line.utf8), reader: reader)
    }

    private func read(bytes: [UInt8], reader: JSONRecordReader = JSONRecordReader()) -> Result<JSONRecord, JSONRecordError> {
        bytes.withUnsafeBufferPointer { line in Result { () throws(JSONRecordError) in try reader.read(line) } }
    }

    @Test(
        "ids: strings as they are, whole numbers as their exact digits",
        arguments: [
            (#"{"id": "a1", "text": "t"}"#, "a1"),
            (#"{"id": "", "text": "t", "x": 1}"#, nil),
            (#"{"id": 17, "text": "t"}"#, "17"),
            (#"{"id": -5, "text": "t"}"#, "-5"),
            (#"{"id": 9007199254740993, "text": "t"}"#, "9007199254740993"),
            (#"{"id": 123456789012345678901234567890, "text": "t"}"#, "123456789012345678901234567890"),
            (#"{"id": 1e3, "text": "t"}"#, "1000"),
            (#"{"id": 1.0, "text": "t"}"#, "1"),
            (#"{"id": -0, "text": "t"}"#, "0"),
            (#"{"id": "\u00e9\ud83d\ude00", "text": "t"}"#, "é😀"),
        ] as [(String, String?)])
    func ids(line: String, id: String?) {
        if let id {
            #expect(read(line) == .success(JSONRecord(text: "t", id: id)))
        } else {
            #expect(read(line) == .failure(JSONRecordError(.emptyID(field: "id"))))
        }
    }

    @Test(
        "every refusal names the field or the column",
        arguments: [
            (#"{"id": 1e400, "text": "t"}"#, "invalid JSON at column 8: number 1e400 is too large for a 64-bit float"),
            (#"{"id": 1.5, "text": "t"}"#, #"field "id" must be a string or a whole number, found the number 1.5"#),
            (#"{"id": 1e21, "text": "t"}"#, #"field "id" must be a string or a whole number, found the number 1e+21"#),
            (#"{"id": {"a": 1}, "text": "t"}"#, #"field "id" must be a string or a whole number, found an object"#),
            (#"{"id": [1], "text": "t"}"#, #"field "id" must be a string or a whole number, found an array"#),
            (#"{"id": null, "text": "t"}"#, #"field "id" must be a string or a whole number, found null"#),
            (#"{"id": true, "text": "t"}"#, #"field "id" must be a string or a whole number, found true"#),
            (#"{"id": "", "text": "t"}"#, #"missing id: "id" is empty"#),
            (#"{"id": 7}"#, #"missing text: the record has no field "text""#),
            (#"{"text": 12}"#, #"field "text" must be a string, found the number 12"#),
            (#"{"text": "a", "text": "b"}"#, #"invalid JSON at column 15: duplicate object key "text""#),
            (#"[1, 2]"#, "expected a JSON object, found an array"),
            ("plain words", "invalid JSON at column 1: unexpected character 'p'; expected a JSON value"),
            ("", "invalid JSON at column 1: unexpected end of input; expected a JSON value"),
            (#"{"text": "a"} x"#, "invalid JSON at column 15: unexpected character 'x' after the JSON value; expected end of input"),
        ])
    func refusals(line: String, reason: String) {
        guard case .failure(let error) = read(line) else {
            Issue.record("expected a refusal of \(line)")
            return
        }
        #expect(error.description == reason)
    }

    @Test("an error still carries the id when the id is fine, so an answer can name its request")
    func errorKeepsID() {
        #expect(read(#"{"id": "x"}"#) == .failure(JSONRecordError(.missingText(field: "text"), id: "x")))
        #expect(read(#"{"id": 9007199254740993, "text": []}"#)
            == .failure(JSONRecordError(.textNotString(field: "text", found: "an array"), id: "9007199254740993")))
    }

    @Test("other field names; without an id field, any id value is just another field")
    func fieldNames() {
        let reader = JSONRecordReader(textField: "body", idField: nil)
        #expect(read(#"{"id": [1], "body": "b"}"#, reader: reader) == .success(JSONRecord(text: "b", id: nil)))
        #expect(read(#"{"text": "t"}"#, reader: reader) == .failure(JSONRecordError(.missingText(field: "body"))))
        // Keys compare as Swift strings compare them: an escaped key is the same key.
        #expect(read(#"{"b\u006fdy": "b"}"#, reader: reader) == .success(JSONRecord(text: "b", id: nil)))
    }

    @Test("invalid UTF-8 inside a string becomes U+FFFD, outside it is an error at its column")
    func invalidUTF8() {
        let inside = Array(#"{"text": "caf"#.utf8) + [0xE9] + Array(#""}"#.utf8)
        let outside = Array(#"{"text": "a"}"#.utf8) + [0xFF]
        #expect(read(bytes: inside) == .success(JSONRecord(text: "caf\u{FFFD}", id: nil)))
        guard case .failure(let error) = read(bytes: outside) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(error.description
            == "invalid JSON at column 14: unexpected character '\\u{FFFD}' after the JSON value; expected end of input")
    }
}
