import Foundation
import LocalCloud
import Synchronization
import Testing

/// A virtual clock that runs `onRead` (when set) each time `now` is read, to look at the disk
/// from inside a store's write transaction.
final class ObservingClock: CloudClock, Sendable {
    private let clock = VirtualClock(start: Instant(secondsSinceEpoch: 1_800_000_000))
    private let observer = Mutex<(@Sendable () -> Void)?>(nil)

    var now: Instant {
        observer.withLock { $0 }?()
        return clock.now
    }

    func sleep(until deadline: Instant) async throws { try await clock.sleep(until: deadline) }

    func observe(_ body: (@Sendable () -> Void)?) { observer.withLock { $0 = body } }
}

@Suite struct NoncurrentGenerationTests {
    @Test func trimmedGenerationFilesAreRemovedOnlyAfterCommit() throws {
        let folder = try TemporaryFolder()
        let clock = ObservingClock()
        let store = try DirectoryObjectStore(root: folder.url, clock: clock, options: .init(noncurrentGenerationsKept: 1))
        try store.createBucket("in")
        let first = try store.put(Data("v1".utf8), bucket: "in", key: "k")
        try store.put(Data("v2".utf8), bucket: "in", key: "k")
        let oldest = folder.path + "/generations/in/\(first.generation)"
        #expect(FileManager.default.fileExists(atPath: oldest))
        // The third put drops generation 1; while its transaction is open the file must stay,
        // or a rollback would leave a row without its file.
        let seen = OrderLog()
        clock.observe { seen.append(FileManager.default.fileExists(atPath: oldest) ? "present" : "gone") }
        try store.put(Data("v3".utf8), bucket: "in", key: "k")
        clock.observe(nil)
        #expect(!seen.entries.isEmpty && seen.entries.allSatisfy { $0 == "present" }, "\(seen.entries)")
        #expect(!FileManager.default.fileExists(atPath: oldest))
    }

    @Test func aGenerationWhoseFileIsGoneIsNotFoundAndRepairDropsIt() throws {
        let fixture = try StoreFixture(options: .init(noncurrentGenerationsKept: 3))
        let first = try fixture.store.put(Data("v1".utf8), bucket: "in", key: "k")
        let second = try fixture.store.put(Data("v2".utf8), bucket: "in", key: "k")
        let third = try fixture.store.put(Data("v3".utf8), bucket: "in", key: "k")
        try FileManager.default.removeItem(atPath: fixture.folder.path + "/generations/in/\(first.generation)")
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "k", generation: first.generation)) {
            try fixture.store.get(bucket: "in", key: "k", generation: first.generation)
        }
        let reopened = try fixture.reopen(options: .init(noncurrentGenerationsKept: 3))
        #expect(try reopened.generations(bucket: "in", key: "k").map(\.generation) == [third.generation, second.generation])
        #expect(try reopened.get(bucket: "in", key: "k", generation: second.generation).data == Data("v2".utf8))
    }

    @Test("a put or delete killed after replacing or removing the file, before committing, keeps the generation it replaced")
    func aKilledWritersReplacedGenerationIsKept() throws {
        let options = DirectoryObjectStore.Options(noncurrentGenerationsKept: 2)
        let fixture = try StoreFixture(options: options)
        let first = try fixture.store.put(Data("v1".utf8), bucket: "in", key: "k")
        let second = try fixture.store.put(Data("v2".utf8), bucket: "in", key: "k")
        let path = fixture.folder.path + "/buckets/in/k"
        func generationFile(_ generation: Int64) -> String { fixture.folder.path + "/generations/in/\(generation)" }

        // What a put killed after its rename leaves: the current file linked into generations/,
        // the new bytes renamed into place, the index as it was.
        try FileManager.default.linkItem(atPath: path, toPath: generationFile(second.generation))
        let temporary = fixture.folder.path + "/tmp/killed-put"
        try Data("v3".utf8).write(to: URL(fileURLWithPath: temporary))
        #expect(rename(temporary, path) == 0)
        let afterPut = try fixture.reopen(options: options)
        let third = try afterPut.get(bucket: "in", key: "k")
        #expect(third.data == Data("v3".utf8))
        #expect(try afterPut.generations(bucket: "in", key: "k").map(\.generation) == [third.metadata.generation, second.generation, first.generation])
        #expect(try afterPut.get(bucket: "in", key: "k", generation: second.generation).data == Data("v2".utf8))

        // What a delete killed after removing the file leaves: the file linked, then removed.
        try FileManager.default.linkItem(atPath: path, toPath: generationFile(third.metadata.generation))
        try FileManager.default.removeItem(atPath: path)
        let afterDelete = try fixture.reopen(options: options)
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "k", generation: nil)) {
            try afterDelete.get(bucket: "in", key: "k")
        }
        #expect(try afterDelete.get(bucket: "in", key: "k", generation: third.metadata.generation).data == Data("v3".utf8))
        // Two kept at most: generation 1 gave way, and its file went with its row.
        #expect(try afterDelete.generations(bucket: "in", key: "k").map(\.generation) == [third.metadata.generation, second.generation])
        #expect(!FileManager.default.fileExists(atPath: generationFile(first.generation)))
    }

    @Test func aVanishedBucketLosesItsNoncurrentRowsToo() throws {
        let fixture = try StoreFixture(options: .init(noncurrentGenerationsKept: 3))
        let first = try fixture.store.put(Data("v1".utf8), bucket: "in", key: "k")
        try fixture.store.put(Data("v2".utf8), bucket: "in", key: "k")
        try fixture.store.delete(bucket: "in", key: "k")
        try FileManager.default.removeItem(atPath: fixture.bucketPath)
        _ = try fixture.reopen(options: .init(noncurrentGenerationsKept: 3))
        // The bucket comes back empty: none of the old generations survive in the index.
        try FileManager.default.createDirectory(atPath: fixture.bucketPath, withIntermediateDirectories: false)
        let reopened = try fixture.reopen(options: .init(noncurrentGenerationsKept: 3))
        #expect(try reopened.generations(bucket: "in", key: "k").isEmpty)
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "k", generation: first.generation)) {
            try reopened.get(bucket: "in", key: "k", generation: first.generation)
        }
    }
}
