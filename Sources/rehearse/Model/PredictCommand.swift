import ArgumentParser
import Foundation
import JSON
import ModelCore

/// `rehearse predict`
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict the sentiment of each line of standard input.",
        discussion: """
            Each input line is a text, or a JSON object with a "text" field and an optional "id" \
            (a string, or a whole number kept as its exact digits), echoed back as a string. \
            JSON lines follow the same rule as the JSON Lines inputs of `rehearse batch`, so a \
            line gets the same id and the same error from both. Each line gets one JSON line on \
            standard output with label, \
            probabilities, score (P(positive) − P(negative)), model_id and the input line number. \
            A JSON line that breaks the rule gets an error line with the reason instead (and its \
            id, when that is fine); empty, very long and \
            invalid-UTF-8 lines are still predicted. Nothing stops the stream, and answers are \
            written as soon as the input pauses, so a client can send a line and wait for its answer.

            Example: echo 'I love this :)' | rehearse predict --model model.rmodel
            """
    )

    /// How input lines are read.
    enum InputFormat: String, ExpressibleByArgument, CaseIterable {
        /// A line that starts as a JSON object (`{"…` or `{}`) is JSON; any other line is text.
        case auto
        /// Every line is text, even one that looks like JSON.
        case text
        /// Every line must be a JSON object with a "text" field.
        case jsonl
    }

    @Option(help: ArgumentHelp("The model artifact.", valueName: "FILE"))
    var model: String

    @Option(help: "auto: a line that starts as a JSON object ({\"…) is JSON, other lines text; text: every line is text; jsonl: every line is JSON.")
    var input: InputFormat = .auto

    func run() throws {
        let trained = try ModelFile.load(model)
        let output = OutputBuffer()
        var reader = LineReader(FileHandle.standardInput, beforeWaiting: output.flush)
        var workspace = PredictionWorkspace()
        var lineNumber = 0
        while var line = reader.next() {
            lineNumber += 1
            // A UTF-8 byte-order mark before the first line is the file's, not the text's.
            if lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
            output.append(response(to: line, lineNumber: lineNumber, model: trained, workspace: &workspace))
        }
        output.flush()
    }

    private func response(to line: ArraySlice<UInt8>, lineNumber: Int, model: TrainedModel, workspace: inout PredictionWorkspace) -> String {
        switch InputLine.parse(line, format: input) {
        case .text(let text, let id):
            var fields = [("line", String(lineNumber))]
            if let id { fields.append(("id", JSONString.quoted(id))) }
            return model.predict(text, workspace: &workspace).jsonObject(adding: fields)
        case .failure(let error):
            let idField = error.id.map { "\"id\":\(JSONString.quoted($0))," } ?? ""
            return "{\"error\":\(JSONString.quoted("line \(lineNumber): \(error)")),\(idField)\"line\":\(lineNumber)}"
        }
    }
}

/// Prediction lines waiting to be written, flushed in chunks or whenever input pauses.
private final class OutputBuffer {
    private var text = ""

    /// Adds one line; writes out once 64 KiB have gathered.
    func append(_ line: String) {
        text += line
        text += "\n"
        if text.utf8.count >= 1 << 16 { flush() }
    }

    /// Writes out everything gathered so far.
    func flush() {
        guard !text.isEmpty else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
        text.removeAll(keepingCapacity: true)
    }
}
