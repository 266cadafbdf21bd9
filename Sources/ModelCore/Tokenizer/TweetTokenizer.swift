/// Splits a tweet into the tokens that features are made of.
///
/// It works on UTF-8 bytes, not `Character`s, so it is fast and allocates nothing per token.
/// The rules, applied left to right at each place a token may start:
///
/// 1. **White space** (ASCII, and non-ASCII spaces and punctuation such as `—`, `“` or `…`)
///    separates tokens and is dropped. So is U+FFFD, which stands for invalid UTF-8.
/// 2. **URLs** starting with `http://`, `https://` or `www.` (any case) become `<url>`; the URL
///    runs to the next white space or non-ASCII separator (rule 1).
/// 3. **Mentions**, `@` followed by letters, digits or `_`, become `<user>`.
/// 4. **Hashtags**, `#` followed by letters (any script), digits or `_`, stay one token with
///    their `#`, ASCII lower-cased (`#SXSW` → `#sxsw`, `#café` → `#café`).
/// 5. **Emoticons** from a fixed table (`:)`, `:-(`, `<3`, `:D`, `;)` …) are kept as tokens, with
///    variants sharing one spelling (`:-)` → `:)`, `:p` → `:P`); see `Emoticons`.
/// 6. **Numbers**, digits with inner `.`, `,` or `:` (`3.5`, `1,000`, `10:30`), become `<num>`;
///    digits that run into letters (`4ever`, `10am`) are a word, and a number with separators
///    that runs into letters is a number then a word (`7:30pm` → `<num> 30pm`).
/// 7. **Words** are runs of letters, digits, `_`, inner apostrophes (`'` or `’`, read as `'`) and
///    non-ASCII letters. ASCII letters are lower-cased; other scripts are kept as they are.
///    **Elongations** are squashed: a letter repeated three or more times is kept twice
///    (`soooo` → `soo`, `gooood` → `good`).
/// 8. **Emoji** are each a token; skin tones, variation selectors and joiners are dropped.
/// 9. **`!` and `?`** are tokens, one per run (`!!!` → `!`). Other ASCII punctuation is dropped.
/// 10. **Negation scope**: after a negation word — `not`, `no`, `never`, `cannot`, `nor`, a word
///     ending in `n't`, or a common spelling without the apostrophe (`dont`, `cant`, `wont` …) —
///     every following word gets the suffix `_neg` (`not good` → `not good_neg`) until one of
///     `. , ! ? ; :`, `…`, `–`, `—`, an emoticon, or the end of the text. Only words are marked,
///     not hashtags, emoticons, emoji or placeholders.
public struct TweetTokenizer: Sendable, Equatable, Codable {
    /// Whether words in a negation scope get the `_neg` suffix (rule 10).
    public var marksNegation: Bool

    /// A tokenizer with every rule on.
    public init(marksNegation: Bool = true) {
        self.marksNegation = marksNegation
    }

    enum CodingKeys: String, CodingKey {
        case marksNegation = "marks_negation"
    }

    /// The tokens of `text`, as strings. For tests and display; use `tokenize(_:into:)` in loops.
    public func tokens(_ text: String) -> [String] {
        var buffer = TokenBuffer()
        tokenize(text, into: &buffer)
        return buffer.tokens
    }

    /// Replaces the contents of `buffer` with the tokens of `text`.
    public func tokenize(_ text: String, into buffer: inout TokenBuffer) {
        var text = text
        text.withUTF8 { tokenize(utf8: $0, into: &buffer) }
    }

    /// Replaces the contents of `buffer` with the tokens of the UTF-8 bytes `text`. Bytes that
    /// are not valid UTF-8 are read as U+FFFD.
    public func tokenize(utf8 text: UnsafeBufferPointer<UInt8>, into buffer: inout TokenBuffer) {
        // A token is at least one byte of the text, and no rule writes more than five bytes per
        // byte it reads (`1` → `<num>`, `a` → `a_neg`).
        buffer.write(maximumBytes: 6 * text.count + 16, maximumTokens: text.count + 1) { writer in
            var scan = Scan(text: text, marksNegation: marksNegation)
            scan.run(into: &writer)
        }
    }
}

/// One pass of the tokenizer over one text.
private struct Scan {
    let text: UnsafeBufferPointer<UInt8>
    let marksNegation: Bool
    var index = 0
    var negating = false

    init(text: UnsafeBufferPointer<UInt8>, marksNegation: Bool) {
        self.text = text
        self.marksNegation = marksNegation
    }

