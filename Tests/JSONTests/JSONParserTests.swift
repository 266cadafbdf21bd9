import JSON
import Testing

@Suite("Strict JSON parser")
struct JSONParserTests {
    @Test("parses every kind of value")
    func values() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.5e2, true, false, null], "s": "x\u00e9\ud83d\ude00\n"} "#)
        #expect(value == ["a": [1, -250, true, false, nil], "s": "xé😀\n"])
    }

    @Test(
        "rejects malformed input with line, column and expectation",
        arguments: [
            ("{\"a\": 1,}", 1, 9, "expected a string object key"),
            ("[1,\n 2,\n x]", 3, 2, "expected a JSON value"),
            ("{\"a\":1, \"a\":2}", 1, 9, "duplicate object key \"a\""),
            ("[01]", 1, 3, "leading zero"),
            ("[1.]", 1, 4, "expected a digit after '.'"),
            ("NaN", 1, 1, "expected a JSON value"),
            ("\"abc", 1, 5, "unterminated string"),
            ("\"a\tb\"", 1, 3, "control character U+0009"),
            ("\"\\ud800\"", 1, 8, "lone high surrogate"),
            ("\"\\q\"", 1, 4, "invalid escape"),
            ("[1] [2]", 1, 5, "after the JSON value"),
            ("1e999", 1, 1, "too large"),
            ("[0, 1.5e400]", 1, 5, "number 1.5e400 is too large for a 64-bit float"),
            ("{\n  \"id\": 1,\n  \"text\": \"a\",\n  \"id\": 2\n}", 4, 3, "duplicate object key \"id\""),
            ("{\"a\": 1, \"\\u0061\": 2}", 1, 10, "duplicate object key \"a\""),
            ("{\"é\": 1, \"e\u{301}\": 2}", 1, 10, "duplicate object key"),
            ("", 1, 1, "unexpected end of input"),
            ("{\"é\": tru}", 1, 10, "expected 'true'"),
        ])
    func errors(text: String, line: Int, column: Int, message: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test("refuses nesting beyond the maximum depth instead of overflowing the stack")
    func depth() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1)
            + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
        let fine = String(repeating: "[", count: JSONParser.maximumDepth)
            + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect((try? JSONParser.parse(fine)) != nil)
    }

    @Test("integers a Double cannot hold keep their exact digits; others stay Doubles")
    func exactIntegers() throws {
        #expect(try JSONParser.parse("9007199254740992") == .number(9_007_199_254_740_992))
        #expect(try JSONParser.parse("9007199254740993") == .bigInteger("9007199254740993"))
        #expect(try JSONParser.parse("-9007199254740993") == .bigInteger("-9007199254740993"))
        let long = String(repeating: "9", count: 400)
        #expect(try JSONParser.parse("[\(long)]") == [.bigInteger(long)])
        #expect(try JSONParser.parse("[\(long)]").canonicalText == "[\(long)]")
        #expect(try JSONParser.parse("-0") == .number(0))
        #expect(try JSONParser.parse("1e3") == .number(1000))
        #expect(JSONValue.integer(UInt64.max) == .bigInteger("18446744073709551615"))
        #expect(JSONValue.integer(42) == .number(42))
        #expect(JSONValue.integer(Int64(1) << 60) == .bigInteger("1152921504606846976"))
    }

    @Test("strings keep their bytes between escapes, however the two are mixed")
    func stringsMixingEscapesAndText() throws {
        #expect(try JSONParser.parse(#""ab\"cd\u00e9ef\\""#) == .string("ab\"cdéef\\"))
        #expect(try JSONParser.parse(#""\n""#) == .string("\n"))
        #expect(try JSONParser.parse(#""""#) == .string(""))
        #expect(try JSONParser.parse(#""😀\t😀""#) == .string("😀\t😀"))
        #expect(try JSONParser.parse(#""e\u0301 and é""#) == .string("e\u{301} and é"))
        #expect(try JSONParser.parse(#"{"k\u00e9y": "v"}"#) == ["kéy": "v"])
    }

    @Test("integers of up to 15 digits are Doubles at once; longer ones only when they write back the same")
    func integerDigitCounts() throws {
        #expect(try JSONParser.parse("999999999999999") == .number(999_999_999_999_999))
        #expect(try JSONParser.parse("-999999999999999") == .number(-999_999_999_999_999))
        #expect(try JSONParser.parse("1234567890123456") == .number(1_234_567_890_123_456))
        #expect(try JSONParser.parse("123456789012345678") == .bigInteger("123456789012345678"))
        #expect(try JSONParser.parse("0") == .number(0))
    }

    @Test("the depth limit counts arrays and objects alike and names the limit")
    func depthMessage() {
        let deep = String(repeating: "{\"a\":[", count: JSONParser.maximumDepth / 2) + "{}"
            + String(repeating: "]}", count: JSONParser.maximumDepth / 2)
        do {
            _ = try JSONParser.parse(deep)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "arrays and objects nested deeper than \(JSONParser.maximumDepth) levels")
            #expect(error.column == JSONParser.maximumDepth / 2 * 6 + 1)
        }
    }

    @Test("JSON Lines errors name the line within the file")
    func jsonLinesLine() {
        do {
            _ = try JSONLines.parse("{\"a\":1}\n\n{\"a\":}\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 6)
        }
    }
}
