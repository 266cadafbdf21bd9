import JSON
import Modes

/// Reads a request body as one JSON value, strictly, with errors a client can act on.
///
/// The body must be UTF-8 (RFC 8259). Syntax errors come from the `JSON` module's strict parser
/// and name the line and column. A body that parses but holds bytes that are not UTF-8 is
/// refused naming the field that holds them — `inputs[0].data[3]` — and the byte's offset, so
/// a client sending one bad text among a thousand knows which.
enum JSONBody {
    /// The JSON value of `bytes`.
    /// - Throws: `ServiceError` 400 for malformed JSON or invalid UTF-8.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ServiceError) -> JSONValue {
        let isUTF8 = UTF8Validation.isValid(bytes)
        let value: JSONValue
        do {
            value = try JSONParser.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw .badRequest("invalid JSON at line \(error.line), column \(error.column): \(error.message)")
        }
        if !isUTF8, let bad = firstInvalidUTF8(bytes) {
            let byte = String(bytes[bad], radix: 16)
            let place = JSONPathLocator.path(to: bad, in: bytes)
            throw .badRequest("\(place.isEmpty ? "body" : place): invalid UTF-8 (byte 0x\(byte.count == 1 ? "0" : "")\(byte) "
                              + "at offset \(bad) of the body); send text as UTF-8")
        }
        return value
    }

    /// The offset of the first byte that does not start a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }
}

/// Finds which value of a JSON text holds a given byte: `inputs[0].data[3]`.
enum JSONPathLocator {
    private enum Frame {
        case object(key: String?)
        case array(index: Int)
    }

    /// The path of the string (value, or key: then the path of its object) that contains byte
    /// `offset` of `bytes`, which the strict parser accepted up to that byte. Keys that are plain
    /// names are written `.name`, others `["…"]`; array elements `[i]`. Empty for the top level.
    static func path(to offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        var stack: [Frame] = []
        var expectingKey = false
        var index = 0
        while index < offset, index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "{"):
                stack.append(.object(key: nil))
                expectingKey = true
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
                expectingKey = false
            case UInt8(ascii: ","):
                if case .array(let position)? = stack.last {
                    stack[stack.count - 1] = .array(index: position + 1)
                } else {
                    expectingKey = true
                }
            case UInt8(ascii: ":"):
                expectingKey = false
            case UInt8(ascii: "\""):
                let start = index + 1
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                if end >= offset {
                    // The byte is inside this string: the value at the current path, or a key.
                    return expectingKey ? describe(stack) + " (in a key)" : describe(stack)
                }
                if expectingKey, case .object = stack.last {
                    stack[stack.count - 1] = .object(key: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                }
                index = end
            default:
                break
            }
            index += 1
        }
        return describe(stack)
    }

    private static func describe(_ stack: [Frame]) -> String {
        var text = ""
        for frame in stack {
            switch frame {
            case .array(let index): text += "[\(index)]"
            case .object(let key?) where isPlainName(key): text += (text.isEmpty ? "" : ".") + key
            case .object(let key?): text += "[\(JSONString.quoted(key))]"
            case .object(nil): break
            }
        }
        return text
    }

    private static func isPlainName(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}

extension JSONValue {
    /// What the value is, for error messages: `a string`, `the number 5`, `an array`, `null`.
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number, .bigInteger:
            "the number " + String(canonicalText.prefix(40))
        case .string(let text): text.utf8.count <= 40 ? "the string \(JSONString.quoted(text))" : "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
