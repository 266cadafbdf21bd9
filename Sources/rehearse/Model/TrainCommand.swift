import ArgumentParser
import Corpus
import Foundation
import ModelCore

/// `rehearse train`
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a sentiment model and write its artifact.",
        discussion: """
            Trains on one side of the corpus's fixed split, evaluates on the other side, and writes \
            a model artifact whose id is the SHA-256 of its content. The same data, flags and seed \
            always give the same artifact, byte for byte.

            Example: rehearse train --algorithm logreg --out model.rmodel
            """
    )

    @Option(help: "The classifier: nb (multinomial naive Bayes) or logreg (softmax logistic regression).")
    var algorithm: Algorithm = .logisticRegression

    @OptionGroup var corpus: CorpusOptions

    @Option(help: "The side of the split to train on; the model is evaluated on the other.")
    var split: CorpusSplit = .train

    @Option(parsing: .unconditional, help: "Seeds the shuffling of examples.")
    var seed: UInt64 = TrainingParameters(algorithm: .logisticRegression).seed

    @Option(parsing: .unconditional, help: "Feature buckets for the hashing trick.")
    var buckets: Int = FeatureHashing().buckets

    @Option(parsing: .unconditional, help: "The longest n-gram of tokens that is a feature (1 to 3).")
    var ngrams: Int = FeatureHashing().maxNGram

    @Option(name: .customLong("char-ngrams"), parsing: .unconditional, help: "The length in bytes of sub-word features (0 for none, else 2 to 7).")
    var charNGrams: Int = FeatureHashing().charNGram

    @Option(parsing: .unconditional, help: "Passes over the data (logreg).")
    var epochs: Int = TrainingParameters(algorithm: .logisticRegression).epochs

    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "AdaGrad's base step size (logreg).")
    var learningRate: Double = TrainingParameters(algorithm: .logisticRegression).learningRate

    @Option(parsing: .unconditional, help: "L2 penalty (logreg).")
    var l2: Double = TrainingParameters(algorithm: .logisticRegression).l2

    @Flag(help: "Tune without touching the test split: train on train-split buckets 0–69 and evaluate on buckets 70–79.")
    var validation = false

    @Option(help: ArgumentHelp("Where to write the artifact.", valueName: "FILE"))
    var out: String

    /// The training parameters the flags describe.
    private var parameters: TrainingParameters {
        var parameters = TrainingParameters(algorithm: algorithm, seed: seed, epochs: epochs, learningRate: learningRate, l2: l2)
        parameters.hashing.buckets = buckets
        parameters.hashing.maxNGram = ngrams
        parameters.hashing.charNGram = charNGrams
        return parameters
    }

    func validate() throws {
        if let problem = parameters.problem {
            // Say which flag to change, not the model core's name for the setting.
            let flag = switch problem.setting {
            case .buckets: "--buckets"
            case .maxNGram: "--ngrams"
            case .charNGram: "--char-ngrams"
            case .epochs: "--epochs"
            case .learningRate: "--learning-rate"
            case .l2: "--l2"
            case .smoothing: "smoothing (not a flag)"
            case .tolerance, .maxIterations: "\(problem.setting.rawValue) (a tabular setting, not a flag)"
            }
            throw ArgumentParser.ValidationError(flag + " " + problem.requirement)
        }
        if validation && split != .train {
            throw ArgumentParser.ValidationError("--validation carves its slices out of the train split; drop --split \(split.rawValue)")
        }
        do {
            try ModelFile.checkWritable(out)
        } catch {
            throw ArgumentParser.ValidationError("--out: \(error)")
        }
    }

    func run() throws {
        let (data, source) = try corpus.load()
        let parameters = parameters
        let (examples, heldOut, trainedOn, heldOutName) = slices(of: data)
        let classifier = try Trainer.train(examples, parameters: parameters)
        // With nothing held out there is nothing to measure: the model stores no metrics (so a
        // service runs it without a quality floor) rather than an accuracy of 0 over 0 rows.
        let metrics = heldOut.isEmpty ? nil : Evaluation.metrics(of: classifier, on: heldOut)
        let model = TrainedModel(
            metadata: ModelMetadata(
                parameters: parameters,
                trainingData: TrainingDataSummary(examples: examples, source: "\(source) \(trainedOn)"),
                metrics: metrics, evaluatedOn: metrics.map { _ in "\(source) \(heldOutName) (\(heldOut.count) rows)" }
            ),
            classifier: classifier
        )
        try ModelFile.save(model, to: out)
        print("model_id \(model.modelID)")
        print("trained \(algorithm.rawValue) on \(examples.count) rows; wrote \(out)")
        if let metrics {
            print(Evaluation.summary(metrics, title: heldOutName))
        } else {
            print("\(heldOutName): 0 rows, so no metrics were measured or stored (a service runs this model without a quality floor)")
        }
    }

    /// The training and held-out examples, and their names.
    private func slices(of data: TweetCorpus) -> (train: [LabeledText], heldOut: [LabeledText], trainName: String, heldOutName: String) {
        if validation {
            let train = data.rows(in: .train)
            return (train.filter { $0.bucket < 70 }.map(\.example), train.filter { $0.bucket >= 70 }.map(\.example),
                    "train split buckets 0-69", "validation buckets 70-79")
        }
        let heldOut: CorpusSplit = split == .train ? .test : .train
        return (data.examples(in: split), data.examples(in: heldOut), "\(split.rawValue) split", "\(heldOut.rawValue) split")
    }
}
