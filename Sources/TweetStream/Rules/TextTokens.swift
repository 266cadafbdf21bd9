/// The tokens rules match against: a text lower-cased and split on everything that is not a
/// letter or a digit. A `#` or `@` that starts a word (not after a letter or digit, so not the
/// one in `a#b`) stays on the token that follows it, so
/// `#Swift` gives `#swift` and `@jane` gives `@jane`: the keyword `swift` does not match a
/// hashtag, and the keyword `#swift` matches only the hashtag.
///
/// `"I love #Swift, don't you?"` → `i`, `love`, `#swift`, `don`, `t`, `you`.
public enum TextTokens {
    /// The tokens of `text`, in order.
    public static func of(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        var pendingSigil: Unicode.Scalar?
        for scalar in text.lowercased().unicodeScalars {
            if isWordScalar(scalar) {
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

    /// Letters and digits of any script; everything else separates tokens.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x30...0x39).contains(value) || (0x61...0x7A).contains(value) || (0x41...0x5A).contains(value)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
