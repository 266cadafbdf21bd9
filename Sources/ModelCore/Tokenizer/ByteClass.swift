/// Byte and code point classes used by the tokenizer.
enum ByteClass {
    /// ASCII white space: space, tab, line feed, vertical tab, form feed, carriage return.
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    static func isASCIILetter(_ byte: UInt8) -> Bool {
        let folded = byte | 0x20
        return folded >= 0x61 && folded <= 0x7A
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Letters, digits and `_`: what may follow `@` or `#`.
    static func isNameByte(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || isDigit(byte) || byte == 0x5F
    }

    /// Non-ASCII punctuation that ends a negation scope: `…`, `–`, `—`.
    static func endsClause(_ scalar: UInt32) -> Bool {
        scalar == 0x2026 || scalar == 0x2013 || scalar == 0x2014
    }

    /// Punctuation that ends a negation scope: `. , ! ? ; :`.
    static func endsClause(_ byte: UInt8) -> Bool {
        byte == 0x2E || byte == 0x2C || byte == 0x21 || byte == 0x3F || byte == 0x3B || byte == 0x3A
    }

    /// What may follow an emoticon: white space or ASCII punctuation other than `_` and `'`.
    static func endsEmoticon(_ byte: UInt8) -> Bool {
        if isSpace(byte) { return true }
        if byte >= 0x80 { return true }
        return !isNameByte(byte) && byte != 0x27
    }

    /// Emoji and pictographs, each kept as a token of its own.
    static func isEmoji(_ scalar: UInt32) -> Bool {
        (0x1F000...0x1FAFF).contains(scalar) && !isEmojiModifier(scalar)
            || scalar == 0x203C || scalar == 0x2049
            || (0x2600...0x27BF).contains(scalar)
            || (0x2B00...0x2BFF).contains(scalar)
            || (0x2300...0x23FF).contains(scalar)
    }

    /// Code points that only modify the emoji before them (skin tones, variation selectors,
    /// the zero-width joiner); they are dropped.
    static func isEmojiModifier(_ scalar: UInt32) -> Bool {
        (0x1F3FB...0x1F3FF).contains(scalar) || scalar == 0xFE0F || scalar == 0xFE0E || scalar == 0x200D
    }

    /// Non-ASCII code points that separate words: general punctuation (dashes, curly quotes other
    /// than the apostrophe, ellipsis, zero-width spaces), Latin-1 punctuation, symbols and spaces,
    /// the ideographic space, the byte-order mark, and U+FFFD, which stands for bytes that were not
    /// valid UTF-8.
    static func isSeparator(_ scalar: UInt32) -> Bool {
        (0x2000...0x206F).contains(scalar) && scalar != rightSingleQuote && !isEmoji(scalar)
            || (0x0080...0x00BF).contains(scalar)
            || scalar == 0xFFFD || scalar == 0x3000 || scalar == 0xFEFF
    }

    /// U+2019, the typographic apostrophe; read as `'` inside words.
    static let rightSingleQuote: UInt32 = 0x2019

    /// Decodes the UTF-8 sequence at `index`: its scalar value and length. Malformed bytes —
    /// truncated or overlong sequences, surrogates, values past U+10FFFF — decode as U+FFFD of
    /// length 1, so the tokenizer never stalls.
    static func decodeScalar(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> (scalar: UInt32, length: Int) {
        let lead = text[index]
        let length: Int
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; scalar = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; scalar = UInt32(lead & 0x07)
        default: return (0xFFFD, 1)
        }
        guard index + length <= text.count else { return (0xFFFD, 1) }
        for offset in 1..<length {
            let continuation = text[index + offset]
            guard continuation & 0xC0 == 0x80 else { return (0xFFFD, 1) }
            scalar = scalar << 6 | UInt32(continuation & 0x3F)
        }
        let shortest: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard scalar >= shortest, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return (0xFFFD, 1) }
        return (scalar, length)
    }
}
