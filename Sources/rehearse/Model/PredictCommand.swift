import ArgumentParser
import Foundation
import ModelCore

/// `rehearse predict`
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict the sentiment of each line of standard input.",
        discussion: """
            Each input line is a text, or a JSON object with a "text" field (and an optional "id", \
            echoed back). Each line gets one JSON line on standard output with label, \
            probabilities, score (P(positive) − P(negative)), model_id and the input line number. \
            A JSON object without a "text" string gets an error line instead; empty, very long and \
            invalid-UTF-8 lines are still predicted. Nothing stops the stream, and answers are \
            written as soon as the input pauses, so a client can send a line and wait for its answer.

            Example: echo 'I love this :)' | rehearse predict --model model.rmodel
            """
    )

    /// How input lines are read.
    enum InputFormat: String, ExpressibleByArgument, CaseIterable {
        /// A line that parses as a JSON object is JSON; any other line is text.
        case auto
        /// Every line is text, even one that looks like JSON.
        case text
        /// Every line must be a JSON object with a "text" field.
        case jsonl
    }

    @Option(help: ArgumentHelp("The model artifact.", valueName: "FILE"))
    var model: String

    @Option(help: "auto: JSON objects are JSON, other lines text; text: every line is text; jsonl: every line is JSON.")
    var input: InputFormat = .auto

    func run() throws {
        let trained = try ModelFile.load(model)
        let output = OutputBuffer()
        var reader = LineReader(FileHandle.standardInput, beforeWaiting: output.flush)
        var workspace = PredictionWorkspace()
        var lineNumber = 0
        while let line = reader.next() {
            lineNumber += 1
            output.append(response(to: line, lineNumber: lineNumber, model: trained, workspace: &workspace))
        }
        output.flush()
    }

    private func response(to line: ArraySlice<UInt8>, lineNumber: Int, model: TrainedModel, workspace: inout PredictionWorkspace) -> String {
        switch InputLine.parse(line, format: input) {
        case .text(let text, let id):
            var fields = [("line", String(lineNumber))]
            if let id { fields.append(("id", id)) }
            return model.predict(text, workspace: &workspace).jsonObject(adding: fields)
        case .failure(let reason, let id):
            let idField = id.map { "\"id\":\($0)," } ?? ""
            return "{\"error\":\(JSONText.string("line \(lineNumber): \(reason)")),\(idField)\"line\":\(lineNumber)}"
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
