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
        SinkRow(table: Self.table, key: tweet.id, value: Data(json.canonicalText.utf8))
    }
}

/// The parts of a stored prediction row that the windows need.
struct StoredPrediction: Equatable {
    var label: String
    var score: Double

    /// Reads a `predictions` row's value.
    init?(_ value: Data) {
        guard case .object(let row)? = try? JSONParser.parse(String(decoding: value, as: UTF8.self)),
              case .string(let label)? = row["label"], case .number(let score)? = row["score"]
        else { return nil }
        self.label = label
        self.score = score
    }
}
