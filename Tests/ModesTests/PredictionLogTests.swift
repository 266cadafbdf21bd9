import Foundation
import JSON
import LocalCloud
import Modes
import Synchronization
import Testing

@Suite struct PredictionLogTests {
    @Test func recordBodyIsCanonicalJSONWithEveryField() throws {
        let time = Instant(iso8601: "2026-03-01T12:30:00.25Z")!
        let record = PredictionRecord(requestID: "req-1", index: 3, modelName: "sentiment", modelVersion: 2, modelID: "c0ffee",
                                      label: "neutral", score: -0.125, text: "abc", logText: false, time: time)
        #expect(record.textSHA256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")  // FIPS 180-2 "abc"
        #expect(record.text == nil)
        #expect(record.json == #"{"index":3,"label":"neutral","model":"sentiment","model_id":"c0ffee","model_version":2,"#
            + #""request_id":"req-1","score":-0.125,"text_sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad","#
            + #""time":"2026-03-01T12:30:00.25Z"}"#)
        var logged = record
        logged.text = "abc"
        #expect(logged.json.contains(#""score":-0.125,"text":"abc","text_sha256":"#))
    }

    @Test(arguments: [
        ("quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7}", 0.1 + 0.2),
        ("é 😀 ünïcödé", 1e-7),
        ("", -0.0),
        ("{\"json\": [1, 2]}", 123_456_789.125),
    ])
    func recordBodyMatchesTheCanonicalWriter(text: String, score: Double) throws {
        let record = PredictionRecord(requestID: "id \"\(text)\"", index: Int.max, modelName: text, modelVersion: 7,
                                      modelID: "m", label: text, score: score, text: text, logText: true, time: .epoch)
        let parsed = try JSONParser.parse(record.json)
        #expect(parsed.canonicalText == record.json)
        guard case .object(let fields) = parsed else { Issue.record("not an object"); return }
        #expect(fields["text"] == .string(text))
        #expect(fields["label"] == .string(text))
        #expect(fields["index"] == .integer(Int.max))
        #expect(fields["score"] == .number(score))
        #expect(fields["text_sha256"] == .string(PredictionRecord.sha256Hex(text)))
        #expect(Set(fields.keys) == ["index", "label", "model", "model_id", "model_version", "request_id", "score", "text",
                                     "text_sha256", "time"])
    }

    @Test func flushPublishesBatchesInOrderWithExactBodies() throws {
        let fixture = try QueueFixture()
        let log = try PredictionLog(queue: fixture.queue, topic: fixture.topic, clock: fixture.clock, capacity: 1000, batchSize: 256)
        let records = (0..<600).map { sampleRecord($0) }
        var start = 0
        for size in [1, 7, 256, 300, 36] {
            log.record(Array(records[start..<(start + size)]))
            start += size
        }
        #expect(log.counts == .init(published: 0, dropped: 0, buffered: 600, publishFailures: 0))
        try log.flush()
        #expect(log.counts == .init(published: 600, dropped: 0, buffered: 0, publishFailures: 0))
        #expect(try fixture.drain() == records.map(\.json))
        try log.flush()  // nothing left: publishes nothing
        #expect(try fixture.drain().isEmpty)
    }

    @Test(.timeLimit(.minutes(1))) func runPublishesOnItsOwnOffTheRecordingPath() async throws {
        let fixture = try QueueFixture()
        let log = try PredictionLog(queue: fixture.queue, topic: fixture.topic, clock: fixture.clock, batchSize: 50)
        let worker = Task { await log.run() }
        let records = (0..<500).map { sampleRecord($0) }
        for chunk in stride(from: 0, to: records.count, by: 20) { log.record(Array(records[chunk..<(chunk + 20)])) }
        #expect(await eventually { log.counts.published == 500 })
        #expect(log.counts == .init(published: 500, dropped: 0, buffered: 0, publishFailures: 0))
        // A second burst, after the worker went back to waiting, is published too.
        log.record([sampleRecord(500)])
        #expect(await eventually { log.counts.published == 501 })
        worker.cancel()
        await worker.value
        #expect(try fixture.drain() == (records + [sampleRecord(500)]).map(\.json))
    }

    /// Queues that fail every publish for real: an injected fault in the SQLite driver, and a
    /// database opened read-only.
    enum BrokenQueue: CaseIterable { case injectedFault, readOnlyDatabase }

    @Test(.timeLimit(.minutes(1)), arguments: BrokenQueue.allCases)
    func aFullBufferDropsAndCountsWhileTheQueueFails(broken: BrokenQueue) async throws {
        let healthy = try QueueFixture()
        let queue: any MessageQueue = switch broken {
        case .injectedFault:
            try SQLiteMessageQueue(path: healthy.path, clock: healthy.clock, faults: FaultPlan(seed: 1, rates: [.publishFailure: 1]))
        case .readOnlyDatabase:
            try SQLiteMessageQueue(inspecting: healthy.path, clock: healthy.clock)
        }
        let failures = Mutex<[String]>([])
        let log = try PredictionLog(queue: queue, topic: healthy.topic, clock: healthy.clock, capacity: 100, batchSize: 10,
                                    retryDelay: .seconds(5), onPublishFailure: { error in failures.withLock { $0.append("\(error)") } })
        let records = (0..<250).map { sampleRecord($0) }
        log.record(Array(records[0..<90]))
        log.record(Array(records[90..<250]))
        #expect(log.counts == .init(published: 0, dropped: 150, buffered: 100, publishFailures: 0))
        #expect(throws: (any Error).self) { try log.flush() }
        #expect(log.counts == .init(published: 0, dropped: 150, buffered: 100, publishFailures: 1))

        // The worker fails, waits on the clock, retries when it moves, and keeps the batch.
        let worker = Task { await log.run() }
        await healthy.clock.waitForWaiters(count: 1)
        #expect(log.counts.publishFailures == 2)
        healthy.clock.advance(by: .seconds(5))
        await healthy.clock.waitForWaiters(count: 1)
        #expect(log.counts == .init(published: 0, dropped: 150, buffered: 100, publishFailures: 3))
        log.record([sampleRecord(250)])
        #expect(log.counts.dropped == 151)
        worker.cancel()
        await worker.value  // its flush on cancellation fails too
        #expect(log.counts == .init(published: 0, dropped: 151, buffered: 100, publishFailures: 4))
        #expect(failures.withLock { $0.count } == 3)  // the direct flush threw to its caller instead
        if broken == .injectedFault {
            #expect(failures.withLock { $0.allSatisfy { $0.contains("injected failure on publish") } })
        }
        #expect(try healthy.drain().isEmpty)
    }

    @Test(.timeLimit(.minutes(1))) func aMissingTopicIsRetriedUntilItExistsWithNothingLostOrRepeated() async throws {
        let fixture = try QueueFixture(createTopic: false)
        let failures = Mutex<[String]>([])
        let log = try PredictionLog(queue: fixture.queue, topic: fixture.topic, clock: fixture.clock, batchSize: 4,
                                    onPublishFailure: { error in failures.withLock { $0.append("\(error)") } })
        let worker = Task { await log.run() }
        let records = (0..<10).map { sampleRecord($0) }
        log.record(Array(records[0..<5]))
        await fixture.clock.waitForWaiters(count: 1)
        #expect(failures.withLock { $0 } == [#"topic "predictions" does not exist"#])
        log.record(Array(records[5...]))  // buffered while the worker waits to retry
        try fixture.createTopic()
        fixture.clock.advance(by: .seconds(1))
        #expect(await eventually { log.counts.published == 10 })
        #expect(log.counts == .init(published: 10, dropped: 0, buffered: 0, publishFailures: 1))
        worker.cancel()
        await worker.value
        #expect(try fixture.drain() == records.map(\.json))
    }

    @Test(.timeLimit(.minutes(1))) func publishFailuresInjectedAtRandomLoseAndRepeatNothing() async throws {
        let healthy = try QueueFixture()
        let faults = FaultPlan(seed: 42, rates: [.publishFailure: 0.5])
        let queue = try SQLiteMessageQueue(path: healthy.path, clock: healthy.clock, faults: faults)
        let log = try PredictionLog(queue: queue, topic: healthy.topic, clock: healthy.clock, batchSize: 8, retryDelay: .seconds(1))
        let worker = Task { await log.run() }
        let records = (0..<200).map { sampleRecord($0) }
        log.record(records)
        // Each failure puts the worker to sleep on the clock; move it on until all is published.
        for _ in 0..<1000 {
            let settled = await eventually { log.counts.published == 200 || healthy.clock.waiterCount == 1 }
            #expect(settled, "the worker neither finished nor waited to retry")
            if !settled || log.counts.published == 200 { break }
            healthy.clock.advance(by: .seconds(1))
        }
        worker.cancel()
        await worker.value
        let counts = log.counts
        #expect(counts.published == 200 && counts.buffered == 0 && counts.dropped == 0)
        #expect(counts.publishFailures > 0)
        #expect(counts.publishFailures == faults.injectedCounts[.publishFailure])
        #expect(try healthy.drain() == records.map(\.json))
    }

    @Test(.timeLimit(.minutes(1))) func cancellationFlushesWhatIsBuffered() async throws {
        let fixture = try QueueFixture(createTopic: false)
        let log = try PredictionLog(queue: fixture.queue, topic: fixture.topic, clock: fixture.clock, batchSize: 3)
        let worker = Task { await log.run() }
        let records = (0..<10).map { sampleRecord($0) }
        log.record(records)
        await fixture.clock.waitForWaiters(count: 1)  // the first publish failed; the worker waits to retry
        try fixture.createTopic()
        worker.cancel()  // the clock never moves: only the flush on cancellation can publish
        await worker.value
        #expect(log.counts == .init(published: 10, dropped: 0, buffered: 0, publishFailures: 1))
        #expect(try fixture.drain() == records.map(\.json))
    }

    @Test(.timeLimit(.minutes(1))) func recordNeverWaitsForAPublishStuckOnALockedDatabase() async throws {
        let fixture = try QueueFixture()
        let log = try PredictionLog(queue: fixture.queue, topic: fixture.topic, clock: fixture.clock, capacity: 5000, batchSize: 100)
        // Another process takes the database's write lock, so a publish waits on it.
        let locker = try DatabaseLocker(path: fixture.path)
        let worker = Task { await log.run() }
        let records = (0..<20_000).map { sampleRecord($0) }
        log.record([records[0]])
        for number in 1..<records.count { log.record([records[number]]) }
        #expect(log.counts == .init(published: 0, dropped: 15_000, buffered: 5000, publishFailures: 0))
        try locker.release()
        worker.cancel()
        await worker.value
        #expect(log.counts == .init(published: 5000, dropped: 15_000, buffered: 0, publishFailures: 0))
        #expect(try fixture.drain() == records[0..<5000].map(\.json))
    }

    @Test(.timeLimit(.minutes(1))) func concurrentRecordersAllCount() async throws {
        let fixture = try QueueFixture()
        let log = try PredictionLog(queue: fixture.queue, topic: fixture.topic, clock: fixture.clock, capacity: 3000, batchSize: 64)
        let worker = Task { await log.run() }
        let tasks = 8, perTask = 1000
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for number in 0..<perTask { log.record([sampleRecord(number, request: "t\(task)-\(number)")]) }
                }
            }
        }
        worker.cancel()
        await worker.value
        let counts = log.counts
        #expect(counts.published + counts.dropped == tasks * perTask)
        #expect(counts.buffered == 0 && counts.publishFailures == 0)
        let bodies = try fixture.drain()
        #expect(bodies.count == counts.published)
        // Each task's records arrive in the order it recorded them, none twice.
        for task in 0..<tasks {
            let numbers = bodies.compactMap { body -> Int? in
                guard let range = body.range(of: "\"request_id\":\"t\(task)-") else { return nil }
                return Int(body[range.upperBound...].prefix { $0.isNumber })
            }
            #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count)
        }
    }

    @Test func settingsOutOfRangeAreRefused() throws {
        let fixture = try QueueFixture()
        #expect(throws: MonitoringSettingsError(setting: "capacity", reason: "must be at least 1, got 0")) {
            try PredictionLog(queue: fixture.queue, topic: "t", clock: fixture.clock, capacity: 0)
        }
        #expect(throws: MonitoringSettingsError(setting: "batchSize", reason: "must be at least 1, got -3")) {
            try PredictionLog(queue: fixture.queue, topic: "t", clock: fixture.clock, batchSize: -3)
        }
        #expect(throws: MonitoringSettingsError.self) {
            try PredictionLog(queue: fixture.queue, topic: "t", clock: fixture.clock, retryDelay: .seconds(-1))
        }
    }
}

/// A `python3` child process holding the write lock of an SQLite database (a `BEGIN
/// IMMEDIATE` transaction) until `release()`. Killed by its pid if the test ends first.
final class DatabaseLocker {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.readline()
            db.execute("COMMIT")
            """, path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = readLine()
        guard line == "locked" else { throw LockerError(message: "expected \"locked\" from python3, got \(line.debugDescription)") }
    }

    struct LockerError: Error { let message: String }

    private func readLine() -> String? {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while read(output.fileHandleForReading.fileDescriptor, &byte, 1) == 1 {
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }

    /// Commits, and waits for the process to exit.
    func release() throws {
        try input.fileHandleForWriting.write(contentsOf: Data("go\n".utf8))
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw LockerError(message: "python3 exited with \(process.terminationStatus)") }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
