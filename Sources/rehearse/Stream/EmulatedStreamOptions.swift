import ArgumentParser
import LocalCloud
import TweetStream

/// What the emulated tweet stream replays and how: its rules, arrival rate, bursts, late
/// tweets, length and drops, and the corpus it reads. Shared by `rehearse stream-source` and by
/// `rehearse stream`, which serves the emulated stream itself when it is given no `--source`.
struct EmulatedStreamOptions: ParsableArguments {
    /// The rate when `--rate` is not given.
    static let defaultRate = 10.0
    /// The late tweets' longest delay when `--late-max-delay` is not given.
    static let defaultLateMaxDelay = DurationArgument("1m")

    @Option(help: ArgumentHelp("A rule, VALUE or VALUE#TAG (e.g. 'happy -sad#joy'); repeatable.", valueName: "RULE"))
    var rule: [RuleArgument] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Tweets per second outside bursts (default: 10).", valueName: "RATE"))
    var rate: Double?

    @Option(help: ArgumentHelp("A burst START:DURATION:MULTIPLIER (e.g. 10m:2m:5), from the stream's start; repeatable.", valueName: "BURST"))
    var burst: [BurstArgument] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("The share of tweets that arrive late (0…1), created up to --late-max-delay before they arrive.", valueName: "FRACTION"))
    var lateFraction: Double?

    @Option(help: ArgumentHelp("The longest delay of a late tweet (default: 1m).", valueName: "DURATION"))
    var lateMaxDelay: DurationArgument?

    @Option(parsing: .unconditional, help: ArgumentHelp("The number of tweets in all (default: one pass over the corpus).", valueName: "N"))
    var tweets: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Close the stream connection abruptly after every N live tweets sent on it.", valueName: "N"))
    var dropEvery: Int?

    @OptionGroup var corpus: CorpusOptions

    /// Whether any of these options was given.
    var isGiven: Bool {
        !rule.isEmpty || rate != nil || !burst.isEmpty || lateFraction != nil || lateMaxDelay != nil || tweets != nil
            || dropEvery != nil || corpus.data != nil
    }

    /// The flags, for messages that list them.
    static let flags = "--rule, --rate, --burst, --late-fraction, --late-max-delay, --tweets, --drop-every and --data"

    func validate() throws {
        if let tweets, !(1...ReplaySchedule.maximumCount).contains(tweets) {
            throw ValidationError("--tweets must be from 1 to \(ReplaySchedule.maximumCount) (the stream's schedule is held in memory), got \(tweets)")
        }
        if let dropEvery, dropEvery < 1 { throw ValidationError("--drop-every must be at least 1") }
        do {
            try arrivals(seed: 0).validate()
        } catch {
            throw ValidationError("--\(Self.flag(for: error.field)): \(error.message)")
        }
        var rules = RuleSet(seed: 0)
        for given in rule {
            do {
                _ = try rules.add(value: given.value, tag: given.tag)
            } catch .invalid(let syntax) {
                throw ValidationError("--rule '\(given)': \(syntax.message)")
            } catch {
                throw ValidationError("--rule '\(given)': the same rule value is given twice")
            }
        }
    }

    /// The arrival process these options describe, seeded with `seed`.
    func arrivals(seed: UInt64) -> ArrivalSettings {
        ArrivalSettings(seed: seed, rate: rate ?? Self.defaultRate, bursts: burst.map(\.burst),
                        late: lateFraction.map { LateArrivals(fraction: $0, maxDelay: (lateMaxDelay ?? Self.defaultLateMaxDelay).duration) })
    }

    /// The texts the stream replays: the corpus's (loaded, or fetched if missing).
    func texts() throws -> [String] {
        try corpus.load().corpus.rows.map(\.text)
    }

    /// The stream's schedule: `texts` arriving from `start` as `arrivals(seed:)` says.
    func schedule(of texts: [String], seed: UInt64, start: Instant) throws -> ReplaySchedule {
        try ReplaySchedule(texts: texts, count: tweets ?? texts.count, settings: arrivals(seed: seed), start: start)
    }

    /// The service configuration serving these options' rules with `token`, on `host` and `port`.
    func configuration(host: String, port: Int, token: String) -> TweetStreamConfiguration {
        TweetStreamConfiguration(host: host, port: port, token: token, initialRules: rule.map { ($0.value, $0.tag) }, dropEvery: dropEvery)
    }

    /// The flag that sets an `ArrivalSettings` field.
    private static func flag(for field: String) -> String {
        if field.hasPrefix("bursts[") { return "burst" }
        switch field {
        case "late.fraction": return "late-fraction"
        case "late.max_delay": return "late-max-delay"
        default: return field
        }
    }
}
