import Determinism
import Foundation
import LocalCloud
import Modes
import Testing
import TestSupport
import TweetStream

/// `StreamedTweet`'s fast path (`scan`) against its strict reading (`init(parsing:)`), on the
/// lines the stream server writes and on seeded mutations of them: whenever the scan gives a
/// tweet, the strict reading gives the same one, and `init(line:)` always ends as the strict
/// reading does (the same tweet or the same reason).
@Suite("Tweet line scan against the strict reading")
struct StreamedTweetScanTests {
    /// Texts with everything a string escape can hold.
    static let texts = [
        "plain words", #"a "quoted" word"#, #"back\slash"#, "tab\there", "new\nline", "emoji 😀 and é",
        "control \u{1} byte", "", "  spaces  ", "/slash/ and \u{7F}",
    ]

    /// The server's own lines for `texts`, matched by rules with tags (one tag twice) and one
    /// without a tag.
    static func serverLines() throws -> [Data] {
        var rules = RuleSet(seed: 3)
        let matched = [try rules.add(value: "a", tag: "first"), try rules.add(value: "b", tag: "second"),
                       try rules.add(value: "c", tag: "first"), try rules.add(value: "d", tag: nil)]
        let schedule = try ReplaySchedule(texts: texts, count: 40, settings: ArrivalSettings(seed: 5, rate: 10),
                                          start: Instant(iso8601: "2026-03-01T10:00:00Z")!)
        return (0..<40).map { Data(StreamLine.encode(schedule.tweet(at: $0), matching: Array(matched.prefix($0 % 5)))) }
    }

    /// Checks one line; whether the scan decided it.
    @discardableResult
    private func check(_ line: Data) -> Bool {
        let strict = Result { () throws(PoisonReason) in try StreamedTweet(parsing: line) }
        let combined = Result { () throws(PoisonReason) in try StreamedTweet(line: line) }
        let described = String(decoding: line, as: UTF8.self).debugDescription
        #expect(combined == strict, "\(described)")
        guard let scanned = StreamedTweet.scan(line) else { return false }
        #expect(strict == .success(scanned), "\(described)")
        return true
    }

    @Test("the scan decides every line the stream server writes, as the strict reading does")
    func serverLinesAreScanned() throws {
        for line in try Self.serverLines() {
            #expect(check(line), "\(String(decoding: line, as: UTF8.self).debugDescription)")
        }
    }

    @Test("seeded mutations of server lines: the scan never disagrees with the strict reading", arguments: 0..<3)
    func mutations(part: UInt64) throws {
        let lines = try Self.serverLines()
        var random = SplitMix64(seed: 0x5CA1_0000 + part)
        let hostile: [UInt8] = Array(#" "\}{],:u0"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xFF]
        var decided = 0, refused = 0
        for _ in 0..<3_000 {
            let bytes = seededMutation(of: [UInt8](lines[random.nextIndex(below: lines.count)]), hostile: hostile, random: &random)
            let line = Data(bytes)
            if check(line) { decided += 1 }
            if (try? StreamedTweet(parsing: line)) == nil { refused += 1 }
        }
        // Both kinds occur often enough for the comparison to mean something.
        #expect(decided > 300)
        #expect(refused > 1_000)
    }

    @Test("lines the scan leaves to the strict reading", arguments: [
        #"{"data":{"author_id":"1","created_at":"2026-03-01T10:00:00.000Z","id":"","lang":"en","text":"x"},"matching_rules":[]}"#,
        #"{"data":{"author_id":"1","created_at":"yesterday","id":"7","lang":"en","text":"x"},"matching_rules":[]}"#,
        #"{"data":{"author_id":"1","created_at":"2026-03-01T10:00:00.000Z","id":"7","lang":"en","text":"x"},"matching_rules":[{"id":"1","tag":7}]}"#,
        #"{"data":{"author_id":"1","created_at":"2026-03-01T10:00:00.000Z","id":"7","lang":"en","text":"x"},"matching_rules":[]} x"#,
        #"{"data":{"author_id":"1","created_at":"2026-03-01T10:00:00.000Z","id":"7","lang":"en","text":"x","text":"y"},"matching_rules":[]}"#,
        #"{"d\u0061ta":{"author_id":"1","created_at":"2026-03-01T10:00:00.000Z","id":"7","lang":"en","text":"x"},"matching_rules":[]}"#,
        #"{"data":{"author_id":1,"created_at":"2026-03-01T10:00:00.000Z","id":"7","lang":"en","text":"x"},"matching_rules":[]}"#,
        #"{"data":{"author_id":"1","created_at":"2026-03-01T10:00:00.000Z","id":"7","lang":"en","text":"x"}}"#,
        #" {"data":{"author_id":"1","created_at":"2026-03-01T10:00:00.000Z","id":"7","lang":"en","text":"x"},"matching_rules":[]}"#,
        #"{"data":{"author_id":"1","created_at":"2026-03-01T10:00:00.000Z","id":"7","lang":"en","text":"\ud800"},"matching_rules":[]}"#,
    ])
    func leftToStrictReading(line: String) {
        #expect(!check(Data(line.utf8)))
    }

    @Test("a rule without a tag (v2's {\"id\"} alone) adds no tag and does not make the tweet a poison message")
    func untaggedRule() throws {
        let line = Data(#"{"data":{"author_id":"1","created_at":"2026-03-01T10:00:00.000Z","id":"7","lang":"en","text":"x"},"matching_rules":[{"id":"1"},{"id":"2","tag":"t"}]}"#.utf8)
        #expect(check(line))
        #expect(try StreamedTweet(parsing: line).tags == ["t"])
        let spaced = Data(#"{"data": {"id": "7", "text": "x", "created_at": "2026-03-01T10:00:00.000Z"}, "matching_rules": [{"id": "1"}]}"#.utf8)
        #expect(try StreamedTweet(line: spaced).tags == [])
        let badTag = Data(#"{"data":{"id":"7","text":"x","created_at":"2026-03-01T10:00:00.000Z"},"matching_rules":[{"id":"1","tag":null}]}"#.utf8)
        #expect(throws: PoisonReason.self) { try StreamedTweet(line: badTag) }
    }

    @Test("a v2 error message on the stream, or a data that is not an object, is named as such")
    func notATweet() {
        let disconnect = Data(#"{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect"}]}"#.utf8)
        #expect(throws: PoisonReason.streamError(#"[{"disconnect_type":"UpstreamOperationalDisconnect","title":"operational-disconnect"}]"#)) {
            try StreamedTweet(line: disconnect)
        }
        #expect(throws: PoisonReason.badField("data", expected: "an object (the tweet)")) { try StreamedTweet(line: Data(#"{"data":"x"}"#.utf8)) }
    }

    @Test("a line with trailing white space, repeated tags and escapes is still scanned")
    func scannedVariants() {
        let line = #"{"data":{"author_id":"1","created_at":"2026-03-01T10:00:00.000Z","id":"7","lang":"en","text":"\u00e9\ud83d\ude00\"\n"},"matching_rules":[{"id":"1","tag":"t"},{"id":"2","tag":"t"}]}"# + "\r\n"
        #expect(check(Data(line.utf8)))
        #expect(StreamedTweet.scan(Data(line.utf8))?.tags == ["t"])
        #expect(StreamedTweet.scan(Data(line.utf8))?.text == "é😀\"\n")
    }
}
