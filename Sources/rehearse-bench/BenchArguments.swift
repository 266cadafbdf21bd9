/// The flags after a `rehearse-bench` command, read strictly: every flag must be one the command
/// knows, given once, with a value, and every value must parse and be in range. Anything else
/// is a `BenchUsageError` naming the flag and the value, never a silent default.
struct BenchArguments {
    private var values: [String: String] = [:]

    /// Reads `arguments` (`--flag value` pairs) for a command that accepts `flags`.
    init(_ arguments: [String], flags: Set<String>) throws(BenchUsageError) {
        var index = 0
        while index < arguments.count {
            let flag = arguments[index]
            guard flags.contains(flag) else {
                throw BenchUsageError(flag.hasPrefix("-") ? "unknown option \(flag)" : "unexpected argument '\(flag)'")
            }
            guard index + 1 < arguments.count else { throw BenchUsageError("\(flag) needs a value") }
            guard values[flag] == nil else { throw BenchUsageError("\(flag) is given twice") }
            values[flag] = arguments[index + 1]
            index += 2
        }
    }

    /// The text given for `flag`, if any.
    func text(_ flag: String) -> String? { values[flag] }

    /// The whole number given for `flag` (nil if absent), which must be in `range`.
    func integer(_ flag: String, in range: ClosedRange<Int>) throws(BenchUsageError) -> Int? {
        guard let text = values[flag] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw BenchUsageError("\(flag) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    /// The number given for `flag` (nil if absent), which must be in `range` and not its lower bound.
    func number(_ flag: String, above lowerBound: Double, upTo upperBound: Double) throws(BenchUsageError) -> Double? {
        guard let text = values[flag] else { return nil }
        guard let value = Double(text), value > lowerBound, value <= upperBound else {
            throw BenchUsageError("\(flag) must be a number in (\(lowerBound), \(upperBound)], got '\(text)'")
        }
        return value
    }
}

/// A command line `rehearse-bench` cannot run: it prints the reason and the usage, and exits 2.
struct BenchUsageError: Error {
    let reason: String

    init(_ reason: String) { self.reason = reason }
}
