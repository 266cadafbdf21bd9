import Determinism
import Foundation
import LocalCloud
import ModelCore
import Modes
import Testing
import TestSupport

/// A `predictions` row as the workers write it (field by field) against the canonical writer,
/// and the windows' fast reading of it (`StoredPrediction.scan`) against the strict one.
@Suite("Prediction rows: written and read on the fast path")
struct StreamPredictionRowTests {
    /// Predictions with everything a row can hold: labels in any order, numbers in plain and
    /// exponent form, negative and zero scores, tags with escapes or none, a NaN.
    static func predictions() -> [StreamPrediction] {
        let start = Instant(iso8601: "2026-03-01T10:00:00Z")!
        let labelSets = [["negative", "neutral", "positive"], ["positive", "negative"], ["z", "é", "a\"b"], ["only"]]
        let tagSets = [[], ["common"], ["a\\b", "tab\there", "😀"], ["x", "y", "z"]]
        var random = SplitMix64(seed: 0xB0A7)
        var rows: [StreamPrediction] = []
        for index in 0..<200 {
            let labels = labelSets[index % labelSets.count]
            var probabilities = labels.map { _ in Double(random.nextIndex(below: 1_000_000)) / 1_000_000 }
            if index % 7 == 3 { probabilities[0] = 1e-7 }
            if index % 11 == 5 { probabilities[0] = 1.5e21 }
            let score = switch index % 5 {
            case 0: 0.0
            case 1: -probabilities[0]
            case 2: 2.5e-9
            default: probabilities[0] - (probabilities.last ?? 0)
            }
            let prediction = Prediction(label: labels[index % labels.count], labels: labels, probabilities: probabilities,
                                        score: index == 199 ? .nan : score, modelID: "model-\(index % 3)")
            let tweet = StreamedTweet(id: String(1_000_000 + index), text: "t",
                                      createdAt: start.advanced(by: .nanoseconds(Int64(index) * 1_234_567)), tags: tagSets[index % tagSets.count])
            rows.append(StreamPrediction(tweet: tweet, prediction: prediction))
        }
        return rows
    }

    @Test("a row's bytes are the canonical text of its JSON")
    func rowIsCanonical() {
        for prediction in Self.predictions() {
            #expect(prediction.row.value == Data(prediction.json.canonicalText.utf8), "\(prediction.json.canonicalText)")
            #expect(prediction.row.key == prediction.tweet.id)
        }
    }

    /// Checks one value; whether the scan decided it.
    @discardableResult
    private func check(_ value: Data) -> Bool {
        let strict = StoredPrediction(parsing: value)
        let described = String(decoding: value, as: UTF8.self).debugDescription
        #expect(StoredPrediction(value) == strict, "\(described)")
        guard let scanned = StoredPrediction.scan(value) else { return false }
        #expect(strict == scanned, "\(described)")
        return true
    }

    @Test("the scan reads every row the workers write, as the strict reading does")
    func rowsAreScanned() {
        for prediction in Self.predictions() {
            let value = prediction.row.value
            if prediction.prediction.score.isNaN {
                // NaN is written as a string, which is not a score: both readings refuse it.
                #expect(StoredPrediction(value) == nil)
            } else {
                #expect(check(value), "\(String(decoding: value, as: UTF8.self))")
                #expect(StoredPrediction(value) == StoredPrediction(label: prediction.prediction.label, score: prediction.prediction.score))
            }
        }
    }

    @Test("seeded mutations of rows: the scan never disagrees with the strict reading", arguments: 0..<2)
    func mutations(part: UInt64) {
        let values = Self.predictions().map(\.row.value)
        var random = SplitMix64(seed: 0x5C0E_0000 + part)
        let hostile: [UInt8] = Array(#" "\}{],:.eE+-0159"#.utf8) + [0x00, 0x0A, 0x80, 0xC3]
        var decided = 0, refused = 0
        for _ in 0..<3_000 {
            let bytes = seededMutation(of: [UInt8](values[random.nextIndex(below: values.count)]), hostile: hostile, random: &random)
            let value = Data(bytes)
            if check(value) { decided += 1 }
            if StoredPrediction(parsing: value) == nil { refused += 1 }
        }
        // Both kinds occur often enough for the comparison to mean something.
        #expect(decided > 300)
        #expect(refused > 1_000)
    }

    @Test("probabilities the scan passes over are those the strict parser takes", arguments: [
        ("1e999", false), ("-1.5e-400", true), (String(repeating: "9", count: 400), true),
        (String(repeating: "9", count: 300) + ".5", true), (String(repeating: "9", count: 310) + ".5", false), ("1.e5", false), ("-", false),
    ])
    func probabilityNumbers(number: String, taken: Bool) {
        let value = Data(#"{"created_at":"x","id":"1","label":"a","model_id":"m","probabilities":{"a":\#(number)},"score":0.5,"tags":[]}"#.utf8)
        #expect((StoredPrediction(parsing: value) != nil) == taken)
        #expect((StoredPrediction.scan(value) != nil) == taken)
    }

    @Test("rows the scan leaves to the strict reading", arguments: [
        #"{"label":"positive","score":0.5}"#,
        #"{"created_at":"x","id":"1","label":"a","model_id":"m","probabilities":{"a":1,"a":2},"score":0.5,"tags":[]}"#,
        #"{"created_at":"x","id":"1","label":"a","model_id":"m","probabilities":{},"score":12345678901234567890,"tags":[]}"#,
        #"{"created_at":"x","id":"1","label":"a","model_id":"m","probabilities":{},"score":1e999,"tags":[]}"#,
        #"{"created_at":"x","id":"1","label":"a","model_id":"m","probabilities":{},"score":01,"tags":[]}"#,
        #"{"created_at":"x", "id":"1","label":"a","model_id":"m","probabilities":{},"score":0.5,"tags":[]}"#,
    ])
    func otherLayouts(text: String) {
        let value = Data(text.utf8)
        #expect(StoredPrediction.scan(value) == nil)
        #expect(StoredPrediction(value) == StoredPrediction(parsing: value))
    }
}
