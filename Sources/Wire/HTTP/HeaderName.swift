/// How HTTP header names compare: as ASCII tokens, letters without regard to case. Names are
/// ASCII by the HTTP grammar, so this is what a Unicode-aware comparison would say, without
/// its cost on every header of every request.
enum HeaderName {
    /// Whether `name` and `other` are the same header name.
    static func matches(_ name: String, _ other: String) -> Bool {
        name.utf8.count == other.utf8.count && zip(name.utf8, other.utf8).allSatisfy { lowered($0) == lowered($1) }
    }

    /// The first value of header `name` in `headers`.
    static func firstValue(_ name: String, in headers: [(name: String, value: String)]) -> String? {
        headers.first { matches($0.name, name) }?.value
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
