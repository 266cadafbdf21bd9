import Foundation
import JSON
import LocalCloud
import Modes
import Testing
import TestSupport

/// `rehearse predict --input jsonl` and `rehearse batch` read the same JSON line the same way:
/// the same id for a line they accept, and the same reason for a line they refuse.
@Suite struct JSONRecordAgreementTests {
    /// Lines that differ only in how they treat JSON (none breaks a batch-only rule such as the
    /// size limit or a missing id).
    static let lines: [[UInt8]] = [
        Array(#"{"id": 1e400, "text": "good day"}"#.utf8),
        Array(#"{"id": {"a": 1}, "text": "good day"}"#.utf8),
        Array(#"{"id": 9007199254740993, "text": "great stuff"}"#.utf8),
        Array(#"{"id": "a1", "text": "love it", "id": "a2"}"#.utf8),
        Array(#"{"id": 1.5, "text": "bad"}"#.utf8),
        Array(#"{"id": "x"}"#.utf8),
        Array(#"[1, 2]"#.utf8),
        Array(#"{"id": 1e2, "text": "awful monday"}"#.utf8),
        Array(#"{"id": 17, "text": "table report"}"#.utf8),
        Array(#"{"text": 12, "id": "t"}"#.utf8),
        Array(#"{"id": "\u00e9\ud83d\ude00", "text": "caf"#.utf8) + [0xE9] + Array(#""}"#.utf8),
        Array(#"{"id": null, "text": "hate"}"#.utf8),
        Array(#"{"id": "", "text": "hate"}"#.utf8),
        Array(#"{"id": "n", "text": "x", "extra": [1, {"deep": [true]}]}"#.utf8),
        Array(#"{"id": "q", "text": "x"} trailing"#.utf8),
        Array(#"{"id": -0, "text": "\ud800"}"#.utf8),
    ]

    @Test func predictAndBatchGiveTheSameIdAndTheSameError() throws {
        let fixture = try StoreFixture()
        let artifact = fixture.root.path + "-model.rmodel"
        defer { try? FileManager.default.removeItem(atPath: artifact) }
        try Data(try TinyData.model().artifactBytes).write(to: URL(fileURLWithPath: artifact))
        let input: [UInt8] = Self.lines.flatMap { line -> [UInt8] in line + [0x0A] }
        try fixture.store.put(Data(input), bucket: "data", key: "in/lines.jsonl")

        let predicted = try run(["predict", "--model", artifact, "--input", "jsonl"], input: input)
        let batch = try run(["batch", "--root", fixture.root.path, "--bucket", "data", "--input", "in/", "--output", "out/",
                             "--model-file", artifact, "--model", "m@production", "--progress", "never"], input: [])
        #expect(batch.status == 0, "\(batch.error)")
        let answers = try predicted.output.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(answers.count == Self.lines.count)

        let manifest = try BatchManifest(fileData: try fixture.store.get(bucket: "data", key: "out/_MANIFEST.json").data)
        let shardRows = try manifest.shards.flatMap { try fixture.text($0.key).split(separator: "\n").map { try JSONParser.parse(String($0)) } }
        let rejects = try fixture.text(manifest.rejects.key).split(separator: "\n").map { try JSONParser.parse(String($0)) }
        var rowIDs = shardRows.map { $0.field("id") }[...]
        var reasons: [Int: JSONValue] = [:]
        for reject in rejects {
            guard case .number(let line)? = reject.field("line") else { continue }
            reasons[Int(line)] = reject.field("reason")
        }
        for (index, answer) in answers.enumerated() {
            let line = index + 1
            if case .string(let error)? = answer.field("error") {
                #expect(error.hasPrefix("line \(line): "))
                #expect(reasons[line] == .string(String(error.dropFirst("line \(line): ".count))), "line \(line)")
            } else {
                #expect(reasons[line] == nil, "line \(line) was predicted, yet batch refused it")
                #expect(rowIDs.popFirst() == answer.field("id"), "line \(line)")
            }
        }
        #expect(rowIDs.isEmpty)
        // Spot checks of the rule itself.
        #expect(answers[2].field("id") == "9007199254740993")
        #expect(answers[7].field("id") == "100")
        #expect(answers[10].field("id") == "é😀")
        #expect(answers[0].field("error") == "line 1: invalid JSON at column 8: number 1e400 is too large for a 64-bit float")
        #expect(answers[1].field("error") == #"line 2: field "id" must be a string or a whole number, found an object"#)
        #expect(answers[15].field("error")
            == #"line 16: invalid JSON at column 27: lone high surrogate \uD800; expected a following \uDC00-\uDFFF"#)
    }

    private func run(_ arguments: [String], input: [UInt8]) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = try rehearseURL()
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }
}

extension JSONValue {
    fileprivate func field(_ key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }
}
