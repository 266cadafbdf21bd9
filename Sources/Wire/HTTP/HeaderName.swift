/// How HTTP header names compare: as ASCII tokens, letters without regard to case. Names are
/// ASCII by the HTTP grammar, so this is what a Unicode-aware comparison would say, without
/// its cost on every header of every request.
enum HeaderName {
    /// Whether `name` and `other` are the same header name.
    static func matches(_ name: String, _ other: String) -> Bool {
        guard name.utf8.count == other.utf8.count else { return false }
        // Native strings keep their UTF-8 contiguous: compared through pointers, without the
        // index checks of iterating two string views at once.
        let compared = name.utf8.withContiguousStorageIfAvailable { first in
            other.utf8.withContiguousStorageIfAvailable { second in
                for index in 0..<first.count where lowered(first[index]) != lowered(second[index]) { return false }
                return true
            }
        }
        if let compared = compared ?? nil { return compared }
        return zip(name.utf8, other.utf8).allSatisfy { lowered($0) == lowered($1) }
    }

    /// The first value of header `name` in `headers`.
    static func firstValue(_ name: String, in headers: [(name: String, value: String)]) -> String? {
        headers.first { matches($0.name, name) }?.value
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
