import ArgumentParser
import Corpus
import Foundation
import ModelCore

/// `rehearse evaluate`
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model on one side of the corpus split.",
        discussion: "Prints accuracy, macro-F1, per-label precision/recall/F1 and the confusion matrix; --json prints them as one JSON object."
    )

    @Option(help: ArgumentHelp("The model artifact.", valueName: "FILE"))
    var model: String

    @OptionGroup var corpus: CorpusOptions

    @Option(help: "The side of the split to evaluate on.")
    var split: CorpusSplit = .test

    @Flag(help: "Print one JSON object with accuracy, macro_f1, per_class, confusion, labels, count and model_id.")
    var json = false

    func run() throws {
        let trained = try ModelFile.load(model)
        let (data, _) = try corpus.load()
        let examples = data.examples(in: split)
        guard !examples.isEmpty else {
            throw CommandFailure("no rows on the \(split.rawValue) side of the split to evaluate on")
        }
        let metrics = Evaluation.metrics(of: trained.classifier, on: examples)
        if json {
            print(try MetricsJSON.line(metrics, modelID: trained.modelID))
        } else {
            print("model_id \(trained.modelID)")
            print(Evaluation.summary(metrics, title: "\(split.rawValue) split"))
        }
    }
}
