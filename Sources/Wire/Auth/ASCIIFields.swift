extension String {
    /// The parts of the string between occurrences of the ASCII byte `separator` (empty parts
    /// kept; an empty string is one empty part), split on UTF-8 bytes: signature fields are
    /// parsed on every request, and splitting by `Character` would walk grapheme boundaries for
    /// separators that are ASCII.
    func fields(separatedBy separator: UInt8) -> [String] {
        var text = self
        return text.withUTF8 { bytes in
            var fields: [String] = []
            var start = 0
            for index in 0..<bytes.count where bytes[index] == separator {
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
            }
            fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return fields
        }
    }
}
