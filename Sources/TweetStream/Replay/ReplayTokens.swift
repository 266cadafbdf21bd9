/// The rule tokens (``TextTokens``) of the texts a ``ReplaySchedule`` replays, worked out the
/// first time a tweet carries each text: the texts loop, so a long stream tokenizes each one
/// once rather than once a pass. Tokens depend on the text alone, never on the rules, so a
/// rule added mid-stream matches against them as against fresh ones.
public struct ReplayTokens {
    private let schedule: ReplaySchedule
    /// By the text's row in the schedule.
    private var tokens: [[String]?]

    /// No text tokenized yet.
    public init(schedule: ReplaySchedule) {
        self.schedule = schedule
        tokens = Array(repeating: nil, count: schedule.textCount)
    }

    /// The tokens of `tweet`'s text (a tweet of this schedule).
    public mutating func of(_ tweet: ScheduledTweet) -> [String] {
        let row = schedule.textRow(at: tweet.position)
        if let known = tokens[row] { return known }
        let fresh = TextTokens.of(tweet.text)
        tokens[row] = fresh
        return fresh
    }
}
