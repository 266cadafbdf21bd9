/// Durations in scenario files: whole numbers with a unit, concatenated — `90s`, `15m`,
/// `1h30m`, `7d`, `250ms`.
enum DurationText {
    /// The duration, or nil if `text` is not of that form.
    static func parse(_ text: String) -> Duration? {
        var total = Duration.zero
        var digits = ""
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while let character = rest.first {
            if character.isASCII, character.isNumber {
                digits.append(character)
                rest = rest.dropFirst()
                continue
            }
            guard let value = Int64(digits) else { return nil }
            digits = ""
            let unit: Duration
            if rest.hasPrefix("ms") { unit = .milliseconds(1); rest = rest.dropFirst(2) }
            else if rest.hasPrefix("s") { unit = .seconds(1); rest = rest.dropFirst() }
            else if rest.hasPrefix("m") { unit = .seconds(60); rest = rest.dropFirst() }
            else if rest.hasPrefix("h") { unit = .seconds(3600); rest = rest.dropFirst() }
            else if rest.hasPrefix("d") { unit = .seconds(86_400); rest = rest.dropFirst() }
            else { return nil }
            total += unit * value
        }
        return digits.isEmpty ? total : nil
    }
}
