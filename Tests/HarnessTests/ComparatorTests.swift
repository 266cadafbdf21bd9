import Harness
import Testing

@Suite("Comparing captures with goldens")
struct ComparatorTests {
    let key = try! GoldenKey(scenario: "batch", capture: "predictions", format: .jsonLines)
    let textKey = try! GoldenKey(scenario: "batch", capture: "log", format: .text)

    func compare(_ capture: Capture, golden: String?, _ normalisation: Normalisation = .none) throws -> CaptureComparison {
        try Comparator.compare(capture, golden: golden, key: capture.format == .text ? textKey : key,
                               normalisation: normalisation, goldenLabel: "golden/batch/x")
    }

    @Test("identical records match; a changed value differs with a diff")
    func exact() throws {
        let golden = "{\"id\":1,\"label\":\"positive\"}\n{\"id\":2,\"label\":\"negative\"}\n"
        #expect(try compare(.records([["label": "positive", "id": 1], ["id": 2, "label": "negative"]]), golden: golden).status == .matched)
        let result = try compare(.records([["id": 1, "label": "positive"], ["id": 2, "label": "neutral"]]), golden: golden)
        #expect(result.status == .differs)
        #expect(result.diff.contains("-{\"id\":2,\"label\":\"negative\"}\n+{\"id\":2,\"label\":\"neutral\"}\n"))
        #expect(result.diff.hasPrefix("--- golden/batch/x\n+++ actual batch/predictions.jsonl\n@@ -1,2 +1,2 @@\n"))
    }

    @Test("a missing golden and a golden with merge-conflict markers count as missing")
    func missing() throws {
        let capture = Capture.records([["a": 1]])
        let none = try compare(capture, golden: nil)
        #expect(none.status == .missingGolden)
        #expect(none.actualText == "{\"a\":1}\n")
        let conflicted = try compare(capture, golden: "<<<<<<< HEAD\n{\"a\":1}\n=======\n{\"a\":2}\n>>>>>>> other\n")
        #expect(conflicted.status == .conflictedGolden)
        #expect(conflicted.goldenIsMissing)
    }

    @Test("a malformed golden differs and names its line and column")
    func malformed() throws {
        let result = try compare(.records([["a": 1]]), golden: "{\"a\":1}\n{\"a\" 2}\n")
        guard case .malformedGolden(let reason) = result.status else {
            Issue.record("expected malformedGolden, got \(result.status)")
            return
        }
        #expect(reason.contains("golden/batch/x: line 2, column 6"))
        #expect(!result.diff.isEmpty)
    }

    @Test("within tolerance the golden's numbers are kept; beyond it only the real change shows")
    func tolerances() throws {
        let golden = "{\"p\":0.5,\"q\":10}\n{\"p\":0.25,\"q\":20}\n"
        let rules = Normalisation(tolerances: [try Tolerance("p", absolute: 0.001)])
        let close = try compare(.records([["p": 0.5004, "q": 10], ["p": 0.2498, "q": 20]]), golden: golden, rules)
        #expect(close.status == .matched)
        #expect(close.actualText == golden)
        let far = try compare(.records([["p": 0.5004, "q": 11], ["p": 0.2498, "q": 20]]), golden: golden, rules)
        #expect(far.status == .differs)
        #expect(far.actualText == "{\"p\":0.5,\"q\":11}\n{\"p\":0.25,\"q\":20}\n")
        #expect(try compare(.records([["p": 0.5004, "q": 10]]), golden: "{\"p\":0.5,\"q\":10}\n").status == .differs)
    }

    @Test("tolerances follow nested paths only")
    func nestedTolerance() throws {
        let golden = "{\"scores\":[0.1,0.9],\"total\":1}\n"
        let rules = Normalisation(tolerances: [try Tolerance("scores[*]", relative: 0.01)])
        #expect(try compare(.records([["scores": [0.1001, 0.8999], "total": 1]]), golden: golden, rules).status == .matched)
        #expect(try compare(.records([["scores": [0.1001, 0.8999], "total": 1.0001]]), golden: golden, rules).status == .differs)
    }

    @Test("order-insensitive captures compare as multisets and are written sorted")
    func orderInsensitive() throws {
        let rules = Normalisation(orderInsensitive: true)
        let result = try compare(.records([["n": 2], ["n": 1], ["n": 2]]), golden: nil, rules)
        #expect(result.actualText == "{\"n\":1}\n{\"n\":2}\n{\"n\":2}\n")
        #expect(try compare(.records([["n": 2], ["n": 2], ["n": 1]]), golden: result.actualText, rules).status == .matched)
        #expect(try compare(.records([["n": 2], ["n": 1]]), golden: result.actualText, rules).status == .differs)
        #expect(try compare(.records([["n": 2], ["n": 1], ["n": 2]]), golden: result.actualText).status == .differs)
    }

    @Test("order-insensitive captures with tolerances pair records within tolerance")
    func multisetTolerance() throws {
        let rules = Normalisation(tolerances: [try Tolerance("p", absolute: 0.01)], orderInsensitive: true)
        let golden = "{\"k\":\"a\",\"p\":0.1}\n{\"k\":\"b\",\"p\":0.2}\n"
        let result = try compare(.records([["k": "b", "p": 0.205], ["k": "a", "p": 0.1]]), golden: golden, rules)
        #expect(result.status == .matched)
    }

    @Test("redacted captures match a golden holding placeholders")
    func redacted() throws {
        let rules = Normalisation(redactions: [try Redaction("request_id", as: "id")])
        let first = try compare(.records([["request_id": "r-123", "y": 1], ["request_id": "r-123", "y": 2]]), golden: nil, rules)
        #expect(first.actualText == "{\"request_id\":\"<id:1>\",\"y\":1}\n{\"request_id\":\"<id:1>\",\"y\":2}\n")
        #expect(try compare(.records([["request_id": "r-999", "y": 1], ["request_id": "r-999", "y": 2]]), golden: first.actualText, rules).status == .matched)
        let broken = try compare(.records([["request_id": "r-1", "y": 1], ["request_id": "r-2", "y": 2]]), golden: first.actualText, rules)
        #expect(broken.status == .differs)
        #expect(broken.diff.contains("+{\"request_id\":\"<id:2>\",\"y\":2}"))
    }

    @Test("a hand-formatted golden that means the same matches and is left alone")
    func nonCanonicalGolden() throws {
        #expect(try compare(.records([["b": 1, "a": 2]]), golden: "{ \"b\": 1.0, \"a\": 2 }\n").status == .matched)
    }

    @Test("text captures normalise line endings and the final newline")
    func text() throws {
        #expect(try compare(.text("a\r\nb"), golden: "a\nb\n").status == .matched)
        let result = try compare(.text("a\nc\n"), golden: "a\nb\n")
        #expect(result.status == .differs)
        #expect(result.diff.hasSuffix("@@ -1,2 +1,2 @@\n a\n-b\n+c\n"))
        #expect(throws: HarnessError.normalisationOnText("log")) {
            try compare(.text("x"), golden: nil, Normalisation(orderInsensitive: true))
        }
    }
}
