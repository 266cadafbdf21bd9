import Determinism
import Foundation
import JSON
import LocalCloud
import Logging
import ModelCore
import Modes
import Online
import Synchronization

/// Small models trained on made-up texts in milliseconds, without the corpus.
enum TestModels {
    static let words = ["good": "positive", "great": "positive", "love": "positive",
                        "bad": "negative", "awful": "negative", "hate": "negative",
                        "table": "neutral", "monday": "neutral", "report": "neutral"]

    /// A naive Bayes model over 4,096 buckets; another seed gives another model (another id).
    static func model(seed: UInt64) throws -> TrainedModel {
        var random = SplitMix64(seed: seed)
        let keys = words.keys.sorted()
        let examples = (0..<300).map { _ in
            let first = keys[random.nextIndex(below: keys.count)]
            let second = keys[random.nextIndex(below: keys.count)]
            return LabeledText(text: "the \(first) day and \(second)", label: words[first]!)
        }
        let parameters = TrainingParameters(algorithm: .naiveBayes, hashing: FeatureHashing(buckets: 1 << 12), seed: seed)
        return TrainedModel(
            metadata: ModelMetadata(parameters: parameters, trainingData: TrainingDataSummary(examples: examples, source: "tiny")),
            classifier: try Trainer.train(examples, parameters: parameters))
    }
}

/// A local cloud in a temporary folder with a model registry in bucket `models`, removed when
/// the value goes away.
final class RegistryFixture: @unchecked Sendable {
    let root: URL
    let clock = VirtualClock()
    let store: DirectoryObjectStore
    let registry: ModelRegistry
    static let bucket = "models"

    init() throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory() + "online-tests-" + UUID().uuidString)
        store = try DirectoryObjectStore(root: root, clock: clock)
        try store.createBucket(Self.bucket)
        registry = ModelRegistry(store: store, bucket: Self.bucket)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Registers `model` as the next version of `sentiment` and points `production` at it.
    @discardableResult
    func publish(_ model: TrainedModel, alias: String = "production") throws -> Int {
        let version = try registry.register(model, name: "sentiment")
        try registry.setAlias(alias, name: "sentiment", version: version)
        return version
    }

    /// Stores bytes that are not a model as the next version and points `production` at it.
    @discardableResult
    func publishCorrupt() throws -> Int {
        let version = (try registry.versions(name: "sentiment").last ?? 0) + 1
        try store.put(Data("rehearsal-model/1 not a model\n".utf8), bucket: Self.bucket, key: ModelRegistry.artifactKey("sentiment", version))
        try store.put(Data(String(version).utf8), bucket: Self.bucket, key: ModelRegistry.aliasKey("sentiment", "production"))
        return version
    }

    /// A service configuration serving `sentiment@production` from this registry.
    func configuration(limits: ServiceLimits = ServiceLimits(), port: Int = 0) -> OnlineServiceConfiguration {
        OnlineServiceConfiguration(source: .registry(bucket: Self.bucket, model: ModelReference(name: "sentiment", aliasOrVersion: "production")),
                                   port: port, limits: limits, reloadInterval: .seconds(1), serverVersion: "test")
    }
}

/// A logger that drops everything (the tests check behaviour, not log lines).
let quietLogger = Logger(label: "online-tests") { _ in SwiftLogNoOpLogHandler() }

/// A service serving `model` as an artifact (version 1 of `sentiment`).
func artifactService(_ model: TrainedModel, limits: ServiceLimits = ServiceLimits()) -> OnlineService {
    OnlineService(configuration: OnlineServiceConfiguration(source: .artifact(model, name: "sentiment"), port: 0, limits: limits, serverVersion: "test"),
                  store: nil, clock: VirtualClock(), logger: quietLogger)
}

/// A V2 inference body for `texts`.
func inferBody(_ texts: [String], id: String? = nil) -> String {
    let data = texts.map { JSONValue.string($0) }
    var request: [String: JSONValue] = [
        "inputs": [["name": "text", "datatype": "BYTES", "shape": [.integer(texts.count)], "parameters": ["content_type": "str"], "data": .array(data)]],
    ]
    if let id { request["id"] = .string(id) }
    return JSONValue.object(request).canonicalText
}

/// The parsed JSON of a response body.
func json(_ bytes: some Sequence<UInt8>) throws -> JSONValue {
    try JSONParser.parse(String(decoding: Array(bytes), as: UTF8.self))
}

extension JSONValue {
    /// The member `key` of an object (nil for anything else).
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The element `index` of an array (nil for anything else).
    subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    var string: String? { if case .string(let text) = self { text } else { nil } }
    var number: Double? { if case .number(let value) = self { value } else { nil } }
    var array: [JSONValue]? { if case .array(let elements) = self { elements } else { nil } }
}

/// Waits until `condition` holds, checking it every 10 ms at most `tries` times; whether it did.
func waitUntil(tries: Int = 1000, _ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<tries {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return false
}

/// Waits on this thread until `condition` holds, checking it every 10 ms at most `tries` times;
/// whether it did. For steps that must not wait for Swift's pool in between.
func pollUntil(tries: Int = 1000, _ condition: () throws -> Bool) throws -> Bool {
    for _ in 0..<tries {
        if try condition() { return true }
        usleep(10_000)
    }
    return false
}

/// A count shared between threads.
final class SharedCount: Sendable {
    private let value = Atomic<Int>(0)
    func add(_ amount: Int = 1) { value.add(amount, ordering: .relaxed) }
    var current: Int { value.load(ordering: .relaxed) }
}
