import Crypto
import Foundation
import LocalCloud
import Testing

/// Every file under `root` with a digest of its bytes, sorted by path — but SQLite's
/// shared-memory index and an empty write-ahead log, which readers may make.
func folderSnapshot(_ root: String) throws -> [String] {
    let paths = try FileManager.default.subpathsOfDirectory(atPath: root).sorted()
    // Shared-memory index files change with every reader, and a read-only connection to a
    // database whose last connection closed cleanly creates an empty write-ahead log: neither
    // holds data. A write-ahead log with content does, and counts.
    func isEmptyLog(_ path: String) -> Bool {
        path.hasSuffix("-wal") && ((try? FileManager.default.attributesOfItem(atPath: root + "/" + path)[.size] as? Int) ?? 0) == 0
    }
    return try paths.filter { !$0.hasSuffix("-shm") && !isEmptyLog($0) }.map { path in
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isFolder)
        if isFolder.boolValue { return path + "/" }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
        return path + " " + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

@Suite struct InspectionTests {
    @Test func inspectingAFolderWithoutACloudFailsAndCreatesNothing() throws {
        let folder = try TemporaryFolder()
        #expect(throws: ObjectStoreError.storeNotFound(root: folder.path)) {
            try DirectoryObjectStore(inspecting: folder.url)
        }
        #expect(throws: MessageQueueError.queueNotFound(path: folder.path + "/queue.sqlite")) {
            try SQLiteMessageQueue(inspecting: folder.path + "/queue.sqlite", clock: VirtualClock())
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func inspectionReadsWithoutRepairingOrWriting() throws {
        let folder = try TemporaryFolder()
        let clock = VirtualClock()
        let sandbox = try CloudSandbox(root: folder.url, clock: clock)
        try sandbox.objects.createBucket("inputs")
        try sandbox.objects.put(Data("abc".utf8), bucket: "inputs", key: "known.csv")
        try sandbox.queue.createTopic("events")
        try sandbox.queue.createSubscription("worker", topic: "events")
        try sandbox.queue.publish(OutgoingMessage(data: Data("m".utf8)), to: "events")
        // What a normal open would repair: a hand-dropped file and a killed writer's temp file.
        try Data("new".utf8).write(to: folder.url.appendingPathComponent("buckets/inputs/dropped.csv"))
        try Data("torn".utf8).write(to: folder.url.appendingPathComponent("tmp/leftover.tmp"))
        let before = try folderSnapshot(folder.path)

        let store = try DirectoryObjectStore(inspecting: folder.url)
        #expect(try store.bucketNames() == ["inputs"])
        #expect(try store.list(bucket: "inputs").objects.map(\.key) == ["known.csv"])
        #expect(try store.get(bucket: "inputs", key: "known.csv").data == Data("abc".utf8))
        #expect(throws: ObjectStoreError.indexOutOfDate(bucket: "inputs", key: "dropped.csv")) {
            try store.get(bucket: "inputs", key: "dropped.csv")
        }
        #expect(throws: ObjectStoreError.readOnly(operation: "put", root: folder.path)) {
            try store.put(Data("x".utf8), bucket: "inputs", key: "x")
        }
        let queue = try SQLiteMessageQueue(inspecting: CloudSandbox.queuePath(folder.url), clock: clock)
        #expect(try queue.peek("worker", limit: 10).map(\.data) == [Data("m".utf8)])
        #expect(try queue.subscriptions().map(\.backlog) == [1])
        #expect(throws: SQLiteError.self) { try queue.publish(OutgoingMessage(data: Data("x".utf8)), to: "events") }
        let schedules = try ScheduleStore(path: CloudSandbox.schedulesPath(folder.url), readOnly: true)
        #expect(try schedules.records().isEmpty)

        #expect(try folderSnapshot(folder.path) == before)
    }

    @Test func inspectsAClosedSandbox() throws {
        let folder = try TemporaryFolder()
        do {
            let sandbox = try CloudSandbox(root: folder.url, clock: VirtualClock())
            try sandbox.objects.createBucket("inputs")
            try sandbox.objects.put(Data("abc".utf8), bucket: "inputs", key: "known.csv")
            try sandbox.queue.createTopic("events")
        }  // every connection closes here, so SQLite checkpoints and removes its WAL files
        let before = try folderSnapshot(folder.path)
        let store = try DirectoryObjectStore(inspecting: folder.url)
        #expect(try store.get(bucket: "inputs", key: "known.csv").data == Data("abc".utf8))
        let queue = try SQLiteMessageQueue(inspecting: CloudSandbox.queuePath(folder.url), clock: VirtualClock())
        #expect(try queue.topics().map(\.name) == ["events"])
        #expect(try folderSnapshot(folder.path) == before)
    }
}
