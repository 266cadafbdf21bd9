/// One field of a cron expression as a set of allowed values, stored as a bit mask.
struct CronField: Hashable, Sendable {
    /// Bit `n` is set when value `n` is allowed.
    let mask: UInt64
    /// Whether the field was written starting with `*` (matters for the day-of-month /
    /// day-of-week rule and for repeated hours at a DST change).
    let isWildcard: Bool

    func contains(_ value: Int) -> Bool { mask & (1 << UInt64(value)) != 0 }

    /// The smallest allowed value at or above `value`, if any.
    func next(atOrAbove value: Int) -> Int? {
        guard value < 64 else { return nil }
        let remaining = mask >> UInt64(value)
        return remaining == 0 ? nil : value + remaining.trailingZeroBitCount
    }

    /// Parses a field such as `*`, `*/15`, `1-5`, `MON-FRI`, `0,30`, `10-50/20` or `5/10`.
    /// `names` maps lowercase names to values (months, days of the week); `rangeEndNames`
    /// overrides them at the end of a range (so `FRI-SUN` can end at Sunday = 7).
    /// Numbers are plain ASCII digits (no sign).
    static func parse(_ text: String, range: ClosedRange<Int>, names: [String: Int] = [:],
                      rangeEndNames: [String: Int] = [:], field: String, expression: String) throws -> CronField {
        func fail(_ reason: String) -> CronError { .invalidExpression(expression: expression, field: field, reason: reason) }
        func value(_ token: Substring, endsRange: Bool = false) throws -> Int {
            if let number = digits(token) {
                guard range.contains(number) else { throw fail("\(number) is outside \(range.lowerBound)–\(range.upperBound)") }
                return number
            }
            if endsRange, let named = rangeEndNames[token.lowercased()] { return named }
            if let named = names[token.lowercased()] { return named }
            throw fail("\"\(token)\" is not a number\(names.isEmpty ? "" : " or name")")
        }
        var mask: UInt64 = 0
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !item.isEmpty else { throw fail("empty list item in \"\(text)\"") }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { throw fail("more than one '/' in \"\(item)\"") }
            var step = 1
            if parts.count == 2 {
                guard let parsed = digits(parts[1]), parsed > 0 else { throw fail("step \"\(parts[1])\" must be a positive number") }
                step = parsed
            }
            let lower: Int
            let upper: Int
            if parts[0] == "*" {
                (lower, upper) = (range.lowerBound, range.upperBound)
            } else if let dash = parts[0].firstIndex(of: "-") {
                lower = try value(parts[0][..<dash])
                // A range-end name (SUN = 7) applies only where the usual value would run
                // backwards: FRI-SUN is Friday to Sunday, SUN-SUN is just Sunday.
                let end = parts[0][parts[0].index(after: dash)...]
                let plain = try value(end)
                upper = plain < lower ? try value(end, endsRange: true) : plain
                guard lower <= upper else { throw fail("range \"\(parts[0])\" runs backwards") }
            } else {
                lower = try value(parts[0])
                upper = parts.count == 2 ? range.upperBound : lower  // "5/10" means 5, 15, 25, …
            }
            for allowed in stride(from: lower, through: upper, by: step) { mask |= 1 << UInt64(allowed) }
        }
        return CronField(mask: mask, isWildcard: text.hasPrefix("*"))
    }

    /// The value of 1–4 ASCII digits; nil for anything else (`+5`, `-1`, `٣`, an empty token).
    private static func digits(_ token: Substring) -> Int? {
        guard (1...4).contains(token.utf8.count), token.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Int(token)
    }
}