    mutating func run(into buffer: inout TokenWriter) {
        let startsEmoticon = Emoticons.startsEmoticon
        while index < text.count {
            let byte = text[index]
            let folded = byte | 0x20
            if ByteClass.isSpace(byte) {
                index += 1
            } else if ByteClass.isASCIILetter(byte), !startsEmoticon[Int(folded)], !mayStartURL() {
                // Most tokens start with a letter that can start neither a URL nor an emoticon:
                // those go straight to the word rule, which is where `scanASCII` would send them.
                scanWord(into: &buffer)
            } else if byte < 0x80 {
                scanASCII(byte, into: &buffer)
            } else {
                scanNonASCII(into: &buffer)
            }
        }
    }

    private mutating func scanASCII(_ byte: UInt8, into buffer: inout TokenWriter) {
        if let end = urlEnd() {
            emit(Placeholder.url, into: &buffer)
            index = end
        } else if byte == UInt8(ascii: "@"), nextIsNameByte() {
            emit(Placeholder.user, into: &buffer)
            index += 1
            while index < text.count, ByteClass.isNameByte(text[index]) { index += 1 }
        } else if byte == UInt8(ascii: "#"), index + 1 < text.count, isWordByte(at: index + 1) {
            buffer.append(byte)
            index += 1
            appendName(into: &buffer)
            buffer.finishToken()
        } else if let emoticon = Emoticons.match(in: text, at: index) {
            emit(emoticon.canonical, into: &buffer)
            index += emoticon.length
            negating = false
        } else if ByteClass.isDigit(byte) {
            scanNumberOrWord(into: &buffer)
        } else if ByteClass.isNameByte(byte) {
            scanWord(into: &buffer)
        } else if byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") {
            buffer.append(byte)
            buffer.finishToken()
            negating = false
            while index < text.count, text[index] == byte { index += 1 }
        } else {
            if ByteClass.endsClause(byte) { negating = false }
            index += 1
        }
    }

    private mutating func scanNonASCII(into buffer: inout TokenWriter) {
        let (scalar, length) = ByteClass.decodeScalar(text, at: index)
        if ByteClass.isEmoji(scalar) {
            buffer.append(contentsOf: text[index..<index + length])
            buffer.finishToken()
            index += length
        } else if ByteClass.isEmojiModifier(scalar) || ByteClass.isSeparator(scalar) || scalar == ByteClass.rightSingleQuote {
            if ByteClass.endsClause(scalar) { negating = false }
            index += length
        } else {
            scanWord(into: &buffer)
        }
    }

    // MARK: Words and numbers

    /// Digits with inner `. , :` are a number. Digits running into word bytes are a word
    /// (`4ever`); if the number had separators, the part up to the last one is a number and the
    /// rest a word (`7:30pm` → `<num> 30pm`).
    private mutating func scanNumberOrWord(into buffer: inout TokenWriter) {
        let start = index
        var afterLastSeparator: Int?
        while index < text.count {
            let byte = text[index]
            if ByteClass.isDigit(byte) {
                index += 1
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":"),
                      index + 1 < text.count, ByteClass.isDigit(text[index + 1]) {
                index += 1
                afterLastSeparator = index
            } else {
                break
            }
        }
        guard index < text.count, isWordByte(at: index) else {
            emit(Placeholder.number, into: &buffer)
            return
        }
        if let wordStart = afterLastSeparator {
            emit(Placeholder.number, into: &buffer)
            index = wordStart
        } else {
            index = start
        }
        scanWord(into: &buffer)
    }

    /// Reads a word (rule 7), then applies the negation rule to it.
    @inline(__always)
    private mutating func scanWord(into buffer: inout TokenWriter) {
        // The position and the writer are locals, stored back when the word ends.
        var position = index
        var writer = buffer
        // The last two bytes read, to squash elongations; zeros stand for none, and for a
        // non-ASCII letter.
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        while position < text.count {
            let byte = text[position]
            let lower = byte | 0x20
            // An ASCII letter, tested first as most bytes of a word are one (no byte from 0x80 up
            // passes: folded, it is 0xA0 or more).
            if lower &- UInt8(ascii: "a") < 26 {
                // A letter read twice just before is dropped: `soooo` → `soo`.
                if lower != previous || lower != beforePrevious { writer.append(lower) }
                (beforePrevious, previous) = (previous, lower)
                position += 1
            } else if byte < 0x80 {
                if ByteClass.isDigit(byte) || byte == UInt8(ascii: "_")
                            || byte == UInt8(ascii: "'") && position + 1 < text.count && isWordByte(at: position + 1) {
                    writer.append(byte)
                    (beforePrevious, previous) = (previous, byte)
                    position += 1
                } else {
                    break
                }
            } else {
                let (scalar, length) = ByteClass.decodeScalar(text, at: position)
                if scalar == ByteClass.rightSingleQuote {
                    guard position + length < text.count, isWordByte(at: position + length) else { break }
                    writer.append(UInt8(ascii: "'"))
                    (beforePrevious, previous) = (previous, UInt8(ascii: "'"))
                } else if ByteClass.isEmoji(scalar) || ByteClass.isEmojiModifier(scalar) || ByteClass.isSeparator(scalar) {
                    break
                } else {
                    writer.append(contentsOf: text[position..<position + length])
                    (beforePrevious, previous) = (0, 0)
                }
                position += length
            }
        }
        index = position
        buffer = writer
        finishWord(into: &buffer)
    }

    /// Ends the word being built: a negation word opens a scope; words inside one are marked.
    @inline(__always)
    private mutating func finishWord(into buffer: inout TokenWriter) {
        guard marksNegation else {
            buffer.finishToken()
            return
        }
        if buffer.withPendingToken(Negation.isNegation) {
            negating = true
        } else if negating {
            buffer.append(contentsOf: Negation.suffix)
        }
        buffer.finishToken()
    }

    /// Appends the name after `#`: letters (ASCII lower-cased, elongations squashed), digits,
    /// `_` and non-ASCII letters.
    private mutating func appendName(into buffer: inout TokenWriter) {
        var previous: (UInt8, UInt8) = (0, 0)
        while index < text.count, isWordByte(at: index) {
            let byte = text[index]
            guard byte < 0x80 else {
                let length = ByteClass.decodeScalar(text, at: index).length
                buffer.append(contentsOf: text[index..<index + length])
                previous = (0, 0)
                index += length
                continue
            }
            let lower = ByteClass.isASCIILetter(byte) ? byte | 0x20 : byte
            if !(ByteClass.isASCIILetter(byte) && previous == (lower, lower)) { buffer.append(lower) }
            previous = (previous.1, lower)
            index += 1
        }
    }

    /// Whether the bytes at `position` continue a word: a letter, digit, `_` or non-ASCII letter.
    private func isWordByte(at position: Int) -> Bool {
        let byte = text[position]
        if byte < 0x80 { return ByteClass.isNameByte(byte) }
        let scalar = ByteClass.decodeScalar(text, at: position).scalar
        return !(ByteClass.isEmoji(scalar) || ByteClass.isEmojiModifier(scalar)
            || ByteClass.isSeparator(scalar) || scalar == ByteClass.rightSingleQuote)
    }

    // MARK: Helpers

    private func nextIsNameByte() -> Bool {
        index + 1 < text.count && ByteClass.isNameByte(text[index + 1])
    }

    /// Whether a URL may start here: every URL prefix starts `ht` or `ww` (any case), so words
    /// such as `the`, `have` and `with` are told apart without comparing the prefixes.
    @inline(__always)
    private func mayStartURL() -> Bool {
        guard index + 1 < text.count else { return false }
        let first = text[index] | 0x20
        let second = text[index + 1] | 0x20
        return first == UInt8(ascii: "h") && second == UInt8(ascii: "t") || first == UInt8(ascii: "w") && second == UInt8(ascii: "w")
    }

    /// The end of a URL starting here, if one does.
    private func urlEnd() -> Int? {
        guard mayStartURL(), Placeholder.urlPrefixes.contains(where: hasPrefix) else { return nil }
        var end = index
        while end < text.count {
            let byte = text[end]
            if byte < 0x80 {
                if ByteClass.isSpace(byte) { break }
                end += 1
            } else {
                let (scalar, length) = ByteClass.decodeScalar(text, at: end)
                if ByteClass.isSeparator(scalar) { break }
                end += length
            }
        }
        return end
    }

    private func hasPrefix(_ prefix: [UInt8]) -> Bool {
        guard index + prefix.count <= text.count else { return false }
        for offset in 0..<prefix.count {
            let byte = text[index + offset]
            let folded = ByteClass.isASCIILetter(byte) ? byte | 0x20 : byte
            if folded != prefix[offset] { return false }
        }
        return true
    }

    private func emit(_ token: [UInt8], into buffer: inout TokenWriter) {
        buffer.append(contentsOf: token)
        buffer.finishToken()
    }
}
