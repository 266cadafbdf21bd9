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

    /// The emoticon starting at `start`, if any: its length in the text and its canonical bytes.
    static func match(in text: UnsafeBufferPointer<UInt8>, at start: Int) -> (length: Int, canonical: [UInt8])? {
        guard startsEmoticon[Int(lowercased(text[start]))] else { return nil }
        for entry in table where start + entry.pattern.count <= text.count {
            var matches = true
            for offset in 0..<entry.pattern.count where lowercased(text[start + offset]) != entry.pattern[offset] {
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
