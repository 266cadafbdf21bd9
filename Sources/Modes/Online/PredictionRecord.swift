import Crypto
import Determinism
import JSON
import LocalCloud

/// One prediction as the online service logs it: one message on the prediction-log topic.
///
/// Its message body (``json``) is one canonical JSON object (the `JSON` module's rules: keys
/// sorted, no spaces, numbers in shortest round-trip form), for example:
///
///     {"index":0,"label":"positive","model":"sentiment","model_id":"e3c001a7…","model_version":2,
///      "request_id":"r1","score":0.952821180953139,"text_sha256":"9f86d081…","time":"2026-01-01T00:00:00Z"}
///
/// (on one line). `text` is present only when the service logs texts (`--log-text`).
public struct PredictionRecord: Sendable, Equatable {
    /// The request's id (the V2 `id`, or one the service made up).
    public var requestID: String
    /// The position of the text in its request (0 for a single text).
    public var index: Int
    /// The served model's name.
    public var modelName: String
    /// The registry version of the model that predicted.
    public var modelVersion: Int
    /// The content hash of the model that predicted.
    public var modelID: String
    /// The predicted label.
    public var label: String
    /// P(positive) − P(negative), in full precision.
    public var score: Double
    /// Lower-case hex SHA-256 of the text's UTF-8 bytes.
    public var textSHA256: String
    /// The text itself, only when texts are logged.
    public var text: String?
    /// When the prediction was made, on the service's clock.
    public var time: Instant

    /// A record with every field given.
    public init(requestID: String, index: Int, modelName: String, modelVersion: Int, modelID: String, label: String,
                score: Double, textSHA256: String, text: String? = nil, time: Instant) {
        self.requestID = requestID
        self.index = index
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.modelID = modelID
        self.label = label
        self.score = score
        self.textSHA256 = textSHA256
        self.text = text
        self.time = time
    }

    /// A record for a prediction of `text`: hashes the text, and keeps it only if `logText`.
    public init(requestID: String, index: Int, modelName: String, modelVersion: Int, modelID: String, label: String,
                score: Double, text: String, logText: Bool, time: Instant) {
        self.init(requestID: requestID, index: index, modelName: modelName, modelVersion: modelVersion, modelID: modelID,
                  label: label, score: score, textSHA256: Self.sha256Hex(text), text: logText ? text : nil, time: time)
    }

    /// Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
    public static func sha256Hex(_ text: String) -> String {
        Hex.string(SHA256.hash(data: Array(text.utf8)))
    }

    /// The message body: canonical JSON, one object, one line.
    public var json: String { String(decoding: jsonBytes, as: UTF8.self) }

    /// The message body as UTF-8 bytes. Written field by field in canonical key order (tested
    /// equal to the canonical writer's output), because the log encodes every prediction.
    var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + (text?.utf8.count ?? 0))
        out.append(contentsOf: "{\"index\":".utf8)
        out.append(contentsOf: String(index).utf8)
        out.append(contentsOf: ",\"label\":".utf8)
        JSONString.appendQuoted(label, to: &out)
        out.append(contentsOf: ",\"model\":".utf8)
        JSONString.appendQuoted(modelName, to: &out)
        out.append(contentsOf: ",\"model_id\":".utf8)
        JSONString.appendQuoted(modelID, to: &out)
        out.append(contentsOf: ",\"model_version\":".utf8)
        out.append(contentsOf: String(modelVersion).utf8)
        out.append(contentsOf: ",\"request_id\":".utf8)
        JSONString.appendQuoted(requestID, to: &out)
        out.append(contentsOf: ",\"score\":".utf8)
        CanonicalNumber.append(score, to: &out)
        if let text {
            out.append(contentsOf: ",\"text\":".utf8)
            JSONString.appendQuoted(text, to: &out)
        }
        out.append(contentsOf: ",\"text_sha256\":".utf8)
        JSONString.appendQuoted(textSHA256, to: &out)
        out.append(contentsOf: ",\"time\":".utf8)
        JSONString.appendQuoted(time.iso8601, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
