import JSON
import ModelCore
import Testing

@Suite("Predictions as JSON")
struct PredictionJSONTests {
    let prediction = Prediction(label: "neutral", labels: ["negative", "neutral", "positive"], probabilities: [0.25, 0.5, 0.25], score: 0, modelID: "abc")

    @Test("keys are sorted, extra fields included, numbers in the canonical form")
    func sortedKeys() throws {
        let text = prediction.jsonObject(adding: [("row", "7"), ("id", JSONString.quoted("q\"1\n"))])
        #expect(text == #"{"id":"q\"1\n","label":"neutral","model_id":"abc","probabilities":{"negative":0.25,"neutral":0.5,"positive":0.25},"row":7,"score":0}"#)
        #expect(try JSONParser.parse(text).canonicalText == text, "the text is already canonical")
    }

    @Test("every prediction line is exactly what the canonical writer writes")
    func canonical() throws {
        var state: UInt64 = 7
        for _ in 0..<1_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let a = Double(state >> 11) / Double(1 << 53)
            let prediction = Prediction(label: "é", labels: ["é", "a\"b", "z"], probabilities: [a, (1 - a) / 3, (1 - a) * 2 / 3],
                                        score: a - (1 - a) / 3, modelID: "m")
            let text = prediction.jsonObject(adding: [("line", "12")])
            #expect(try JSONParser.parse(text).canonicalText == text)
        }
    }
}
