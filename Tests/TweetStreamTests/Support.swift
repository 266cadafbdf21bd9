import LocalCloud
import TweetStream

/// Made-up tweet texts, so the tests never need the corpus.
enum SampleTexts {
    static let texts = [
        "I love this #Swift release",
        "What a sad day, raining again",
        "Happy birthday @jane!",
        "the report is due monday",
        "so happy with the new phone",
        "Traffic is awful this morning",
        "quotes \"inside\" and a back\\slash",
        "neutral words about a table",
    ]

    static let start = Instant(iso8601: "2026-01-01T00:00:00Z")!

    /// A schedule of `count` tweets over the sample texts, starting at `start`.
    static func schedule(count: Int, settings: ArrivalSettings) throws -> ReplaySchedule {
        try ReplaySchedule(texts: texts, count: count, settings: settings, start: start)
    }
}

extension ReplaySchedule {
    /// Every tweet's stream line (matched by `rules`) and every arrival time: the schedule's bytes.
    func bytes(rules: [FilterRule] = []) -> [UInt8] {
        var out: [UInt8] = []
        for position in 0..<count { StreamLine.append(tweet(at: position), matching: rules, to: &out) }
        out.append(contentsOf: (0..<count).flatMap { String(arrival(at: $0).nanosecondsSinceEpoch).utf8 + [10] })
        return out
    }
}
