import JSON
import Testing

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    @Test("object keys are sorted by UTF-8 bytes, no whitespace")
    func sortedKeys() {
        let value: JSONValue = ["b": 1, "a": [true, nil], "B": "x", "é": 2, "aa": ["z": 1, "y": 2]]
        #expect(value.canonicalText == #"{"B":"x","a":[true,null],"aa":{"y":2,"z":1},"b":1,"é":2}"#)
    }

    @Test(
        "numbers use shortest round-trip digits in ECMAScript layout",
        arguments: [
            (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-3.0, "-3"), (0.1, "0.1"), (1.5, "1.5"),
            (100.0, "100"), (123456789012.0, "123456789012"), (1e20, "100000000000000000000"),
            (1e21, "1e+21"), (1.5e21, "1.5e+21"), (0.000001, "0.000001"), (1e-7, "1e-7"),
            (1.25e-7, "1.25e-7"), (0.1 + 0.2, "0.30000000000000004"), (Double.leastNonzeroMagnitude, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (-0.5, "-0.5"), (123.456, "123.456"),
        ])
    func numbers(value: Double, text: String) {
        #expect(JSONValue.number(value).canonicalText == text)
    }

    @Test("non-finite numbers become strings")
    func nonFinite() {
        #expect(JSONValue.array([.number(.nan), .number(.infinity), .number(-.infinity)]).canonicalText
            == #"["NaN","Infinity","-Infinity"]"#)
    }

    @Test("every canonical number reads back as the same double")
    func roundTrip() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = Double(bitPattern: state)
            guard value.isFinite else { continue }
            let parsed = try JSONParser.parse(JSONValue.number(value).canonicalText)
            #expect(parsed == .number(value == 0 ? 0 : value))
        }
    }

    @Test("strings escape quotes, backslashes and control characters, keep other text raw")
    func strings() {
        let value = JSONValue.string("a\"b\\c\n\t\r\u{08}\u{0C}\u{01}\u{1F}é😀/\u{7F}")
        #expect(value.canonicalText == #""a\"b\\c\n\t\r\b\f\u0001\u001fé😀/"# + "\u{7F}\"")
    }

    @Test("strings: the same text from String and from UTF-8 bytes")
    func quotedBytes() {
        #expect(JSONString.quoted("a\u{1}b\tc") == #""a\u0001b\tc""#)
        #expect(JSONString.quoted("\u{8}\u{C}\u{1F}\\é") == #""\b\f\u001f\\é""#)
        for text in ["plain", "q\"1\n", "é😀\u{0}", ""] {
            var bytes: [UInt8] = []
            JSONString.appendQuoted(text, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == JSONString.quoted(text))
            #expect(JSONString.quoted(text) == JSONValue.string(text).canonicalText)
        }
    }

    @Test("JSON Lines: one canonical record per line")
    func jsonLines() throws {
        let text = JSONLines.text(of: [["b": 2, "a": 1], [1.0, 2.5]])
        #expect(text == "{\"a\":1,\"b\":2}\n[1,2.5]\n")
        #expect(JSONLines.text(of: []) == "")
        #expect(try JSONLines.parse(text) == [["a": 1, "b": 2], [1, 2.5]])
    }
}

@Suite("Building JSON values from Encodable types")
struct EncodableTests {
    struct Prediction: Encodable {
        let id: String
        let scores: [Double]
        let label: String?
    }

    @Test("an Encodable becomes the same value as one written by hand")
    func encodes() throws {
        let value = try JSONValue(encoding: Prediction(id: "t1", scores: [0.25, 0.75], label: nil))
        #expect(value == ["id": "t1", "scores": [0.25, 0.75]])
        #expect(value.canonicalText == #"{"id":"t1","scores":[0.25,0.75]}"#)
    }

    @Test("a UInt64 too large for a Double keeps its exact digits, not rounded")
    func keepsLargeIntegers() throws {
        let value = try JSONValue(encoding: ["hash": UInt64.max])
        #expect(value == ["hash": .bigInteger("18446744073709551615")])
        #expect(value.canonicalText == #"{"hash":18446744073709551615}"#)
    }
}
