import Foundation
import ModelCore
import Testing

@Suite("Predictions as JSON")
struct PredictionJSONTests {
    let prediction = Prediction(label: "neutral", labels: ["negative", "neutral", "positive"], probabilities: [0.25, 0.5, 0.25], score: 0, modelID: "abc")

    @Test("keys are sorted, extra fields included, numbers round-trip")
    func sortedKeys() throws {
        let text = prediction.jsonObject(adding: [("row", "7"), ("id", JSONText.string("q\"1\n"))])
        #expect(text == #"{"id":"q\"1\n","label":"neutral","model_id":"abc","probabilities":{"negative":0.25,"neutral":0.5,"positive":0.25},"row":7,"score":0.0}"#)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(object?["id"] as? String == "q\"1\n")
    }

    @Test("control characters are escaped; non-finite numbers become null")
    func escaping() {
        #expect(JSONText.string("a\u{1}b\tc") == #""a\u0001b\tc""#)
        #expect(JSONText.string("\u{8}\u{C}\u{1F}\\é") == #""\b\f\u001f\\é""#)
        #expect(JSONText.number(.nan) == "null")
        #expect(JSONText.number(0.1) == "0.1")
    }
}
