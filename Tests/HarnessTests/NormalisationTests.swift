import Harness
import JSON
import Testing

@Suite("Field paths, redactions and tolerances")
struct NormalisationTests {
    @Test("field paths parse keys, wildcards and indices")
    func parsePaths() throws {
        #expect(try FieldPath("manifest.outputs[*].checksum").segments == [.key("manifest"), .key("outputs"), .anyIndex, .key("checksum")])
        #expect(try FieldPath("[*].id").segments == [.anyIndex, .key("id")])
        #expect(try FieldPath("metrics.*.value").segments == [.key("metrics"), .anyKey, .key("value")])
        #expect(try FieldPath("grid[0][2]").segments == [.key("grid"), .index(0), .index(2)])
    }

    @Test(
        "malformed field paths name the column",
        arguments: [("", 1), ("a.", 3), ("a..b", 3), ("a[x]", 4), ("a[1", 4), ("a]b", 2), ("a.b[*]c", 7)])
    func badPaths(text: String, column: Int) {
        do {
            _ = try FieldPath(text)
            Issue.record("expected an error for \(text)")
        } catch {
            guard case .invalidFieldPath(let path, let reported, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(path == text)
            #expect(reported == column)
        }
    }

    @Test("redactions number values by first appearance; equal values share a placeholder")
    func numbering() throws {
        let records: [JSONValue] = [
            ["id": "a9", "parent": nil, "model_id": "m-77"],
            ["id": "b3", "parent": "a9", "model_id": "m-77"],
            ["id": "c1", "parent": "b3", "model_id": "m-78"],
        ]
        let redacted = Redactor.apply(
            [try Redaction("id"), try Redaction("parent", as: "id"), try Redaction("model_id", as: "model")],
            to: records, orderInsensitive: false)
        #expect(redacted == [
            ["id": "<id:1>", "parent": "<id:2>", "model_id": "<model:1>"],
            ["id": "<id:3>", "parent": "<id:1>", "model_id": "<model:1>"],
            ["id": "<id:4>", "parent": "<id:3>", "model_id": "<model:2>"],
        ])
    }

    @Test("order-insensitive numbering does not depend on emission order, even when masked records tie")
    func orderInsensitiveTies() throws {
        let a: JSONValue = ["id": "x", "v": 1]
        let b: JSONValue = ["id": "y", "v": 1]  // masked, a and b are the same text
        let c: JSONValue = ["id": "z", "parent": "x"]
        let redactions = [try Redaction("id"), try Redaction("parent", as: "id")]
        let first = Redactor.apply(redactions, to: [a, b, c], orderInsensitive: true)
        #expect(Redactor.apply(redactions, to: [b, a, c], orderInsensitive: true) == first)
        #expect(Redactor.apply(redactions, to: [c, b, a], orderInsensitive: true) == first)
    }

    @Test("redactions reach into arrays and nested objects")
    func nested() throws {
        let record: JSONValue = ["manifest": ["outputs": [["checksum": "x1", "n": 1], ["checksum": "x2", "n": 2], ["checksum": "x1", "n": 3]]]]
        let redacted = Redactor.apply([try Redaction("manifest.outputs[*].checksum")], to: [record], orderInsensitive: false)
        #expect(redacted == [["manifest": ["outputs": [["checksum": "<checksum:1>", "n": 1], ["checksum": "<checksum:2>", "n": 2], ["checksum": "<checksum:1>", "n": 3]]]]])
    }

    @Test("order-insensitive numbering does not depend on emission order")
    func orderInsensitiveNumbering() throws {
        let a: JSONValue = ["id": "zz", "text": "alpha"]
        let b: JSONValue = ["id": "aa", "text": "beta"]
        let rules = [try Redaction("id")]
        let first = Redactor.apply(rules, to: [a, b], orderInsensitive: true)
        let second = Redactor.apply(rules, to: [b, a], orderInsensitive: true)
        #expect(first == second)
        #expect(first == [["id": "<id:1>", "text": "alpha"], ["id": "<id:2>", "text": "beta"]])
    }

    @Test("tolerances: absolute or relative, whichever is larger")
    func tolerance() throws {
        let absolute = try Tolerance("p", absolute: 0.01)
        #expect(absolute.accepts(golden: 0.5, actual: 0.509))
        #expect(!absolute.accepts(golden: 0.5, actual: 0.52))
        let relative = try Tolerance("p", relative: 0.001)
        #expect(relative.accepts(golden: 1000, actual: 1000.9))
        #expect(!relative.accepts(golden: 1000, actual: 1002))
        #expect(!relative.accepts(golden: 0, actual: 1e-300))
        #expect(throws: HarnessError.self) { try Tolerance("p", absolute: -1) }
        #expect(throws: HarnessError.self) { try Tolerance("p", relative: .nan) }
    }
}
