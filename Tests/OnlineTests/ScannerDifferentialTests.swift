import Determinism
import JSON
import Online
import Testing

/// The V2 fast scanner against the strict path, on random and hostile bodies from a seeded
/// generator: whenever the scanner decides a body, the strict path must give the same request;
/// and `decode` as a whole must always give what the strict path gives.
@Suite("V2 fast path against the strict path")
struct ScannerDifferentialTests {
    private static let limits = ServiceLimits(maximumTexts: 4, maximumTextBytes: 12)

    private func check(_ body: [UInt8]) -> (decided: Bool, refused: Bool) {
        body.withUnsafeBufferPointer { bytes in
            let strict = Result { () throws(ServiceError) in try InferenceRequest.decodeStrictly(bytes, limits: Self.limits) }
            let combined = Result { () throws(ServiceError) in try InferenceRequest.decode(bytes, limits: Self.limits) }
            #expect(combined == strict, "\(String(decoding: body, as: UTF8.self).debugDescription)")
            let fast = InferenceRequest.scan(bytes, limits: Self.limits)
            if let fast { #expect(strict == .success(fast), "\(String(decoding: body, as: UTF8.self).debugDescription)") }
            if case .failure = strict { return (fast != nil, true) }
            return (fast != nil, false)
        }
    }

    @Test("random and hostile bodies: the fast path never disagrees with the strict path", arguments: 0..<4)
    func agree(part: UInt64) {
        var generator = HostileBodies(seed: 0xB0D1_0000 + part)
        var decided = 0, refused = 0
        for _ in 0..<4_000 {
            let outcome = check(generator.body())
            if outcome.decided { decided += 1 }
            if outcome.refused { refused += 1 }
        }
        #expect(decided > 800)
        #expect(refused > 800)
    }

    @Test("the fast path decides every plain V2 body itself (it earns its keep)")
    func plainBodies() {
        var generator = HostileBodies(seed: 7)
        for _ in 0..<1_000 {
            let body = generator.plainBody()
            body.withUnsafeBufferPointer { bytes in
                #expect(InferenceRequest.scan(bytes, limits: Self.limits) != nil, "\(String(decoding: body, as: UTF8.self).debugDescription)")
            }
        }
    }

    @Test("targeted cases where a careless scanner would differ", arguments: [
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["a"]}],"inputs":[]}"#,
        #"{"inputs":[{"name":"text","name":"text","datatype":"BYTES","shape":[1],"data":["a"]}]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1.0],"data":["a"]}]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[01],"data":["a"]}]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1e0],"data":["a"]}]}"#,
        #"{"inputs":[{"name":"te\u0078t","datatype":"BYTES","shape":[1],"data":["a"]}]}"#,
        #"{"inputs":[{"n\u0061me":"text","datatype":"BYTES","shape":[1],"data":["a"]}]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["\ud800"]}]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["\ud83d\ude00\n\u00e9"]}]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"parameters":{"content_type":"str","content_type":"str"},"data":["a"]}]}"#,
        "{\"inputs\":[{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[1],\"parameters\":{\"\u{e9}\":1,\"e\u{301}\":2},\"data\":[\"a\"]}]}",
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"parameters":{"content_type":null},"data":["a"]}]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["a"]}],"outputs":[]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["a"]}],"outputs":[{}]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["a"]}]} x"#,
        #" {"inputs" : [ { "name" : "text" , "datatype":"BYTES","shape":[ 1 ],"data":[ "a" ] } ] } "#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[5],"data":["a","b","c","d","e"]}]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1],"data":["1234567890123"]}]}"#,
        "{\"inputs\":[{\"name\":\"text\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"a\u{7F}\"]}]}",
        // White space inside a string is its text, not white space between tokens.
        #"{"id":" r1","inputs":[{"name":"text","datatype":"BYTES","shape":[2],"data":["  a b "," c"]}]}"#,
        // Dimensions too long to be read: refused by the fast path without overflowing.
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[99999999999999999999999],"data":["a"]}]}"#,
        #"{"inputs":[{"name":"text","datatype":"BYTES","shape":[1,9223372036854775808],"data":["a"]}]}"#,
    ])
    func targeted(body: String) {
        _ = check(Array(body.utf8))
    }
}

/// A seeded generator of V2-ish bodies: the right shape with wrong pieces, repeated keys,
/// escapes good and bad, invalid UTF-8, odd numbers and white space, extra fields, nesting,
/// truncation and flipped bytes.
struct HostileBodies {
    private var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    private mutating func pick<T>(_ choices: [T]) -> T { choices[random.nextIndex(below: choices.count)] }
    private mutating func chance(_ percent: Int) -> Bool { random.nextIndex(below: 100) < percent }

    /// `usual`, or one of `unusual` `percent` % of the time.
    private mutating func mostly(_ usual: String, _ unusual: [String], percent: Int = 12) -> String {
        chance(percent) ? pick(unusual) : usual
    }

    private mutating func space() -> String { chance(85) ? "" : pick([" ", "\t", "\n", "\r\n ", "  "]) }

