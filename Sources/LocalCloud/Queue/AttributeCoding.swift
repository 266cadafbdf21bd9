import Foundation

/// Message attributes as stored in `queue.sqlite`: a blob of netstrings (`<length>:<bytes>`),
/// key then value, keys in UTF-8 byte order. Equal attributes always give equal bytes, and
/// encoding and decoding are much cheaper than JSON on the hot publish/pull path.
enum AttributeCoding {
    static func encode(_ attributes: [String: String]) -> Data {
        if attributes.isEmpty { return Data() }
        var bytes: [UInt8] = []
        for key in attributes.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            for text in [key, attributes[key]!] {
                bytes += Array(String(text.utf8.count).utf8)
                bytes.append(UInt8(ascii: ":"))
                bytes += Array(text.utf8)
            }
        }
        return Data(bytes)
    }

    /// Decodes what `encode` wrote; malformed bytes end the decoding (never crash).
    static func decode(_ data: Data) -> [String: String] {
        if data.isEmpty { return [:] }
        let bytes = [UInt8](data)
        var index = 0
        func next() -> String? {
            var length = 0
            while index < bytes.count, bytes[index] != UInt8(ascii: ":") {
                let digit = Int(bytes[index]) - Int(UInt8(ascii: "0"))
                guard (0...9).contains(digit) else { return nil }
                length = length * 10 + digit
                guard length <= bytes.count else { return nil }  // corrupt; also stops overflow
                index += 1
            }
            guard index < bytes.count, index + 1 + length <= bytes.count else { return nil }
            let text = String(decoding: bytes[(index + 1)..<(index + 1 + length)], as: UTF8.self)
            index += 1 + length
            return text
        }
        var attributes: [String: String] = [:]
        while index < bytes.count, let key = next(), let value = next() { attributes[key] = value }
        return attributes
    }
}
