import Foundation
import Testing
import TestSupport

/// The model commands, run as child processes on a small corpus written by the test.
@Suite("rehearse train / evaluate / predict")
struct ModelCommandTests {
    let folder: URL
    let corpus: URL
    let model: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("rehearse-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        corpus = folder.appendingPathComponent("tweets.csv")
        model = folder.appendingPathComponent("model.rmodel")
        var csv = "sentiment,confidence,text\n"
        let words = [("positive", "love great awesome happy"), ("negative", "hate awful terrible sad"), ("neutral", "meeting today schedule report")]
        for index in 0..<300 {
            let (label, vocabulary) = words[index % 3]
            let chosen = vocabulary.split(separator: " ")
            csv += "\(label),1,\"tweet \(index) \(chosen[index % 4]) \(chosen[(index / 3) % 4])\"\n"
        }
        try Data(csv.utf8).write(to: corpus)
    }

    func train(_ extra: [String] = []) throws -> RehearseProcess.Result {
        try RehearseProcess.run(["train", "--data", corpus.path, "--buckets", "4096", "--out", model.path] + extra)
    }

    @Test("training twice writes the same artifact; evaluate --json reports it")
    func trainAndEvaluate() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try train()
        #expect(first.status == 0, "\(first.standardError)")
        let firstBytes = try Data(contentsOf: model)
        #expect(try train().status == 0)
        #expect(try Data(contentsOf: model) == firstBytes)
        let modelID = try #require(first.outputLines.first?.replacingOccurrences(of: "model_id ", with: ""))
        #expect(modelID.count == 64)

        let evaluation = try RehearseProcess.run(["evaluate", "--model", model.path, "--data", corpus.path, "--json"])
        #expect(evaluation.status == 0, "\(evaluation.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(evaluation.standardOutput.utf8)) as? [String: Any]
        #expect(object?["model_id"] as? String == modelID)
        for key in ["accuracy", "macro_f1", "per_class", "confusion"] { #expect(object?[key] != nil, "missing \(key)") }
    }

