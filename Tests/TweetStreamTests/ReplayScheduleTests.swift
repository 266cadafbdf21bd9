import Determinism
import Foundation
import JSON
import LocalCloud
import Testing
import TweetStream

@Suite("Replay schedule")
struct ReplayScheduleTests {
    @Test("the same seed gives the same bytes; another seed gives others")
    func determinism() throws {
        let settings = ArrivalSettings(seed: 42, rate: 50, bursts: [Burst(start: .seconds(10), duration: .seconds(5), multiplier: 8)],
                                       late: LateArrivals(fraction: 0.2, maxDelay: .seconds(30)))
        let first = try SampleTexts.schedule(count: 2000, settings: settings).bytes()
        #expect(first == (try SampleTexts.schedule(count: 2000, settings: settings).bytes()))
        var other = settings
        other.seed = 43
        #expect(first != (try SampleTexts.schedule(count: 2000, settings: other).bytes()))
    }

    @Test("arrivals average the base rate, and a burst multiplies it while it lasts")
    func rates() throws {
        let settings = ArrivalSettings(seed: 9, rate: 100, bursts: [Burst(start: .seconds(60), duration: .seconds(20), multiplier: 10)])
        let schedule = try SampleTexts.schedule(count: 40_000, settings: settings)
        func count(from: Int, to: Int) -> Int {
            schedule.firstPosition(arrivingAtOrAfter: SampleTexts.start.advanced(by: .seconds(to)))
                - schedule.firstPosition(arrivingAtOrAfter: SampleTexts.start.advanced(by: .seconds(from)))
        }
        // Poisson counts: mean λt, standard deviation √(λt); bounds at about 5 deviations.
        let before = count(from: 0, to: 60)  // mean 6,000, sd 77
        #expect((5_600...6_400).contains(before), "\(before)")
        let burst = count(from: 60, to: 80)  // mean 20,000, sd 141
        #expect((19_300...20_700).contains(burst), "\(burst)")
        let after = count(from: 80, to: 120)  // mean 4,000, sd 63
        #expect((3_680...4_320).contains(after), "\(after)")
        // Gaps are exponential: about e⁻¹ of them are longer than the mean gap (10 ms).
        let positions = 0..<5_000
        let long = positions.dropFirst().filter { schedule.arrival(at: $0 - 1).duration(to: schedule.arrival(at: $0)) > .milliseconds(10) }.count
        #expect(abs(Double(long) / 4_999 - exp(-1)) < 0.04, "\(long)")
    }

