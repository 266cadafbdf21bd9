import Foundation
import LocalCloud
import Testing

/// Stores, queues and sinks that are released close their SQLite files: a process that opens
/// sandboxes one after another (a suite of scenarios, a server reloading) must not keep a
/// connection and its file descriptors per sandbox it ever opened.
@Suite struct ReleasedConnectionTests {
    @Test func aReleasedSandboxClosesEveryFileItOpened() throws {
        let folder = try TemporaryFolder()
        do {
            let sandbox = try CloudSandbox(root: folder.url, clock: VirtualClock())
            try sandbox.objects.createBucket("data")
            try sandbox.objects.put(Data("x".utf8), bucket: "data", key: "k")
            _ = try sandbox.objects.get(bucket: "data", key: "k")
            try sandbox.queue.createTopic("t")
            try sandbox.queue.createSubscription("s", topic: "t", options: SubscriptionOptions())
            _ = try sandbox.queue.publish([OutgoingMessage(data: Data("m".utf8))], to: "t")
            _ = try sandbox.queue.pull("s", maxMessages: 1)
            let sink = try SQLiteTableSink(path: CloudSandbox.sinkPath(folder.url))
            _ = try sink.write([SinkRow(table: "rows", key: "a", value: Data("1".utf8))])
            #expect(try openFiles(under: folder.url.path) > 0, "the check sees the files while they are open")
        }
        #expect(try openFiles(under: folder.url.path) == 0)
    }
}
