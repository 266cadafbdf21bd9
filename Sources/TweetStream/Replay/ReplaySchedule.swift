import Determinism
import LocalCloud

/// The replay of a list of texts as a stream: each tweet's id, author, event time and arrival.
///
/// Tweet n (from 0) carries text n mod `texts.count`: the texts loop when more tweets are
/// wanted than there are texts, each pass with new ids and arrival times. Arrivals follow
/// ``ArrivalProcess`` (seeded exponential gaps, bursts); a late tweet (``LateArrivals``) was
/// created up to `maxDelay` before it arrives, so it comes out of event-time order. Ids are
/// snowflakes of the arrival time, made strictly increasing. Authors come from the seed and
/// the text's row, so a text keeps its author across passes.
///
/// The same texts, count, settings and start give the same schedule, byte for byte. It is
/// compact: three numbers per tweet are computed up front (24 bytes, so 24 MB for a million
/// tweets); texts are shared and everything else is computed when a tweet is asked for.
public struct ReplaySchedule: Sendable {
    /// The stream's start: arrival offsets count from here.
    public let start: Instant
    /// The number of tweets.
    public let count: Int
    /// The settings the schedule was made with.
    public let settings: ArrivalSettings
    private let texts: [String]
    /// Arrival offsets from `start`, in nanoseconds, non-decreasing.
    private let arrivals: [Int64]
    /// How long before its arrival each tweet was created, in milliseconds (0: on time).
    private let lateness: [Int32]
    private let ids: [UInt64]
    private let authorSeed: UInt64

    /// The most tweets a schedule holds: it keeps 20 bytes a tweet in memory (200 MB at this count).
    public static let maximumCount = 10_000_000

    /// The schedule of `count` tweets over `texts` from `start`.
    /// - Throws: ``ScheduleError`` when the settings are out of range, `count` is negative or
    ///   above ``maximumCount``, or tweets are wanted from no texts.
    public init(texts: [String], count: Int, settings: ArrivalSettings, start: Instant) throws(ScheduleError) {
        try settings.validate()
        guard count >= 0 else { throw ScheduleError(field: "count", "expected 0 tweets or more, got \(count)") }
        guard count <= Self.maximumCount else {
            throw ScheduleError(field: "count", "expected at most \(Self.maximumCount) tweets (the schedule is held in memory), got \(count)")
        }
        guard count == 0 || !texts.isEmpty else { throw ScheduleError(field: "texts", "expected at least one text to replay") }
        self.start = start
        self.count = count
        self.settings = settings
        self.texts = texts
        authorSeed = SplitMix64.mix(settings.seed ^ 0x6175_7468_6F72_7321)

        var process = ArrivalProcess(settings: settings)
        var arrivals = [Int64](repeating: 0, count: count)
        for position in 0..<count { arrivals[position] = process.next() }
        self.arrivals = arrivals

        var lateness = [Int32](repeating: 0, count: count)
        if let late = settings.late, late.fraction > 0 {
            var random = SplitMix64(seed: SplitMix64.mix(settings.seed ^ 0x6C61_7465_6E65_7373))
            let maxMilliseconds = UInt64(min(ArrivalProcess.nanoseconds(late.maxDelay) / 1e6, Double(Int32.max)))
            for position in 0..<count where ArrivalProcess.unit(random.next()) <= late.fraction {
                lateness[position] = Int32(1 + random.next() % maxMilliseconds)
            }
        }
        self.lateness = lateness

        let worker = SplitMix64.mix(settings.seed ^ 0x776F_726B_6572_2121) & 0x3FF
        var ids = [UInt64](repeating: 0, count: count)
        var previous: UInt64 = 0
        for position in 0..<count {
            let arrival = start.advanced(by: .nanoseconds(arrivals[position]))
            let id = max(TweetTime.snowflake(at: arrival, worker: worker, sequence: 0), position == 0 ? 0 : previous + 1)
            ids[position] = id
            previous = id
        }
        self.ids = ids
    }

    /// How many texts the schedule replays.
    public var textCount: Int { texts.count }

    /// The row, in the texts, of the text tweet `position` carries.
    public func textRow(at position: Int) -> Int { position % texts.count }

    /// When tweet `position` arrives.
    public func arrival(at position: Int) -> Instant {
        start.advanced(by: .nanoseconds(arrivals[position]))
    }

    /// Tweet `position` (0 ..< `count`).
    public func tweet(at position: Int) -> ScheduledTweet {
        let row = textRow(at: position)
        let arrival = arrival(at: position)
        let created = Instant(nanosecondsSinceEpoch: arrival.nanosecondsSinceEpoch.floorDividedBy(1_000_000) * 1_000_000)
            .advanced(by: .milliseconds(Int64(lateness[position])) * -1)
        let author = 100_000_000_000_000_000 + SplitMix64.mix(authorSeed ^ UInt64(row)) % 900_000_000_000_000_000
        return ScheduledTweet(position: position, id: String(ids[position]), text: texts[row], createdAt: created,
                              authorID: String(author), lang: "en", arrival: arrival)
    }

    /// The first position whose arrival is at or after `instant` (`count` if none is).
    public func firstPosition(arrivingAtOrAfter instant: Instant) -> Int {
        let offset = start.duration(to: instant)
        guard offset > .zero else { return 0 }
        let (seconds, attoseconds) = offset.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return count }
        let nanoseconds = scaled.addingReportingOverflow(attoseconds / 1_000_000_000 + (attoseconds % 1_000_000_000 > 0 ? 1 : 0))
        guard !nanoseconds.overflow else { return count }
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if arrivals[middle] < nanoseconds.partialValue { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
