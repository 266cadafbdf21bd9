import Foundation

/// Floating-point values as base64 text of their little-endian IEEE-754 bytes: how artifacts
/// store weights (`Float32` in text classifiers, `Float64` in tabular ones), so they read back
/// bit for bit.
///
/// Decoding writes the bytes straight into the arrays it returns, without a decoded copy of the
/// text: loading a text model holds its 16 MiB table once, not three times over (base64 bytes,
/// values, then the table sliced off them), which keeps `rehearse serve`'s peak memory down.
enum LittleEndianBase64 {
    /// The values' little-endian bytes as standard base64 (padded, no line breaks).
    static func encode<Value: BinaryFloatingPoint>(_ values: [Value]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * MemoryLayout<Value>.size)
        for value in values {
            withUnsafeBytes(of: value) { raw in
                #if _endian(big)
                bytes.append(contentsOf: raw.reversed())
                #else
                bytes.append(contentsOf: raw)
                #endif
            }
        }
        return Data(bytes).base64EncodedString()
    }

    /// The finite values in `text`, split into consecutive arrays of `counts[i]` values.
    /// - Parameters:
    ///   - field: the field holding the text, for error messages (e.g. `classifier.weights`).
    ///   - what: what the counts are for, as in "… holds 16 bytes; `3 numeric columns` need 24".
    /// - Throws: `ModelArtifactError.malformed` naming `field` if the text is not padded base64,
    ///   holds another number of bytes than the counts need, or holds a value that is not finite.
    static func decode<Value: BinaryFloatingPoint>(_ text: String, counts: [Int], as _: Value.Type, field: String,
                                                   what: String) throws -> [[Value]] {
        let width = MemoryLayout<Value>.size
        var text = text
        return try text.withUTF8 { utf8 in
            guard let length = decodedLength(utf8) else { throw ModelArtifactError.malformed("\(field) is not valid base64") }
            let needed = byteCount(counts, width: width)
            guard length == needed else {
                throw ModelArtifactError.malformed(
                    "\(field) holds \(length) bytes; \(what) need \(needed.map(String.init) ?? "more than any text holds")")
            }
            var arrays: [[Value]] = []
            var decoder = Decoder(utf8)
            for count in counts {
                arrays.append(try [Value](unsafeUninitializedCapacity: count) { buffer, initialized in
                    let raw = UnsafeMutableRawBufferPointer(buffer)
                    guard decoder.fill(raw) else { throw ModelArtifactError.malformed("\(field) is not valid base64") }
                    #if _endian(big)
                    for start in stride(from: 0, to: raw.count, by: width) { raw[start..<start + width].reverse() }
                    #endif
                    initialized = count
                })
            }
            guard arrays.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
                throw ModelArtifactError.malformed("\(field) holds a value that is not a finite number")
            }
            return arrays
        }
    }

    /// The bytes `counts` values of `width` bytes take, or nil if that does not fit an `Int`.
    private static func byteCount(_ counts: [Int], width: Int) -> Int? {
        var total = 0
        for count in counts {
            let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
            guard count >= 0, !overflow else { return nil }
            let (sum, over) = total.addingReportingOverflow(bytes)
            guard !over else { return nil }
            total = sum
        }
        return total
    }

    /// The number of bytes padded base64 of this length decodes to, or nil if the length or
    /// padding is wrong (the characters themselves are checked while decoding).
    private static func decodedLength(_ utf8: UnsafeBufferPointer<UInt8>) -> Int? {
        guard utf8.count % 4 == 0 else { return nil }
        let padding = utf8.reversed().prefix(2).prefix { $0 == UInt8(ascii: "=") }.count
        return utf8.count / 4 * 3 - padding
    }

    /// Reads base64 text in order, filling one buffer after another with the bytes it decodes.
    private struct Decoder {
        private let text: UnsafeBufferPointer<UInt8>
        /// The next character to read.
        private var position = 0
        /// The last quantum read (three bytes, big-endian in the low 24 bits), how many bytes it
        /// holds and how many of them were handed out.
        private var quantum: (value: UInt32, count: Int, taken: Int) = (0, 0, 0)

        init(_ text: UnsafeBufferPointer<UInt8>) { self.text = text }

        /// Fills `buffer` with the next `buffer.count` decoded bytes; false if the text ends
        /// first, or on a character that is not base64 (or padding anywhere but at the end).
        mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) -> Bool {
            var offset = 0
            while offset < buffer.count {
                if quantum.taken == quantum.count {
                    guard let next = nextQuantum() else { return false }
                    quantum = (next.value, next.count, 0)
                    // The common case: the whole quantum fits.
                    if quantum.count == 3, buffer.count - offset >= 3 {
                        buffer[offset] = UInt8(truncatingIfNeeded: quantum.value >> 16)
                        buffer[offset + 1] = UInt8(truncatingIfNeeded: quantum.value >> 8)
                        buffer[offset + 2] = UInt8(truncatingIfNeeded: quantum.value)
                        quantum.taken = 3
                        offset += 3
                        continue
                    }
                }
                buffer[offset] = UInt8(truncatingIfNeeded: quantum.value >> (16 - 8 * quantum.taken))
                quantum.taken += 1
                offset += 1
            }
            return true
        }

        /// The bytes of the next four characters (three, or fewer in a padded last quantum).
        private mutating func nextQuantum() -> (value: UInt32, count: Int)? {
            guard position + 4 <= text.count else { return nil }
            let last = position + 4 == text.count
            var value: UInt32 = 0
            var count = 3
            for index in 0..<4 {
                let character = text[position + index]
                var digit = Self.digits[Int(character)]
                if character == UInt8(ascii: "="), last, index >= 2 {
                    count = min(count, index - 1)
                    digit = 0
                } else if digit == Self.invalid || count < 3 {
                    return nil  // not base64, or a digit after padding
                }
                value = value << 6 | UInt32(digit)
            }
            position += 4
            return (value, count)
        }

        private static let invalid: UInt8 = 0xFF
        /// Each character's 6-bit value, or `invalid`.
        private static let digits: [UInt8] = {
            var table = [UInt8](repeating: invalid, count: 256)
            for (value, character) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
                table[Int(character)] = UInt8(value)
            }
            return table
        }()
    }
}