    @Test("the late fraction and the maximum delay are respected; on-time tweets are created on arrival")
    func lateness() throws {
        let settings = ArrivalSettings(seed: 5, rate: 10, late: LateArrivals(fraction: 0.25, maxDelay: .seconds(90)))
        let schedule = try SampleTexts.schedule(count: 8_000, settings: settings)
        var late = 0
        var outOfOrder = 0
        var longest = Duration.zero
        for position in 0..<schedule.count {
            let tweet = schedule.tweet(at: position)
            let delay = tweet.createdAt.duration(to: tweet.arrival)
            #expect(delay >= .zero && delay <= .seconds(90) + .milliseconds(1))
            if tweet.isLate { late += 1 } else { #expect(delay < .milliseconds(1)) }
            longest = max(longest, delay)
            if position > 0, tweet.createdAt < schedule.tweet(at: position - 1).createdAt { outOfOrder += 1 }
        }
        #expect(abs(Double(late) / 8_000 - 0.25) < 0.025, "\(late)")
        #expect(longest > .seconds(85), "\(longest)")
        #expect(outOfOrder > 500, "\(outOfOrder)")
        let none = try SampleTexts.schedule(count: 2_000, settings: ArrivalSettings(seed: 5, rate: 10))
        #expect((0..<none.count).allSatisfy { !none.tweet(at: $0).isLate })
    }

    @Test("ids are 19-digit snowflakes that increase with the stream position, also when the texts loop")
    func ids() throws {
        let schedule = try SampleTexts.schedule(count: 5_000, settings: ArrivalSettings(seed: 1, rate: 5_000))
        var previous: UInt64 = 0
        for position in 0..<schedule.count {
            let tweet = schedule.tweet(at: position)
            #expect(tweet.id.count == 19)
            let id = try #require(UInt64(tweet.id))
            #expect(id > previous)
            previous = id
            #expect(tweet.text == SampleTexts.texts[position % SampleTexts.texts.count])
        }
        let again = schedule.tweet(at: SampleTexts.texts.count)
        #expect(again.text == schedule.tweet(at: 0).text && again.authorID == schedule.tweet(at: 0).authorID)
        #expect(again.id != schedule.tweet(at: 0).id)
    }

    @Test("a stream line has v2's shape: data fields as strings, matching_rules with id and tag, CRLF")
    func line() throws {
        let schedule = try SampleTexts.schedule(count: 7, settings: ArrivalSettings(seed: 2, rate: 1))
        var rules = RuleSet(seed: 2)
        let tagged = try rules.add(value: "quotes", tag: "has \"quotes\"")
        let plain = try rules.add(value: "inside", tag: nil)
        let tweet = schedule.tweet(at: 6)
        let bytes = StreamLine.encode(tweet, matching: rules.matching(text: tweet.text, lang: tweet.lang))
        #expect(bytes.suffix(2) == [13, 10])
        let text = String(decoding: bytes.dropLast(2), as: UTF8.self)
        #expect(!text.contains("\n") && !text.contains("\r"))
        #expect(text.hasPrefix(#"{"data":{"author_id":""#))
        let value = try JSONParser.parse(text)
        guard case .object(let top) = value, case .object(let data)? = top["data"], case .array(let matched)? = top["matching_rules"] else {
            Issue.record("not v2-shaped: \(text)")
            return
        }
        #expect(Set(top.keys) == ["data", "matching_rules"])
        #expect(Set(data.keys) == ["id", "text", "created_at", "lang", "author_id"])
        #expect(data["text"] == .string(SampleTexts.texts[6]))
        #expect(data["id"] == .string(tweet.id))
        #expect(data["lang"] == .string("en"))
        guard case .string(let created)? = data["created_at"] else { Issue.record("created_at"); return }
        #expect(created.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/#) != nil, "\(created)")
        #expect(Instant(iso8601: created) == tweet.createdAt)
        #expect(matched == [["id": .string(tagged.id), "tag": "has \"quotes\""], ["id": .string(plain.id)]])
    }

    @Test("created_at always has three fractional digits")
    func createdAt() {
        #expect(TweetTime.createdAt(Instant(iso8601: "2026-03-04T05:06:07Z")!) == "2026-03-04T05:06:07.000Z")
        #expect(TweetTime.createdAt(Instant(iso8601: "2026-03-04T05:06:07.0459Z")!) == "2026-03-04T05:06:07.045Z")
        #expect(TweetTime.createdAt(Instant(iso8601: "1969-12-31T23:59:59.5Z")!) == "1969-12-31T23:59:59.500Z")
    }

    @Test("created_at reads back as the instant truncated to the millisecond, over 3,000 seeded instants")
    func createdAtRoundTrip() throws {
        var random = SplitMix64(seed: 11)
        for _ in 0..<3000 {
            // From 1900 to 2100, to the nanosecond.
            let nanoseconds = Int64(bitPattern: random.next() % 6_311_390_400_000_000_000) - 2_208_988_800_000_000_000
            let instant = Instant(nanosecondsSinceEpoch: nanoseconds)
            let text = TweetTime.createdAt(instant)
            #expect(text.wholeMatch(of: #/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/#) != nil, "\(text)")
            let millisecond = nanoseconds >= 0 ? nanoseconds / 1_000_000 : (nanoseconds - 999_999) / 1_000_000
            #expect(Instant(iso8601: text) == Instant(nanosecondsSinceEpoch: millisecond * 1_000_000), "\(text)")
        }
    }

    @Test("A session tokenizes each text once, and its tokens are the text's wherever it recurs")
    func replayTokensRecur() throws {
        let texts = ["I love #Swift, don't you?", "Ça va très BIEN 👍", "plain words"]
        let schedule = try ReplaySchedule(texts: texts, count: 10, settings: ArrivalSettings(seed: 3, rate: 5), start: Instant(secondsSinceEpoch: 0))
        var tokens = ReplayTokens(schedule: schedule)
        #expect(schedule.textCount == 3)
        for position in 0..<10 {
            let tweet = schedule.tweet(at: position)
            #expect(schedule.textRow(at: position) == position % 3)
            #expect(tokens.of(tweet) == TextTokens.of(texts[position % 3]))
        }
    }

    @Test("settings out of range are refused, naming the field")
    func validation() {
        let cases: [(ArrivalSettings, String)] = [
            (ArrivalSettings(seed: 0, rate: 0), "rate"),
            (ArrivalSettings(seed: 0, rate: .infinity), "rate"),
            (ArrivalSettings(seed: 0, rate: 1, bursts: [Burst(start: .seconds(1), duration: .zero, multiplier: 2)]), "bursts[0].duration"),
            (ArrivalSettings(seed: 0, rate: 1, bursts: [Burst(start: .seconds(-1), duration: .seconds(1), multiplier: 2)]), "bursts[0].start"),
            (ArrivalSettings(seed: 0, rate: 1, bursts: [Burst(start: .zero, duration: .seconds(1), multiplier: 2),
                                                       Burst(start: .zero, duration: .seconds(1), multiplier: 0)]), "bursts[1].multiplier"),
            (ArrivalSettings(seed: 0, rate: 1, late: LateArrivals(fraction: 1.5, maxDelay: .seconds(1))), "late.fraction"),
            (ArrivalSettings(seed: 0, rate: 1, late: LateArrivals(fraction: 0.5, maxDelay: .zero)), "late.max_delay"),
        ]
        for (settings, field) in cases {
            #expect(throws: ScheduleError.self) { try settings.validate() }
            do { try settings.validate() } catch { #expect(error.field == field) }
        }
        #expect(throws: ScheduleError.self) { try ReplaySchedule(texts: [], count: 1, settings: ArrivalSettings(seed: 0, rate: 1), start: .epoch) }
    }

    @Test("a million tweets are scheduled compactly, their ids still increasing")
    func million() throws {
        let schedule = try SampleTexts.schedule(count: 1_000_000, settings: ArrivalSettings(seed: 11, rate: 10_000))
        let last = schedule.tweet(at: 999_999)
        #expect(UInt64(last.id)! > UInt64(schedule.tweet(at: 999_998).id)!)
        // 10,000 tweets a second: the millionth arrives about 100 s in.
        let seconds = SampleTexts.start.duration(to: last.arrival)
        #expect(seconds > .seconds(99) && seconds < .seconds(101), "\(seconds)")
    }
}
