import CSQLite
import Foundation
import HTTPClient
import JSON
import LocalCloud
import Modes
import Testing
import TestSupport

/// `rehearse stream` against `rehearse stream-source`, both real child processes on 127.0.0.1,
/// and against its own built-in emulated stream: every tweet the stream sent is stored once,
/// and SIGTERM stops the pipeline cleanly.
@Suite struct StreamCommandTests {
    /// A child process whose standard output (or error) is read line by line.
    private final class Child {
        let process = Process()
        private let output = Pipe()
        private var pending: [UInt8] = []
        private(set) var lines: [String] = []

        init(_ arguments: [String], readingStandardError: Bool = false) throws {
            process.executableURL = try rehearseURL()
            process.arguments = arguments
            process.standardOutput = readingStandardError ? FileHandle.nullDevice : output
            process.standardError = readingStandardError ? output : FileHandle.nullDevice
            try process.run()
        }

        /// Reads lines until one satisfies `predicate` (nil at the end of the output).
        func line(where predicate: (String) -> Bool) -> String? {
            while true {
                if let index = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[..<index], as: UTF8.self)
                    pending.removeSubrange(...index)
                    lines.append(line)
                    if predicate(line) { return line }
                    continue
                }
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { return nil }
                pending += chunk
            }
        }

        func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    @Test("every tweet the stream sent is stored once, and SIGTERM stops the pipeline with exit 0")
    func streamsToTheSinkAndStopsCleanly() throws {
        let fixture = try StoreFixture()
        try fixture.store.createBucket("lake")
        let registry = ModelRegistry(store: fixture.store, bucket: "lake")
        try registry.setAlias("production", name: "sentiment", version: try registry.register(try TinyData.model(), name: "sentiment"))
        let csv = fixture.root.appendingPathComponent("tweets.csv")
        try ("sentiment,confidence,text\n" + TinyData.examples(count: 40, seed: 4).map { "\($0.label),1,\($0.text)\n" }.joined())
            .write(to: csv, atomically: true, encoding: .utf8)

        let source = try Child(["stream-source", "--port", "0", "--data", csv.path, "--tweets", "100000", "--rate", "200",
                                "--rule", "the day#all"])
        let listening = try #require(source.line { $0.hasPrefix("listening on ") })
        let url = String(listening.dropFirst("listening on ".count))
        let stream = try Child(["stream", "--root", fixture.root.path, "--bucket", "lake", "--model", "sentiment@production",
                                "--source", url + "/2/tweets/search/stream", "--batch-size", "50"])

        // Ready when some predictions are stored (bounded: 60 s).
        let sink = try SQLiteTableSink(path: CloudSandbox.sinkPath(fixture.root))
        let deadline = SystemClock().now.advanced(by: .seconds(60))
        while try sink.count(table: StreamPrediction.table) < 300 {
            #expect(SystemClock().now < deadline, "no predictions stored within 60 s")
            if SystemClock().now >= deadline { return }
            _ = try? HTTPClient().send(HTTPRequest(url: url + "/status"))   // a round trip, not a sleep
        }
        stream.signal(SIGTERM)
        let summaryLine = try #require(stream.line { $0.hasPrefix("{") })
        stream.process.waitUntilExit()
        #expect(stream.process.terminationReason == .exit && stream.process.terminationStatus == 0)

        let status = try HTTPClient().send(HTTPRequest(url: url + "/status"))
        guard case .object(let server) = try JSONParser.parse(String(decoding: status.body, as: UTF8.self)),
              case .object(let summary) = try JSONParser.parse(summaryLine),
              case .number(let sent)? = server["tweets_sent"], case .number(let published)? = summary["published"],
              case .number(let stored)? = summary["stored"]
        else {
            Issue.record("unexpected /status or summary: \(summaryLine)")
            return
        }
        // What was in flight when the connector stopped reading is not published (a next run's
        // backfill brings it back); everything published is stored once or still queued.
        #expect(published <= sent && published > 0)
        #expect(Int(stored) == (try sink.count(table: StreamPrediction.table)))
        #expect(stored >= 300)
        let queue = try SQLiteMessageQueue(path: CloudSandbox.queuePath(fixture.root), clock: SystemClock())
        let workers = try #require(try queue.subscriptions().first { $0.name == "tweets-workers" })
        #expect(Int(stored) + workers.backlog == Int(published))
        source.signal(SIGTERM)
        source.process.waitUntilExit()
    }

    @Test("a second SIGTERM while the first waits for a batch to be written stops at once, acking nothing unwritten")
    func secondSignalStopsAtOnce() throws {
        let fixture = try StoreFixture()
        let (modelFile, csv) = try Self.modelAndTweets(in: fixture)
        let cloud = fixture.root.appendingPathComponent("cloud")
        let source = try Child(["stream-source", "--port", "0", "--data", csv.path, "--tweets", "100000", "--rate", "200",
                                "--rule", "the day#all"])
        let listening = try #require(source.line { $0.hasPrefix("listening on ") })
        defer { source.signal(SIGKILL) }
        let stream = try Child(["stream", "--root", cloud.path, "--bucket", "lake", "--model", "sentiment@production",
                                "--model-file", modelFile.path, "--source", listening.dropFirst("listening on ".count) + "/2/tweets/search/stream",
                                "--batch-size", "20"], readingStandardError: true)

        // Ready when predictions are stored (bounded: 60 s); then this process takes the sink's
        // write lock, so the next batch written waits, holding its lease, and a stop waits for it.
        let deadline = SystemClock().now.advanced(by: .seconds(60))
        var sink: SQLiteTableSink?
        while try sink?.count(table: StreamPrediction.table) ?? 0 < 20 {
            #expect(SystemClock().now < deadline, "no predictions stored within 60 s")
            #expect(stream.process.isRunning, "rehearse stream ended early: \(stream.lines)")
            if SystemClock().now >= deadline || !stream.process.isRunning { return }
            if sink == nil, FileManager.default.fileExists(atPath: CloudSandbox.sinkPath(cloud)) {
                sink = try SQLiteTableSink(path: CloudSandbox.sinkPath(cloud))
            }
        }
        var blocker: OpaquePointer?
        #expect(sqlite3_open(CloudSandbox.sinkPath(cloud), &blocker) == SQLITE_OK)
        defer { sqlite3_close(blocker) }
        sqlite3_busy_timeout(blocker, 30_000)  // a worker's write may hold the lock this moment
        #expect(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK)
        let queue = try SQLiteMessageQueue(inspecting: CloudSandbox.queuePath(cloud), clock: SystemClock())
        func leased() throws -> Int { try queue.subscriptions().first { $0.name == "tweets-workers" }?.leased ?? 0 }
        while try leased() == 0 {
            #expect(SystemClock().now < deadline, "no batch leased within 60 s")
            if SystemClock().now >= deadline { return }
        }

        stream.signal(SIGTERM)
        #expect(stream.line { $0.contains("stopping after the batches in flight") } != nil, "\(stream.lines)")
        stream.signal(SIGTERM)
        #expect(stream.line { $0.contains("stopped at once") } != nil, "\(stream.lines)")
        stream.process.waitUntilExit()
        #expect(stream.process.terminationStatus == 128 + SIGTERM)
        // The batch that was waiting was neither written nor acked: it is still leased.
        let workers = try #require(try queue.subscriptions().first { $0.name == "tweets-workers" })
        #expect(workers.leased > 0 && workers.backlog >= workers.leased)
        _ = sqlite3_exec(blocker, "ROLLBACK", nil, nil, nil)
    }

    /// A model artifact and a 40-tweet corpus in the fixture's folder, for the built-in stream.
    private static func modelAndTweets(in fixture: StoreFixture) throws -> (model: URL, tweets: URL) {
        let modelFile = fixture.root.appendingPathComponent("model.rmodel")
        try Data(try TinyData.model().artifactBytes).write(to: modelFile)
        let csv = fixture.root.appendingPathComponent("tweets.csv")
        try ("sentiment,confidence,text\n" + TinyData.examples(count: 40, seed: 4).map { "\($0.label),1,\($0.text)\n" }.joined())
            .write(to: csv, atomically: true, encoding: .utf8)
        return (modelFile, csv)
    }

    @Test("without --source it serves the emulated stream itself: a registered --model-file stores every tweet once")
    func readsItsBuiltInStream() throws {
        let fixture = try StoreFixture()
        let (modelFile, csv) = try Self.modelAndTweets(in: fixture)
        let cloud = fixture.root.appendingPathComponent("cloud")

        let stream = try Child(["stream", "--root", cloud.path, "--bucket", "lake", "--model", "sentiment@production",
                                "--model-file", modelFile.path, "--data", csv.path, "--tweets", "120", "--rate", "400",
                                "--rule", "the day#all", "--batch-size", "20"])
        // Ready when all 120 are stored (bounded: 60 s). The sink is opened once the command
        // has made it (the model is registered by then, before the stream starts).
        let deadline = SystemClock().now.advanced(by: .seconds(60))
        var sink: SQLiteTableSink?
        var stored = 0
        while stored < 120 {
            #expect(SystemClock().now < deadline, "120 predictions not stored within 60 s (\(stored) stored)")
            if SystemClock().now >= deadline || !stream.process.isRunning { return }
            if sink == nil, FileManager.default.fileExists(atPath: CloudSandbox.sinkPath(cloud)) {
                sink = try SQLiteTableSink(path: CloudSandbox.sinkPath(cloud))
            }
            stored = try sink?.count(table: StreamPrediction.table) ?? 0
        }
        stream.signal(SIGTERM)
        let summaryLine = try #require(stream.line { $0.hasPrefix("{") })
        stream.process.waitUntilExit()
        #expect(stream.process.terminationReason == .exit && stream.process.terminationStatus == 0)
        guard case .object(let summary) = try JSONParser.parse(summaryLine),
              case .number(let published)? = summary["published"], case .number(let summaryStored)? = summary["stored"]
        else {
            Issue.record("unexpected summary: \(summaryLine)")
            return
        }
        #expect(published == 120 && summaryStored == 120)
        #expect(try sink?.count(table: StreamPrediction.table) == 120)
        let store = try DirectoryObjectStore(root: cloud, clock: SystemClock())
        #expect(try ModelRegistry(store: store, bucket: "lake").resolve(name: "sentiment", aliasOrVersion: "production").version == 1)
    }

    @Test("the built-in stream needs a rule, its options cannot go with --source, and settings it cannot run are named by flag", arguments: [
        (["--rate", "5"], "at least one --rule"),
        (["--source", "http://127.0.0.1:9/2/tweets/search/stream", "--rule", "happy"], "cannot be used with --source"),
        (["--rule", "(happy"], "--rule '(happy': unbalanced parenthesis"),
        (["--rule", "happy", "--model-file", "m.rmodel", "--model", "sentiment@3"], "not a version number"),
        (["--rule", "happy", "--window", "0s"], "--window 0s: must be positive"),
        (["--rule", "happy", "--sliding-window", "90s"], "--sliding-window 90s: must be a multiple of the period"),
        (["--rule", "happy", "--ack-deadline", "11m"], "--ack-deadline is from 1s to 10m"),
        (["--rule", "happy", "--max-workers", "3", "--max-oldest-age", "0s"], "--max-oldest-age should be positive"),
        (["--rule", "happy", "--workers", "100000"], "--workers and --max-workers are at most 64"),
        (["--rule", "happy", "--tweets", "9223372036854775807"], "--tweets must be from 1 to 10000000"),
        (["--rule", "happy", "--bucket", "LAKE"], "--bucket: "),
        (["--rule", "love#"], "'love#' is invalid for '--rule"),
    ])
    func rejectsUnusableStreamOptions(extra: [String], message: String) throws {
        let fixture = try StoreFixture()
        var arguments = ["stream", "--root", fixture.root.appendingPathComponent("cloud").path, "--bucket", "lake"]
        if !extra.contains("--model") { arguments += ["--model", "sentiment@production"] }
        let result = try runRehearse(arguments + extra)
        #expect(result.status == 2)  // a usage error
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("cloud").path))
    }

    @Test("a --source it cannot connect to is said on standard error at every attempt, with the wait before the next")
    func failedConnectionsAreSaid() throws {
        let fixture = try StoreFixture()
        let modelFile = try Self.modelAndTweets(in: fixture).model
        // Nothing listens on port 1 of the loopback (binding it needs root): every connect is refused.
        let stream = try Child(["stream", "--root", fixture.root.appendingPathComponent("cloud").path, "--bucket", "lake",
                                "--model", "sentiment@production", "--model-file", modelFile.path,
                                "--source", "http://127.0.0.1:1/2/tweets/search/stream"], readingStandardError: true)
        let said = try #require(stream.line { $0.contains("reconnecting in") }, "\(stream.lines)")
        #expect(said.hasPrefix("stream: cannot connect to http://127.0.0.1:1/2/tweets/search/stream"), "\(said)")
        #expect(said.hasSuffix(" s"), "\(said)")
        stream.signal(SIGTERM)
        stream.process.waitUntilExit()
        #expect(stream.process.terminationStatus == 0)
    }

    @Test("a second rehearse stream on a root that one is running on is refused, naming the first's pid")
    func oneStreamPerRoot() throws {
        let fixture = try StoreFixture()
        let (modelFile, csv) = try Self.modelAndTweets(in: fixture)
        let cloud = fixture.root.appendingPathComponent("cloud")
        try FileManager.default.createDirectory(at: cloud, withIntermediateDirectories: true)
        // This process plays the running one: it holds the claim as `rehearse stream` takes it.
        let descriptor = open(cloud.appendingPathComponent("stream.lock").path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        defer { close(descriptor) }
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        _ = Array("4242\n".utf8).withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        let result = try runRehearse(["stream", "--root", cloud.path, "--bucket", "lake", "--model", "sentiment@production",
                                      "--model-file", modelFile.path, "--data", csv.path, "--tweets", "10", "--rule", "the day#all"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("another rehearse stream (pid 4242) is running on \(cloud.path)"), "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cloud.path) == ["stream.lock"])
    }

    @Test("a corpus the built-in stream cannot read fails before the cloud root is touched")
    func unreadableCorpusFailsFirst() throws {
        let fixture = try StoreFixture()
        let cloud = fixture.root.appendingPathComponent("cloud")
        let missing = fixture.root.appendingPathComponent("missing.csv").path
        let result = try runRehearse(["stream", "--root", cloud.path, "--bucket", "lake", "--model", "sentiment@production",
                                      "--rule", "happy", "--data", missing])
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot read data file \(missing)"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: cloud.path))
    }
}
