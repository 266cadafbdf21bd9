/// Durations in scenario files and in command-line flags (`rehearse serve --drain-timeout`):
/// whole numbers with a unit, concatenated — `90s`, `15m`, `1h30m`, `7d`, `250ms`.
public enum DurationText {
    /// The longest duration a scenario may name: 100 years (of 365.25 days).
    public static let maximumMilliseconds: Int64 = 100 * 36_525 * 864_000

    /// The duration, or nil if `text` is not of that form or is over `maximumMilliseconds`.
    public static func parse(_ text: String) -> Duration? {
        var milliseconds: Int64 = 0
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
            let unit: Int64
            if rest.hasPrefix("ms") { unit = 1; rest = rest.dropFirst(2) }
            else if rest.hasPrefix("s") { unit = 1_000; rest = rest.dropFirst() }
            else if rest.hasPrefix("m") { unit = 60_000; rest = rest.dropFirst() }
            else if rest.hasPrefix("h") { unit = 3_600_000; rest = rest.dropFirst() }
            else if rest.hasPrefix("d") { unit = 86_400_000; rest = rest.dropFirst() }
            else { return nil }
            let (part, overflow) = value.multipliedReportingOverflow(by: unit)
            let (sum, overflowAgain) = milliseconds.addingReportingOverflow(part)
            guard !overflow, !overflowAgain, sum <= maximumMilliseconds else { return nil }
            milliseconds = sum
        }
        return digits.isEmpty ? .milliseconds(milliseconds) : nil
    }
}
