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
            invalid-UTF-8 lines are still predicted. Nothing stops the stream.

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
        var reader = LineReader(FileHandle.standardInput)
        var workspace = PredictionWorkspace()
        var output = ""
        var lineNumber = 0
        while let line = reader.next() {
            lineNumber += 1
            output += response(to: line, lineNumber: lineNumber, model: trained, workspace: &workspace)
            output += "\n"
            if output.utf8.count >= 1 << 16 { flush(&output) }
        }
        flush(&output)
    }

    private func response(to line: ArraySlice<UInt8>, lineNumber: Int, model: TrainedModel, workspace: inout PredictionWorkspace) -> String {
        switch InputLine.parse(line, format: input) {
        case .text(let text, let id):
            var fields = [("line", String(lineNumber))]
            if let id { fields.append(("id", id)) }
            return model.predict(text, workspace: &workspace).jsonObject(adding: fields)
        case .failure(let reason):
            return "{\"error\":\(JSONText.string("line \(lineNumber): \(reason)")),\"line\":\(lineNumber)}"
        }
    }

    private func flush(_ output: inout String) {
        FileHandle.standardOutput.write(Data(output.utf8))
        output.removeAll(keepingCapacity: true)
    }
}
