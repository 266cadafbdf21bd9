/// Lower-case hexadecimal: the one spelling of digests (model ids, ETags, run folders) in Rehearsal.
public enum Hex {
    /// Two lower-case hex digits per byte, in order.
    /// Inlinable, so that it is specialised for the caller's sequence type (a digest, say)
    /// instead of walking it through generic witness calls per byte.
    @inlinable
    public static func string<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits: StaticString = "0123456789abcdef"
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        digits.withUTF8Buffer { digits in
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Whether `text` is exactly `count` lower-case hex digits: that spelling and no other.
    @inlinable
    public static func isDigits<Bytes: Collection>(_ text: Bytes, count: Int) -> Bool where Bytes.Element == UInt8 {
        text.count == count
            && text.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}
