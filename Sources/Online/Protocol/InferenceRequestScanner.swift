import JSON
import Modes

/// The fast path of ``InferenceRequest/decode(_:limits:)``: reads the common V2 body straight
/// from its bytes, building no JSON tree, and gives up (nil) on anything it is not sure of —
/// an unknown field, an escaped key, a number that is not a plain integer, nesting beyond the
/// V2 shape, any mistake — leaving that body to the strict path, which also words every error.
///
/// It accepts a body only when the strict path would accept it and give the same request, so
/// it checks what the strict path checks: JSON syntax (strings, escapes, surrogate pairs, no
/// control characters, no repeated key, nothing after the value), valid UTF-8, and every V2
/// rule and limit. A differential test holds it to the strict path on random and hostile bodies.
struct InferenceRequestScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let limits: ServiceLimits
    private var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: ServiceLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// The request, or nil when the strict path must decide.
    mutating func request() -> InferenceRequest? {
        guard UTF8Validation.isValid(bytes) else { return nil }
        var id: String?
        var texts: [String]?
        var outputs = InferenceOutput.allCases
        let parsed = object(keys: ["id", "inputs", "outputs", "parameters"]) { scanner, key in
            switch key {
            case 0:
                guard let value = scanner.string() else { return false }
                id = value
            case 1:
                guard let value = scanner.inputs() else { return false }
                texts = value
            case 2:
                guard let value = scanner.outputs() else { return false }
                outputs = value
            default:
                return scanner.flatObject()
            }
            return true
        }
        skipSpace()
        guard parsed, position == bytes.count, let texts else { return nil }
        return InferenceRequest(id: id, texts: texts, outputs: outputs)
    }

    /// `[{"name":"text","datatype":"BYTES","shape":[n],"parameters":{…},"data":[…]}]`, checked.
    private mutating func inputs() -> [String]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var name: String?, datatype: String?, shape: [Int]?, texts: [String]?
        let parsed = object(keys: ["name", "datatype", "shape", "parameters", "data"]) { scanner, key in
            switch key {
            case 0:
                name = scanner.string()
                return name != nil
            case 1:
                datatype = scanner.string()
                return datatype != nil
            case 2:
                shape = scanner.integers()
                return shape != nil
            case 3:
                return scanner.flatObject(contentTypeMustBeStr: true)
            default:
                texts = scanner.strings()
                return texts != nil
            }
        }
        guard parsed, take(UInt8(ascii: "]")), name == "text", datatype == "BYTES", let texts, let shape,
              texts.count <= limits.maximumTexts, shape == [texts.count],
              texts.allSatisfy({ $0.utf8.count <= limits.maximumTextBytes })
        else { return nil }
        return texts
    }

    /// `[{"name":"label"}, …]`: known names, each once.
    private mutating func outputs() -> [InferenceOutput]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var outputs: [InferenceOutput] = []
        skipSpace()
        if take(UInt8(ascii: "]")) { return outputs }
        repeat {
            var output: InferenceOutput?
            let parsed = object(keys: ["name"]) { scanner, _ in
                output = scanner.string().flatMap(InferenceOutput.init(rawValue:))
                return output != nil
            }
            guard parsed, let output, !outputs.contains(output) else { return nil }
            outputs.append(output)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? outputs : nil
    }

    // MARK: Objects and arrays

    /// An object whose keys are all among `keys` (plain ASCII, each at most once); `member`
    /// reads the value of key number `index` and says whether it was fine.
    private mutating func object(keys: [StaticString], member: (inout InferenceRequestScanner, Int) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        skipSpace()
        if take(UInt8(ascii: "}")) { return true }
        var seen: UInt32 = 0
        repeat {
            skipSpace()
            guard let key = plainKey(), let index = keys.firstIndex(where: { matches(key, $0) }), seen & (1 << index) == 0,
                  take(UInt8(ascii: ":"))
            else { return false }
            seen |= 1 << index
            skipSpace()
            guard member(&self, index) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// An object of strings, `true`, `false` and `null` under plain keys, each once (V2
    /// `parameters`); with `contentTypeMustBeStr`, a `content_type` member must be `"str"`.
    private mutating func flatObject(contentTypeMustBeStr: Bool = false) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        skipSpace()
        if take(UInt8(ascii: "}")) { return true }
        var keys: [Range<Int>] = []
        repeat {
            skipSpace()
            guard let key = plainKey(), !keys.contains(where: { bytes[$0].elementsEqual(bytes[key]) }), take(UInt8(ascii: ":")) else {
                return false
            }
            keys.append(key)
            skipSpace()
            if peek() == UInt8(ascii: "\"") {
                guard let value = string() else { return false }
                if contentTypeMustBeStr, matches(key, "content_type"), value != "str" { return false }
            } else {
                guard !(contentTypeMustBeStr && matches(key, "content_type")), word() else { return false }
            }
            skipSpace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// `[s, …]` of strings.
    private mutating func strings() -> [String]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var values: [String] = []
        skipSpace()
        if take(UInt8(ascii: "]")) { return values }
        repeat {
            skipSpace()
            guard let value = string() else { return nil }
            values.append(value)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? values : nil
    }

    /// `[n, …]` of plain non-negative integers of at most 15 digits (exact as `Double`s).
    private mutating func integers() -> [Int]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var values: [Int] = []
        skipSpace()
        if take(UInt8(ascii: "]")) { return values }
        repeat {
            skipSpace()
            let start = position
            var value = 0
            while let byte = peek(), isDigit(byte) {
                // Past 15 digits the value is not kept (it would overflow); the guard refuses it.
                if position - start < 15 { value = value * 10 + Int(byte - UInt8(ascii: "0")) }
                position += 1
            }
            let digits = position - start
            guard digits >= 1, digits <= 15, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
            if let byte = peek(), byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return nil }
            values.append(value)
            skipSpace()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? values : nil
    }

    // MARK: Strings

    /// A key of printable ASCII without escapes (its bytes are its text, and two keys are the
    /// same key exactly when their bytes are equal), as the range of its bytes.
    private mutating func plainKey() -> Range<Int>? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        let start = position + 1
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
            guard (0x20..<0x80).contains(bytes[end]), bytes[end] != UInt8(ascii: "\\") else { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        position = end + 1
        skipSpace()
        return start..<end
    }

    private func matches(_ key: Range<Int>, _ name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount
            && bytes[key].elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// A string value at `position` (its opening quote), decoded; nil for anything the strict
    /// parser refuses (control characters, bad escapes, lone surrogates, no closing quote).
    private mutating func string() -> String? {
        skipSpace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\""),
              let body = JSONStringBody(openingQuoteAt: position, in: bytes)
        else { return nil }
        position = body.end + 1
        skipSpace()
        return body.text(in: bytes)
    }

    // MARK: Lexing

    /// `true`, `false` or `null` at `position`.
    private mutating func word() -> Bool {
        for word in ["true", "false", "null"] as [StaticString] {
            let count = word.utf8CodeUnitCount
            if position + count <= bytes.count,
               bytes[position..<(position + count)].elementsEqual(UnsafeBufferPointer(start: word.utf8Start, count: count)) {
                position += count
                return true
            }
        }
        return false
    }

    /// Skips white space, then takes `byte` if it is next (and the white space after it).
    private mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard peek() == byte else { return false }
        position += 1
        skipSpace()
        return true
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { position += 1 }
    }
}