    private mutating func text() -> String {
        mostly(pick(["a", "", "good day", "caf\u{e9}", "😀", "e\u{301}", "123456789012", "\\n", "\\u00e9", "\\ud83d\\ude00", "tab\\t",
                     "quote\\\"", "slash\\/", "\\u0000"]),
               ["1234567890123", "\\ud800", "\\udc00", "\\x", "\u{7}"], percent: 5)
    }

    private mutating func string(_ value: String) -> String { "\"" + value + "\"" }

    /// A body of the common shape with plain choices only.
    mutating func plainBody() -> [UInt8] {
        let count = random.nextIndex(below: 4) + 1
        let texts = (0..<count).map { _ in string(pick(["a", "good day", "caf\u{e9}", "😀", "\\n", "\\u00e9"])) }
        var fields = ["\"name\":\"text\"", "\"datatype\":\"BYTES\"", "\"shape\":[\(count)]", "\"data\":[\(texts.joined(separator: ","))]"]
        if chance(50) { fields.append("\"parameters\":{\"content_type\":\"str\"}") }
        random.shuffle(&fields)
        var top = ["\"inputs\":[{\(fields.joined(separator: ","))}]"]
        if chance(50) { top.append("\"id\":\(string(pick(["r1", "", "42", "é"])))") }
        if chance(30) { top.append("\"outputs\":[{\"name\":\"score\"},{\"name\":\"label\"}]") }
        if chance(30) { top.append("\"parameters\":{\"x\":true,\"y\":null,\"z\":\"w\"}") }
        random.shuffle(&top)
        return Array(("{" + top.joined(separator: ",") + "}").utf8)
    }

    /// A body that is often right and often wrong in one way or more.
    mutating func body() -> [UInt8] {
        let count = random.nextIndex(below: 5)
        let texts = (0..<count).map { _ in chance(97) ? string(text()) : pick(["5", "null", "[]", "{}", "true"]) }
        let shape = mostly("[\(count)]", ["[\(count),1]", "[\(count).0]", "[0\(count)]", "[-1]", "[]", "\(count)", "[\(count)e0]", "[\(count + 1)]",
                                         "[ \(count) ]", "[\(count)]"])
        var fields = [
            "\"name\":" + mostly("\"text\"", ["\"words\"", "1", "\"te\\u0078t\""], percent: 5),
            "\"datatype\":" + mostly("\"BYTES\"", ["\"FP32\"", "null"], percent: 5),
            "\"shape\":" + shape,
            "\"data\":" + mostly("[" + texts.joined(separator: "," + space()) + "]", ["\"x\"", "{}", "null"], percent: 3),
        ]
        if chance(30) {
            fields.append("\"parameters\":" + mostly("{\"content_type\":\"str\"}", ["{\"content_type\":\"bytes\"}", "{\"content_type\":1}", "{}",
                                                                             "{\"a\":{\"b\":1}}", "{\"n\":1.5}", "[]", "{\"content_type\":\"str\",\"x\":false}"], percent: 40))
        }
        if chance(5) { fields.append(pick(["\"name\":\"text\"", "\"extra\":1", "\"data\":[]", "\"sh\\u0061pe\":[1]"])) }
        if chance(5) { fields.removeFirst(random.nextIndex(below: 2) + 1) }
        random.shuffle(&fields)
        let input = "{" + space() + fields.joined(separator: space() + "," + space()) + space() + "}"
        var top = ["\"inputs\":" + mostly("[\(input)]", ["[\(input),\(input)]", "[]", input], percent: 5)]
        if chance(40) { top.append("\"id\":" + mostly(string(text()), ["7", "null"], percent: 10)) }
        if chance(25) {
            top.append("\"outputs\":" + mostly(pick(["[{\"name\":\"label\"}]", "[{\"name\":\"score\"},{\"name\":\"label\"}]", "[]"]),
                                               ["[{\"name\":\"label\"},{\"name\":\"label\"}]", "[{\"name\":\"logits\"}]", "[{}]",
                                                "[{\"name\":\"label\",\"x\":1}]", "{}"], percent: 30))
        }
        if chance(20) { top.append("\"parameters\":" + mostly("{\"a\":\"b\"}", ["{}", "{\"a\":[1]}", "{\"a\":1e400}", "{\"a\":true,\"a\":false}"], percent: 50)) }
        if chance(3) { top.append(top[0]) }
        random.shuffle(&top)
        var bytes = Array((space() + "{" + top.joined(separator: "," + space()) + "}" + space()).utf8)
        switch random.nextIndex(below: 40) {
        case 0: bytes.removeLast(random.nextIndex(below: min(bytes.count, 8)) + 1)  // truncated
        case 1: bytes[random.nextIndex(below: bytes.count)] = pick([0xFF, 0xC3, 0x80, 0x00, UInt8(ascii: "\""), UInt8(ascii: "\\")])
        case 2: bytes.append(contentsOf: Array(pick([" x", "}", ",", "\u{0C}"]).utf8))
        default: break
        }
        return bytes
    }
}