    @Test("with nothing held out, train stores no metrics rather than an accuracy of 0 over 0 rows")
    func trainWithNothingHeldOut() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // These three texts all fall in the train split (the split is fixed by a hash of the text).
        try Data("sentiment,confidence,text\npositive,0.9,good day\nnegative,0.9,bad day\nneutral,0.5,a day\n".utf8).write(to: corpus)
        let result = try train()
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("test split: 0 rows, so no metrics were measured or stored"), "\(result.standardOutput)")
        let artifact = String(decoding: try Data(contentsOf: model), as: UTF8.self)
        #expect(!artifact.contains("\"metrics\"") && !artifact.contains("\"evaluated_on\""))
    }

    @Test("predict answers every line, even odd ones, and never stops the stream")
    func predictStream() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try train().status == 0)
        var input: [UInt8] = []
        input += Array("I love this, great!\n".utf8)  // 1: text
        input += Array("\n".utf8)  // 2: empty
        input += Array("   \t  \n".utf8)  // 3: blank
        input += Array("{\"id\": \"a1\", \"text\": \"awful and sad\"}\n".utf8)  // 4: JSON
        input += Array("{\"id\": 7}\n".utf8)  // 5: JSON without text
        input += [0xFF, 0xFE, 0x61, 0x0A]  // 6: invalid UTF-8
        input += Array(String(repeating: "x", count: 1 << 20).utf8) + [0x0A]  // 7: 1 MB line
        input += Array("{\"text\": 12}\r\n".utf8)  // 8: text of the wrong type, CRLF
        input += Array("{grin} hi\n".utf8)  // 9: text that starts with a brace
        input += Array("{\"id\": 3, \"text\": \"a\", \"text\": \"b\"}\n".utf8)  // 10: JSON that breaks the rule
        input += Array(" { \"text\": \"a\"\n".utf8)  // 11: JSON cut short
        input += Array("no final newline".utf8)  // 12
        let result = try RehearseProcess.run(["predict", "--model", model.path], input: input)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.outputLines
        #expect(lines.count == 12)
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        for (index, object) in objects.enumerated() {
            #expect(object["line"] as? Int == index + 1)
        }
        for index in [0, 1, 2, 3, 5, 6, 8, 11] {
            #expect(["positive", "negative", "neutral"].contains(objects[index]["label"] as? String), "line \(index + 1)")
            #expect((objects[index]["model_id"] as? String)?.count == 64)
            let probabilities = objects[index]["probabilities"] as? [String: Double] ?? [:]
            #expect(abs(probabilities.values.reduce(0, +) - 1) < 1e-9)
        }
        #expect(objects[0]["label"] as? String == "positive")
        #expect(objects[3]["id"] as? String == "a1")
        #expect(objects[3]["label"] as? String == "negative")
        #expect(objects[4]["error"] as? String == "line 5: missing text: the record has no field \"text\"")
        #expect(objects[4]["id"] as? String == "7", "the id of a refused line is still echoed, as a string")
        #expect(objects[7]["error"] as? String == "line 8: field \"text\" must be a string, found the number 12")
        #expect(objects[9]["error"] as? String == "line 10: invalid JSON at column 24: duplicate object key \"text\"", "\(lines[9])")
        #expect((objects[10]["error"] as? String)?.hasPrefix("line 11: invalid JSON") == true, "\(lines[10])")
        #expect(lines[0].hasPrefix("{\"label\":"), "keys are sorted")
    }

    @Test("a corrupt model file is refused with its path and the reason")
    func corruptModel() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try train().status == 0)
        let bytes = try Data(contentsOf: model)
        try bytes.prefix(bytes.count / 2).write(to: model)
        let result = try RehearseProcess.run(["predict", "--model", model.path], input: Array("hi\n".utf8))
        #expect(result.status != 0)
        #expect(result.standardError.contains(model.path))
        #expect(result.standardError.contains("truncated"))
    }

    @Test("a model or data path that is a folder, a device, missing or empty gets a plain message naming it")
    func unreadableFiles() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let empty = folder.appendingPathComponent("empty.rmodel").path
        try Data().write(to: URL(fileURLWithPath: empty))
        let missing = folder.appendingPathComponent("missing.rmodel").path
        let cases: [(arguments: [String], path: String, words: String)] = [
            (["predict", "--model", folder.path], folder.path, "it is a folder, not a file"),
            (["predict", "--model", "/dev/null"], "/dev/null", "it is not a regular file"),
            (["predict", "--model", missing], missing, "no such file"),
            (["predict", "--model", empty], empty, "is empty; expected a model artifact"),
            (["evaluate", "--model", folder.path, "--data", corpus.path], folder.path, "it is a folder, not a file"),
            (["evaluate", "--model", "/dev/null", "--data", corpus.path], "/dev/null", "it is not a regular file"),
        ]
        for (arguments, path, words) in cases {
            let result = try RehearseProcess.run(arguments, input: Array("hi\n".utf8))
            #expect(result.status == 1, "\(arguments)")
            #expect(result.standardError.contains(path) && result.standardError.contains(words), "\(arguments): \(result.standardError)")
            #expect(!result.standardError.contains("Domain") && !result.standardError.contains("permission"), "\(result.standardError)")
        }
        #expect(try train().status == 0)
        let data = try RehearseProcess.run(["evaluate", "--model", model.path, "--data", folder.path])
        #expect(data.status == 1)
        #expect(data.standardError.contains("cannot read data file \(folder.path): it is a folder, not a file"), "\(data.standardError)")
        // Never /dev/null here: a regression would rename a file over it for the whole machine.
        let fifo = folder.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let device = try RehearseProcess.run(["train", "--data", corpus.path, "--out", fifo])
        #expect(device.status == 2)
        #expect(device.standardError.contains("cannot write model file \(fifo): it is not a regular file"), "\(device.standardError)")
        let intoFolder = try RehearseProcess.run(["train", "--data", corpus.path, "--out", folder.path])
        #expect(intoFolder.status == 2)
        #expect(intoFolder.standardError.contains("it is a folder, not a file"), "\(intoFolder.standardError)")
    }

    @Test("bad flags are usage errors")
    func badFlags() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try RehearseProcess.run(["train", "--data", corpus.path, "--ngrams", "5", "--out", model.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--ngrams must be 1, 2 or 3, got 5"))
        let infinite = try RehearseProcess.run(["train", "--data", corpus.path, "--learning-rate", "inf", "--out", model.path])
        #expect(infinite.status == 2)
        #expect(infinite.standardError.contains("--learning-rate must be in (0, 100], got inf"))
        let nowhere = try RehearseProcess.run(["train", "--data", corpus.path, "--out", "/nonexistent/folder/m.rmodel"])
        #expect(nowhere.status == 2)
        #expect(nowhere.standardError.contains("the folder /nonexistent/folder does not exist"))
    }

    @Test("predict answers a line as soon as the input pauses, before the input ends")
    func answersWhileInputIsOpen() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try train().status == 0)
        let process = Process()
        process.executableURL = try rehearseURL()
        process.arguments = ["predict", "--model", model.path]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }
        try stdin.fileHandleForWriting.write(contentsOf: Data("I love it\n".utf8))
        let answered = DispatchSemaphore(value: 0)
        let box = AnswerBox()
        DispatchQueue.global().async {
            box.data = stdout.fileHandleForReading.availableData
            answered.signal()
        }
        // Bounded: a predict that holds its answers until end of input never answers here.
        #expect(answered.wait(timeout: .now() + 60) == .success)
        #expect(String(decoding: box.data, as: UTF8.self).hasPrefix("{\"label\":"))
        try stdin.fileHandleForWriting.close()
    }

    @Test("--input text reads JSON-looking lines as text; --input jsonl refuses plain text; bad UTF-8 inside JSON is repaired")
    func inputFormats() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try train().status == 0)
        let asText = try RehearseProcess.run(["predict", "--model", model.path, "--input", "text"], input: Array("{\"id\": 3}\n".utf8))
        #expect(asText.outputLines.count == 1 && asText.outputLines[0].contains("\"label\""))
        let asJSON = try RehearseProcess.run(["predict", "--model", model.path, "--input", "jsonl"],
                                             input: Array("plain words\n".utf8) + Array("{\"id\": 9, \"text\": \"caf".utf8) + [0xE9] + Array("\"}\n{\"id\": \"x\"}\n".utf8))
        #expect(asJSON.outputLines.count == 3)
        #expect(asJSON.outputLines[0]
            == #"{"error":"line 1: invalid JSON at column 1: unexpected character 'p'; expected a JSON value","line":1}"#)
        #expect(asJSON.outputLines[1].hasPrefix(#"{"id":"9","label":"#))
        #expect(asJSON.outputLines[2] == #"{"error":"line 3: missing text: the record has no field \"text\"","id":"x","line":3}"#)
        // A byte-order mark before the first line is the file's: the line is read without it.
        let marked = try RehearseProcess.run(["predict", "--model", model.path, "--input", "jsonl"],
                                             input: [0xEF, 0xBB, 0xBF] + Array("{\"id\": \"b\", \"text\": \"bom\"}\r\n".utf8))
        #expect(marked.outputLines.count == 1 && marked.outputLines[0].hasPrefix(#"{"id":"b","label":"#), "\(marked.outputLines)")
    }
}

/// Bytes handed from a reading queue to the test; the semaphore orders the access.
private final class AnswerBox: @unchecked Sendable {
    var data = Data()
}
