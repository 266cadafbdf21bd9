import JSON
import Testing

/// The fast scanner against the strict reader, on random and hostile lines from a seeded
/// generator: whenever the scanner decides a line, the strict reader must give the same
/// record; and the reader as a whole must always give what the strict reader gives.
@Suite("Fast path against strict parser")
struct DifferentialTests {
    private static let readers = [
        JSONRecordReader(),
        JSONRecordReader(textField: "body", idField: nil),
        JSONRecordReader(textField: "K", idField: "é"),
    ]

    @Test("random and hostile lines: the fast path never disagrees with the strict parser", arguments: 0..<4)
    func agree(part: UInt64) {
        var generator = HostileLines(seed: 0x5EED_0000 + part)
        var decided = 0, refused = 0
        for _ in 0..<5_000 {
            let line = generator.line()
            for reader in Self.readers {
                line.withUnsafeBufferPointer { bytes in
                    let strict = Result { () throws(JSONRecordError) in try reader.readStrictly(bytes) }
                    let combined = Result { () throws(JSONRecordError) in try reader.read(bytes) }
                    #expect(combined == strict, "\(String(decoding: line, as: UTF8.self).debugDescription)")
                    if let fast = reader.scan(bytes) {
                        decided += 1
                        #expect(strict == .success(fast), "\(String(decoding: line, as: UTF8.self).debugDescription)")
                    }
                    if case .failure = strict { refused += 1 }
                }
            }
        }
        // The mix must exercise both sides: many lines the fast path takes, many refusals.
        #expect(decided > 2_000)
        #expect(refused > 2_000)
    }

    @Test("the fast path decides every plain flat record itself (it earns its keep)")
    func fastPathTakesPlainLines() {
        var generator = HostileLines(seed: 42)
        let reader = JSONRecordReader()
        for _ in 0..<2_000 {
            let line = generator.plainRecord()
            line.withUnsafeBufferPointer { bytes in
                #expect(reader.scan(bytes) != nil, "\(String(decoding: line, as: UTF8.self).debugDescription)")
            }
        }
    }

    @Test(
        "targeted cases where a careless scanner would differ",
        arguments: [
            #"{"text":"a","text":"b"}"#, #"{"text":"a","te\u0078t":"b"}"#, #"{"K":"a","K":"b"}"#,
            "{\"K\":\"a\",\"\u{212A}\":\"b\"}", "{\"é\":\"x\",\"e\u{301}\":\"y\",\"K\":\"t\"}",
            "{\"\u{212A}\":\"kelvin\"}", "{\"e\u{301}\":\"1\",\"K\":\"t\"}", #"{"text":"a","id":-0}"#,
            #"{"text":"a","id":-0.0}"#, #"{"text":"a","id":1E2}"#, #"{"text":"a","id":1e400}"#,
            #"{"text":"a","x":1e400}"#, #"{"text":"\ud800"}"#, #"{"text":"\udc00"}"#, #"{"text":"\ud800\u0041"}"#,
            #"{"text":"\ud83d\ude00"}"#, #"{"text":"a"}}"#, #"{"text":"a",}"#, #"{"text":"a" "id":1}"#,
            "{\"text\":\"a\"}\u{0C}", "{\"text\":\"a\"}\r", "\u{FEFF}{\"text\":\"a\"}", #"{"text":"a","id":01}"#,
            #"{"text":"a","id":"\u0000"}"#, #"{"text":"a","n":[[[[]]]]}"#, #"{"text":"a","n":nul}"#, "{\"text\":\"a\tb\"}",
        ])
    func targeted(line: String) {
        let bytes = Array(line.utf8)
        for reader in Self.readers {
            bytes.withUnsafeBufferPointer { bytes in
                let strict = Result { () throws(JSONRecordError) in try reader.readStrictly(bytes) }
                if let fast = reader.scan(bytes) { #expect(strict == .success(fast)) }
                #expect(Result { () throws(JSONRecordError) in try reader.read(bytes) } == strict)
            }
        }
    }
}

/// A seeded generator of JSON-ish lines: records with the fields the readers look for, keys
/// that repeat (also under escapes and canonical equivalence), escapes good and bad, surrogates,
/// invalid UTF-8, huge and malformed numbers, nesting, odd whitespace, trailing garbage,
/// truncation and flipped bytes.
struct HostileLines: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {  // SplitMix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    private mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

    private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// One line, as bytes: a plain record, a plain record with one hostile member or byte, or
    /// a record built from hostile parts throughout; sometimes cut, flipped or followed by junk.
    mutating func line() -> [UInt8] {
        var bytes: [UInt8]
        switch below(10) {
        case 0..<4: bytes = plainRecord()
        case 4..<7: bytes = mutated(plainRecord())
        default: bytes = record()
        }
        if chance(5) { bytes += pick([Array("x".utf8), Array(",".utf8), Array("}".utf8), Array(" {}".utf8), [0xFF]]) }
        if chance(3) { bytes = Array(bytes.prefix(below(bytes.count + 1))) }
        if chance(3), !bytes.isEmpty { bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: next()) }
        if chance(2) { bytes = pick([Array("[1, 2]".utf8), Array("\"text\"".utf8), Array("null".utf8), Array("".utf8), Array("   ".utf8)]) }
        return bytes
    }

