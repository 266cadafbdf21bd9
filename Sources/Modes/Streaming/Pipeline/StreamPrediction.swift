import Foundation
import JSON
import LocalCloud
import ModelCore

/// What the pipeline stores for one tweet: a row of the sink's `predictions` table, keyed by
/// the tweet id. Its value is canonical JSON with the probabilities in full precision, so the
/// bits equal those of a batch or online prediction of the same text by the same model:
///
///     {"created_at":"…","id":"…","label":"positive","model_id":"…",
///      "probabilities":{"negative":…,"neutral":…,"positive":…},"score":…,"tags":["…"]}
public struct StreamPrediction: Sendable, Equatable {
    /// The sink table the predictions go to.
    public static let table = "predictions"

    /// The tweet.
    public var tweet: StreamedTweet
    /// What the model said.
    public var prediction: Prediction

    /// The prediction of `tweet`.
    public init(tweet: StreamedTweet, prediction: Prediction) {
        self.tweet = tweet
        self.prediction = prediction
    }

    /// The canonical JSON of the row.
    public var json: JSONValue {
        .object([
            "id": .string(tweet.id),
            "created_at": .string(tweet.createdAt.iso8601),
            "tags": .array(tweet.tags.map(JSONValue.string)),
            "label": .string(prediction.label),
            "probabilities": .object(Dictionary(uniqueKeysWithValues: zip(prediction.labels, prediction.probabilities.map(JSONValue.number)))),
            "score": .number(prediction.score),
            "model_id": .string(prediction.modelID),
        ])
    }

    /// The sink row.
    public var row: SinkRow {
        SinkRow(table: Self.table, key: tweet.id, value: Data(jsonBytes))
    }

    /// `json.canonicalText` as UTF-8 bytes, written field by field in canonical key order
    /// (tested equal to the canonical writer's output), because every tweet's row is encoded.
    var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + tweet.tags.reduce(0) { $0 + $1.utf8.count + 3 })
        out.append(contentsOf: #"{"created_at":"#.utf8)
        JSONString.appendQuoted(tweet.createdAt.iso8601, to: &out)
        out.append(contentsOf: #","id":"#.utf8)
        JSONString.appendQuoted(tweet.id, to: &out)
        out.append(contentsOf: #","label":"#.utf8)
        JSONString.appendQuoted(prediction.label, to: &out)
        out.append(contentsOf: #","model_id":"#.utf8)
        JSONString.appendQuoted(prediction.modelID, to: &out)
        out.append(contentsOf: #","probabilities":{"#.utf8)
        let byLabel = zip(prediction.labels, prediction.probabilities).sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        for (position, (label, probability)) in byLabel.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.appendQuoted(label, to: &out)
            out.append(UInt8(ascii: ":"))
            CanonicalNumber.append(probability, to: &out)
        }
        out.append(contentsOf: #"},"score":"#.utf8)
        CanonicalNumber.append(prediction.score, to: &out)
        out.append(contentsOf: #","tags":["#.utf8)
        for (position, tag) in tweet.tags.enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            JSONString.appendQuoted(tag, to: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}

/// The parts of a stored prediction row (a `predictions` value) that the windows need.
public struct StoredPrediction: Sendable, Equatable {
    /// The predicted label.
    public var label: String
    /// The row's score.
    public var score: Double

    /// Reads a `predictions` row's value: by ``scan(_:)`` when it has the workers' layout,
    /// else by ``init(parsing:)``.
    public init?(_ value: Data) {
        guard let stored = Self.scan(value) ?? StoredPrediction(parsing: value) else { return nil }
        self = stored
    }

    /// Reads a `predictions` row's value with the strict JSON parser, whatever its layout; nil
    /// when it is not a JSON object with a string `label` and a number `score`.
    public init?(parsing value: Data) {
        guard case .object(let row)? = try? JSONParser.parse(String(decoding: value, as: UTF8.self)),
              case .string(let label)? = row["label"], case .number(let score)? = row["score"]
        else { return nil }
        self.label = label
        self.score = score
    }

    /// A label and score.
    public init(label: String, score: Double) {
        self.label = label
        self.score = score
    }

    /// The label and score of a row laid out exactly as `StreamPrediction.jsonBytes` writes it,
    /// read without building a JSON tree; nil for any other layout. Whenever it gives a value,
    /// the strict parser gives the same (a differential test holds it to that).
    public static func scan(_ value: Data) -> StoredPrediction? {
        value.withUnsafeBytes { raw -> StoredPrediction? in
            var reader = JSONLayoutReader(raw.bindMemory(to: UInt8.self))
            guard reader.consume(#"{"created_at":"#), reader.skipString(),
                  reader.consume(#","id":"#), reader.skipString(),
                  reader.consume(#","label":"#), let label = reader.string(),
                  reader.consume(#","model_id":"#), reader.skipString(),
                  reader.consume(#","probabilities":{"#)
            else { return nil }
            if !reader.consume("}") {
                var labels: [String] = []  // the strict parser refuses a repeated key
                repeat {
                    guard let key = reader.string(), !labels.contains(key), reader.consume(":"), reader.skipNumber()
                    else { return nil }
                    labels.append(key)
                } while reader.consume(",")
                guard reader.consume("}") else { return nil }
            }
            guard reader.consume(#","score":"#), let score = reader.number(), reader.consume(#","tags":["#) else { return nil }
            if !reader.consume("]") {
                repeat {
                    guard reader.skipString() else { return nil }
                } while reader.consume(",")
                guard reader.consume("]") else { return nil }
            }
            guard reader.consume("}"), reader.isAtEnd else { return nil }
            return StoredPrediction(label: label, score: score)
        }
    }
}
