import ArgumentParser
import TweetStream

/// A `--burst` value, `START:DURATION:MULTIPLIER` (e.g. `10m:2m:5`): from START after the
/// stream's start, for DURATION, the rate times MULTIPLIER.
struct BurstArgument: ExpressibleByArgument, CustomStringConvertible {
    let burst: Burst
    let description: String

    init?(argument: String) {
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let start = DurationArgument(argument: String(parts[0])),
              let duration = DurationArgument(argument: String(parts[1])), let multiplier = Double(parts[2])
        else { return nil }
        burst = Burst(start: start.duration, duration: duration.duration, multiplier: multiplier)
        description = argument
    }
}

/// A `--rule` value, `VALUE#TAG` or just `VALUE`. The tag follows the last `#` that comes
/// right after a letter, a digit, `)` or `"`; a `#` after a space or at the start begins a
/// hashtag, so `happy #swift` has no tag and `#swift#lang` has the tag `lang`. A tag cannot be
/// empty (`love#` is refused).
struct RuleArgument: ExpressibleByArgument, CustomStringConvertible {
    let value: String
    let tag: String?
    let description: String

    init?(argument: String) {
        description = argument
        if let hash = argument.lastIndex(of: "#"), hash != argument.startIndex,
           let before = argument[..<hash].last, before.isLetter || before.isNumber || before == ")" || before == "\"" {
            value = String(argument[..<hash])
            tag = String(argument[argument.index(after: hash)...])
            if tag!.isEmpty { return nil }
        } else {
            value = argument
            tag = nil
        }
    }
}