    /// A flat record of plain keys and values that the fast path must take, with the fields
    /// of all three test readers.
    mutating func plainRecord() -> [UInt8] {
        var members = [#""text":"# + plainString()]
        if chance(70) { members.append(#""id":"# + plainID()) }
        if chance(50) { members.append(#""body":"# + plainString()) }
        if chance(50) { members.append(#""K":"# + plainString()) }
        if chance(40) { members.append("\"é\":" + plainID()) }
        if chance(50) { members.append(#""extra":"# + pick(["1.5", "true", "false", "null", "-3", "0", "-0.25", plainString()])) }
        let separator = pick([",", ", ", " ,\t", "\r,"])
        return Array((pick(["", " ", "\t"]) + "{" + members.shuffled(using: &self).map { member in
            member.replacingFirst(":", with: pick([":", ": ", " : "]))
        }.joined(separator: separator) + "}" + pick(["", " ", "\t", "\r"])).utf8)
    }

    /// A plain record with one hostile member added before its closing brace, or one byte
    /// inserted somewhere.
    private mutating func mutated(_ record: [UInt8]) -> [UInt8] {
        var bytes = record
        guard let close = bytes.lastIndex(of: UInt8(ascii: "}")) else { return bytes }
        if chance(75) {
            bytes.insert(contentsOf: Array(",".utf8) + key() + Array(":".utf8) + value(depth: 1), at: close)
        } else {
            bytes.insert(pick([0x00, 0x0B, 0x0C, 0x22, 0x5C, 0x7B, 0x7D, 0x2C, 0x3A, 0x80, 0xFF, 0x20]), at: below(bytes.count + 1))
        }
        return bytes
    }

    private mutating func plainString() -> String {
        "\"" + pick(["hello", "café ☕", "tab\\tnew\\nline", "\\u00e9\\ud83d\\ude00", "q\\\"uote", "", "a/b\\/c", "\u{7F}x"]) + "\""
    }

    private mutating func plainID() -> String {
        pick(["\"a1\"", "\"é\\u00e9\"", String(below(1_000_000)), "-42", "9007199254740993", String(repeating: "7", count: 40)])
    }

    private mutating func record() -> [UInt8] {
        var bytes = Array(space().utf8) + [UInt8(ascii: "{")]
        let count = below(5)
        for index in 0..<count {
            if index > 0 { bytes += Array((space() + "," + space()).utf8) }
            bytes += key() + Array((space() + ":" + space()).utf8) + value(depth: 1)
        }
        bytes += Array((space() + "}" + space()).utf8)
        return bytes
    }

    private mutating func key() -> [UInt8] {
        let keys = [
            #""text""#, #""id""#, #""body""#, #""K""#, "\"\u{212A}\"", #""é""#, "\"e\u{301}\"", #""te\u0078t""#,
            #""\u0069d""#, #""\u00e9""#, #""a""#, #""""#, #""\ud800""#,
        ]
        return chance(95) ? Array(pick(keys).utf8) : value(depth: 1)
    }

    private mutating func value(depth: Int) -> [UInt8] {
        switch below(depth > 3 ? 3 : 5) {
        case 0: return string()
        case 1: return Array(number().utf8)
        case 2: return Array(pick(["true", "false", "null", "tru", "nul", "True"]).utf8)
        case 3:
            let elements = (0..<below(3)).map { _ in value(depth: depth + 1) }
            return Array("[".utf8) + elements.joined(separator: Array(",".utf8)) + Array("]".utf8)
        default:
            let members = (0..<below(3)).map { _ in key() + Array(":".utf8) + value(depth: depth + 1) }
            return Array("{".utf8) + members.joined(separator: Array(",".utf8)) + Array("}".utf8)
        }
    }

    private mutating func string() -> [UInt8] {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        for _ in 0..<below(6) {
            bytes += pick([
                Array("plain".utf8), Array("é😀".utf8), Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\/"#.utf8),
                Array(#"\n\t\b\f\r"#.utf8), Array(#"\u0041"#.utf8), Array(#"\u00E9"#.utf8), Array(#"\ud83d\ude00"#.utf8),
                Array(#"\ud800"#.utf8), Array(#"\udc00"#.utf8), Array(#"\ud800\u0041"#.utf8), Array(#"\u12"#.utf8),
                Array(#"\q"#.utf8), Array(#"\u0000"#.utf8), [0xFF], [0xC0, 0x80], [0xE2, 0x82], [0xED, 0xA0, 0x80],
                [0x09], [0x01], [0x7F], Array(" ".utf8), Array("\u{212A}".utf8),
            ])
        }
        if chance(97) { bytes.append(UInt8(ascii: "\"")) }
        return bytes
    }

    private mutating func number() -> String {
        pick([
            "0", "-0", "17", "-5", "01", "-01", "1.", ".5", "1.5", "-0.0", "1.0", "1e3", "1E+2", "1e-7", "1e21", "1e400",
            "-1e400", "-", "+1", "9007199254740992", "9007199254740993", "123456789012345678901234567890",
            String(repeating: "9", count: 400), "0." + String(repeating: "1", count: 320),
            String(repeating: "9", count: 310) + ".5", "0x10", "1_000", "NaN", "Infinity",
        ])
    }

    private mutating func space() -> String {
        pick(["", "", "", " ", "\t", "\r", " \t ", "\u{0C}", "\u{A0}", "\n"])
    }
}

extension String {
    fileprivate func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let index = firstIndex(of: target) else { return self }
        return String(self[..<index]) + replacement + String(self[self.index(after: index)...])
    }
}
