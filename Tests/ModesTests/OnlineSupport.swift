import Foundation
import LocalCloud
import Modes

/// A fresh SQLite queue in a temporary folder, removed when the value goes away, with `topic`
/// and a subscription `reader` on it (unless `createTopic` is false).
final class QueueFixture {
    let folder: URL
    let clock = VirtualClock()
    let faults: FaultPlan
    let queue: SQLiteMessageQueue
    let topic: String

    init(topic: String = "predictions", createTopic: Bool = true, faults: FaultPlan = .none) throws {
        folder = URL(fileURLWithPath: NSTemporaryDirectory() + "modes-online-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        self.faults = faults
        self.topic = topic
        queue = try SQLiteMessageQueue(path: folder.path + "/queue.sqlite", clock: clock, faults: faults)
        if createTopic { try self.createTopic() }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    var path: String { queue.path }

    func createTopic() throws {
        try queue.createTopic(topic)
        try queue.createSubscription("reader", topic: topic)
    }

    /// Every message waiting on `reader`, in publish order, as text (pulled and acked).
    func drain() throws -> [String] {
        var bodies: [String] = []
        while true {
            let batch = try queue.pull("reader", maxMessages: 1000)
            if batch.isEmpty { return bodies }
            bodies += batch.map { String(decoding: $0.data, as: UTF8.self) }
            try queue.ack("reader", ackIDs: batch.map(\.ackID))
        }
    }
}

/// The time of sample records unless a test gives one.
let sampleTime = Instant(iso8601: "2026-01-01T00:00:00Z")!

/// A prediction record with made-up but distinct fields.
func sampleRecord(_ number: Int, request: String? = nil, index: Int = 0, version: Int = 1, label: String = "positive",
                  time: Instant = sampleTime) -> PredictionRecord {
    PredictionRecord(requestID: request ?? "r\(number)", index: index, modelName: "sentiment", modelVersion: version,
                     modelID: "model-v\(version)", label: label, score: Double(number) / 1000,
                     text: "tweet number \(number)", logText: number % 2 == 0, time: time)
}

/// Waits until `condition` holds, yielding between tries; false if it still does not after
/// `tries` of them. For progress made by another task that has no readiness signal of its own.
func eventually(tries: Int = 2_000_000, _ condition: () -> Bool) async -> Bool {
    for _ in 0..<tries {
        if condition() { return true }
        await Task.yield()
    }
    return condition()
}
