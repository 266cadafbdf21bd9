/// The emoticons the tokenizer keeps as tokens, each with the one spelling it is kept as.
///
/// Variants that differ only by a nose (`:-)` and `:)`) or by letter case (`:p` and `:P`) share a
/// spelling, so they share a feature. An emoticon counts only where a token may start and when it
/// is followed by the end of the text, white space or punctuation, so `xDrive` stays a word.
enum Emoticons {
    /// Pattern → canonical spelling. Longer patterns are tried first.
    static let table: [(pattern: [UInt8], canonical: [UInt8])] = {
        let pairs: [(String, String)] = [
            (":-)", ":)"), (":)", ":)"), (":]", ":)"), ("=)", ":)"), (":o)", ":)"), ("(:", ":)"),
            (":-d", ":D"), (":d", ":D"), ("xd", "xD"), ("=d", ":D"),
            (";-)", ";)"), (";)", ";)"),
            (":-p", ":P"), (":p", ":P"), (";p", ":P"),
            ("<3", "<3"), ("^_^", "^_^"), ("^^", "^_^"),
            (":-(", ":("), (":(", ":("), (":[", ":("), ("=(", ":("), (":'(", ":'("), (":'-(", ":'("),
            (":-/", ":/"), (":/", ":/"), (":\\", ":/"), (":-|", ":|"), (":|", ":|"),
            ("</3", "</3"), (":-o", ":O"), (":o", ":O"), (">:(", ">:("),
        ]
        return pairs
            .map { (Array($0.0.utf8), Array($0.1.utf8)) }
            .sorted { $0.0.count > $1.0.count }
    }()

    /// `startsEmoticon[b]`: whether an emoticon can start with byte `b` (lower-cased), so most
    /// text skips the table.
    static let startsEmoticon: [Bool] = {
        var starts = [Bool](repeating: false, count: 256)
        for entry in table { starts[Int(entry.pattern[0])] = true }
        return starts
    }()

    /// `startsWithPair[a << 7 | b]`: whether an emoticon starts with the ASCII bytes `a` then `b`
    /// (lower-cased). Every pattern has two bytes or more, so this rejects `: ` or `(a` at once,
    /// before any pattern is compared.
    private static let startsWithPair: [Bool] = {
        var starts = [Bool](repeating: false, count: 128 * 128)
        for entry in table {
            precondition(entry.pattern.count >= 2 && entry.pattern.allSatisfy { $0 < 0x80 }, "emoticon patterns are ASCII, two bytes or more")
            starts[Int(entry.pattern[0]) << 7 | Int(entry.pattern[1])] = true
        }
        return starts
    }()

    /// The table's entries grouped by first byte (an ASCII byte, lower-cased), longest first.
    private static let byFirstByte: [[(pattern: [UInt8], canonical: [UInt8])]] = {
        var groups = [[(pattern: [UInt8], canonical: [UInt8])]](repeating: [], count: 128)
        for entry in table { groups[Int(entry.pattern[0])].append(entry) }
        return groups
    }()

    /// The emoticon starting at `start`, if any: its length in the text and its canonical bytes.
    static func match(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> (length: Int, canonical: [UInt8])? {
        guard start + 1 < text.count else { return nil }
        let first = lowercased(text[start])
        let second = lowercased(text[start + 1])
        guard first < 0x80, second < 0x80, startsWithPair[Int(first) << 7 | Int(second)] else { return nil }
        for entry in byFirstByte[Int(first)] where start + entry.pattern.count <= text.count {
            var matches = true
            for offset in 1..<entry.pattern.count where lowercased(text[start + offset]) != entry.pattern[offset] {
                matches = false
                break
            }
            guard matches else { continue }
            let end = start + entry.pattern.count
            if end == text.count || ByteClass.endsEmoticon(text[end]) {
                return (entry.pattern.count, entry.canonical)
            }
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}
