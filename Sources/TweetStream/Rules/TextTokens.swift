/// The tokens rules match against: a text lower-cased and split on everything that is not a
/// letter or a digit (or a combining mark after one). A `#` or `@` that starts a word (not
/// after a letter or digit, so not the one in `a#b`) stays on the token that follows it, so
/// `#Swift` gives `#swift` and `@jane` gives `@jane`: the keyword `swift` does not match a
/// hashtag, and the keyword `#swift` matches only the hashtag.
///
/// `"I love #Swift, don't you?"` → `i`, `love`, `#swift`, `don`, `t`, `you`.
public enum TextTokens {
    /// The tokens of `text`, in order: an ASCII text is read byte by byte, any other by
    /// ``scalarTokens(of:)``, with the same result.
    public static func of(_ text: String) -> [String] {
        var text = text
        return text.withUTF8(asciiTokens) ?? scalarTokens(of: text)
    }

    /// The tokens of any text, read scalar by scalar after lower-casing it all (public so that a
    /// test can hold the ASCII path of ``of(_:)`` to it).
    public static func scalarTokens(of text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        var pendingSigil: Unicode.Scalar?
        for scalar in text.lowercased().unicodeScalars {
            if isWordScalar(scalar) || (!current.isEmpty && isCombiningMark(scalar)) {
                if current.isEmpty, let sigil = pendingSigil { current.append(sigil) }
                pendingSigil = nil
                current.append(scalar)
                continue
            }
            let afterWord = !current.isEmpty
            if afterWord {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
            pendingSigil = !afterWord && (scalar == "#" || scalar == "@") ? scalar : nil
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    /// The tokens of ASCII text, as ``scalarTokens(of:)`` gives them (ASCII lower-cases to
    /// ASCII, letter by letter); nil when a byte is not ASCII.
    private static func asciiTokens(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        var tokens: [String] = []
        var current: [UInt8] = []
        var pendingSigil: UInt8?
        for byte in bytes {
            guard byte < 0x80 else { return nil }
            let lower = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lower) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(lower) {
                if current.isEmpty, let sigil = pendingSigil { current.append(sigil) }
                pendingSigil = nil
                current.append(lower)
                continue
            }
            let afterWord = !current.isEmpty
            if afterWord {
                tokens.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
            pendingSigil = !afterWord && (byte == UInt8(ascii: "#") || byte == UInt8(ascii: "@")) ? byte : nil
        }
        if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
        return tokens
    }

    /// A combining mark (an accent written as a scalar of its own, as decomposed text has it)
    /// belongs to the word it follows: `cafe\u{301}` is one token, equal (as Swift compares
    /// strings, by canonical equivalence) to `café`.
    static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    /// Letters and digits of any script; everything else separates tokens.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x30...0x39).contains(value) || (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
