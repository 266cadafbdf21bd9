import Determinism
import Foundation
import LocalCloud
import ModelCore
import TestSupport

/// A fresh object store in a temporary folder, removed when the value goes away.
final class StoreFixture {
    let root: URL
    let clock = VirtualClock()
    let faults: FaultPlan
    let store: DirectoryObjectStore
    /// Keeps the fixture whose folder this one shares alive (it removes the folder).
    private let owner: StoreFixture?

    init(faults: FaultPlan = .none) throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory() + "modes-tests-" + UUID().uuidString)
        self.faults = faults
        owner = nil
        store = try DirectoryObjectStore(root: root, clock: clock, options: .init(faults: faults))
        try store.createBucket("data")
    }

    /// A second store over `other`'s folder, with its own fault plan.
    init(sharing other: StoreFixture, faults: FaultPlan) throws {
        root = other.root
        self.faults = faults
        owner = other
        store = try DirectoryObjectStore(root: root, clock: clock, options: .init(faults: faults))
    }

    deinit { if owner == nil { try? FileManager.default.removeItem(at: root) } }

    func put(_ text: String, _ key: String) throws {
        try store.put(Data(text.utf8), bucket: "data", key: key)
    }

    func text(_ key: String) throws -> String {
        String(decoding: try store.get(bucket: "data", key: key).data, as: UTF8.self)
    }

    func keys(under prefix: String) throws -> [String] {
        try store.list(bucket: "data", options: ListOptions(prefix: prefix)).objects.map(\.key)
    }
}

/// Made-up labelled texts, enough to train a small model without the corpus.
enum TinyData {
    static let words = ["good": "positive", "great": "positive", "love": "positive",
                        "bad": "negative", "awful": "negative", "hate": "negative",
                        "table": "neutral", "monday": "neutral", "report": "neutral"]

    static func examples(count: Int, seed: UInt64) -> [LabeledText] {
        var random = SplitMix64(seed: seed)
        let keys = words.keys.sorted()
        return (0..<count).map { _ in
            let first = keys[random.nextIndex(below: keys.count)]
            let second = keys[random.nextIndex(below: keys.count)]
            return LabeledText(text: "the \(first) day and \(second)", label: words[first]!)
        }
    }

    static func model(seed: UInt64 = 1, algorithm: Algorithm = .naiveBayes) throws -> TrainedModel {
        let examples = examples(count: 300, seed: seed)
        let parameters = TrainingParameters(algorithm: algorithm, seed: seed)
        return TrainedModel(
            metadata: ModelMetadata(parameters: parameters, trainingData: TrainingDataSummary(examples: examples, source: "tiny")),
            classifier: try Trainer.train(examples, parameters: parameters))
    }

    /// A CSV input of `rows` rows with ids starting at `firstID`.
    static func csv(rows: Int, firstID: Int = 1, seed: UInt64 = 7) -> String {
        "id,text\n" + examples(count: rows, seed: seed).enumerated()
            .map { "\(firstID + $0.offset),\"\($0.element.text)\"\n" }.joined()
    }
}

/// Runs `rehearse arguments…` to its end; its exit status, standard error and standard output
/// (written to a file meanwhile, so neither pipe can fill up while the other is read).
func runRehearse(_ arguments: [String]) throws -> (status: Int32, standardError: String, standardOutput: String) {
    let process = Process()
    process.executableURL = try rehearseURL()
    process.arguments = arguments
    let outputPath = NSTemporaryDirectory() + "rehearse-output-" + UUID().uuidString
    FileManager.default.createFile(atPath: outputPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    process.standardOutput = output
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try output.close()
    return (process.terminationStatus, text, String(decoding: try Data(contentsOf: URL(fileURLWithPath: outputPath)), as: UTF8.self))
}
