import Foundation
import LocalCloud
import Synchronization
import Testing

/// A store in a fresh temp folder with one bucket, "in".
struct StoreFixture {
    let folder: TemporaryFolder
    let clock = VirtualClock(start: Instant(secondsSinceEpoch: 1_800_000_000))
    let store: DirectoryObjectStore

    init(options: DirectoryObjectStore.Options = .init()) throws {
        folder = try TemporaryFolder()
        store = try DirectoryObjectStore(root: folder.url, clock: clock, options: options)
        try store.createBucket("in")
    }

    func reopen(options: DirectoryObjectStore.Options = .init()) throws -> DirectoryObjectStore {
        try DirectoryObjectStore(root: folder.url, clock: clock, options: options)
    }

    var bucketPath: String { folder.path + "/buckets/in" }
}

@Suite struct ObjectStoreBasicsTests {
    @Test func putGetHeadRoundTrip() throws {
        let fixture = try StoreFixture()
        let stored = try fixture.store.put(Data("hello".utf8), bucket: "in", key: "docs/greeting.txt",
                                           options: PutOptions(userMetadata: ["lang": "en"]))
        #expect(stored.size == 5)
        #expect(stored.etag == "5d41402abc4b2a76b9719d911017c592")  // md5("hello")
        #expect(stored.contentType == "text/plain")
        #expect(stored.created == fixture.clock.now)
        let object = try fixture.store.get(bucket: "in", key: "docs/greeting.txt")
        #expect(object.data == Data("hello".utf8))
        #expect(object.metadata == stored)
        #expect(try fixture.store.head(bucket: "in", key: "docs/greeting.txt") == stored)
        // The bytes are a plain file a person can read.
        #expect(try String(contentsOfFile: fixture.bucketPath + "/docs/greeting.txt", encoding: .utf8) == "hello")
        // Persistent across reopen.
        let reopened = try fixture.reopen()
        #expect(try reopened.get(bucket: "in", key: "docs/greeting.txt").metadata == stored)
    }

    @Test func generationsIncreaseAndOverwriteKeepsCreatedTime() throws {
        let fixture = try StoreFixture()
        let first = try fixture.store.put(Data("1".utf8), bucket: "in", key: "k")
        fixture.clock.advance(by: .seconds(5))
        let second = try fixture.store.put(Data("22".utf8), bucket: "in", key: "k")
        #expect(second.generation > first.generation)
        #expect(second.created == first.created)
        #expect(second.updated == first.updated.advanced(by: .seconds(5)))
        #expect(try fixture.store.get(bucket: "in", key: "k").data == Data("22".utf8))
    }

    @Test func keepsNoncurrentGenerationsUpToTheLimit() throws {
        let fixture = try StoreFixture(options: .init(noncurrentGenerationsKept: 2))
        var generations: [Int64] = []
        for version in 1...4 {
            generations.append(try fixture.store.put(Data("v\(version)".utf8), bucket: "in", key: "model.bin").generation)
        }
        #expect(try fixture.store.get(bucket: "in", key: "model.bin", generation: generations[2]).data == Data("v3".utf8))
        #expect(try fixture.store.get(bucket: "in", key: "model.bin", generation: generations[1]).data == Data("v2".utf8))
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "model.bin", generation: generations[0])) {
            try fixture.store.get(bucket: "in", key: "model.bin", generation: generations[0])
        }
        let listed = try fixture.store.generations(bucket: "in", key: "model.bin")
        #expect(listed.map(\.generation) == [generations[3], generations[2], generations[1]])
        #expect(listed.map(\.isCurrent) == [true, false, false])
        // A delete keeps the deleted generation too.
        try fixture.store.delete(bucket: "in", key: "model.bin")
        #expect(try fixture.store.get(bucket: "in", key: "model.bin", generation: generations[3]).data == Data("v4".utf8))
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "model.bin", generation: nil)) {
            try fixture.store.get(bucket: "in", key: "model.bin")
        }
    }

    @Test func noHistoryWhenLimitIsZero() throws {
        let fixture = try StoreFixture()
        let first = try fixture.store.put(Data("a".utf8), bucket: "in", key: "k")
        try fixture.store.put(Data("b".utf8), bucket: "in", key: "k")
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "k", generation: first.generation)) {
            try fixture.store.get(bucket: "in", key: "k", generation: first.generation)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path + "/generations/in").isEmpty)
    }

    @Test func preconditionsOnPutDeleteAndCopy() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let created = try store.put(Data("x".utf8), bucket: "in", key: "k", options: PutOptions(preconditions: .doesNotExist))
        #expect(throws: ObjectStoreError.preconditionFailed(bucket: "in", key: "k", condition: "ifGenerationMatch=0",
                                                            currentGeneration: created.generation)) {
            try store.put(Data("y".utf8), bucket: "in", key: "k", options: PutOptions(preconditions: .doesNotExist))
        }
        let updated = try store.put(Data("y".utf8), bucket: "in", key: "k",
                                    options: PutOptions(preconditions: Preconditions(ifGenerationMatch: created.generation)))
        #expect(throws: ObjectStoreError.preconditionFailed(
            bucket: "in", key: "k", condition: "ifGenerationNotMatch=\(updated.generation)", currentGeneration: updated.generation)) {
            try store.put(Data("z".utf8), bucket: "in", key: "k",
                          options: PutOptions(preconditions: Preconditions(ifGenerationNotMatch: updated.generation)))
        }
        #expect(throws: ObjectStoreError.preconditionFailed(
            bucket: "in", key: "k", condition: "ifGenerationMatch=\(created.generation)", currentGeneration: updated.generation)) {
            try store.delete(bucket: "in", key: "k", preconditions: Preconditions(ifGenerationMatch: created.generation))
        }
        let copied = try store.copy(from: ObjectLocation(bucket: "in", key: "k"), to: ObjectLocation(bucket: "in", key: "copy"),
                                    preconditions: .doesNotExist)
        #expect(copied.etag == updated.etag)
        #expect(throws: ObjectStoreError.preconditionFailed(
            bucket: "in", key: "copy", condition: "ifGenerationMatch=0", currentGeneration: copied.generation)) {
            try store.copy(from: ObjectLocation(bucket: "in", key: "k"), to: ObjectLocation(bucket: "in", key: "copy"),
                           preconditions: .doesNotExist)
        }
        try store.delete(bucket: "in", key: "k", preconditions: Preconditions(ifGenerationMatch: updated.generation))
        #expect(try store.get(bucket: "in", key: "copy").data == Data("y".utf8))
        #expect(throws: ObjectStoreError.bucketNotFound(bucket: "nope")) { try store.put(Data(), bucket: "nope", key: "k") }
    }
}

@Suite struct ObjectListingTests {
    @Test func listsWithPrefixDelimiterAndPages() throws {
        let fixture = try StoreFixture()
        let keys = ["a.txt", "b/1", "b/2", "b/c/3", "ba", "c/1", "z", "é"]
        for key in keys.reversed() { try fixture.store.put(Data(key.utf8), bucket: "in", key: key) }
        #expect(try fixture.store.list(bucket: "in").objects.map(\.key) == keys)

        let rolled = try fixture.store.list(bucket: "in", options: ListOptions(delimiter: "/"))
        #expect(rolled.objects.map(\.key) == ["a.txt", "ba", "z", "é"].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(rolled.commonPrefixes == ["b/", "c/"])

        let underB = try fixture.store.list(bucket: "in", options: ListOptions(prefix: "b/", delimiter: "/"))
        #expect(underB.objects.map(\.key) == ["b/1", "b/2"])
        #expect(underB.commonPrefixes == ["b/c/"])

        #expect(try fixture.store.list(bucket: "in", options: ListOptions(prefix: "b")).objects.map(\.key) == ["b/1", "b/2", "b/c/3", "ba"])
        #expect(try fixture.store.list(bucket: "in", options: ListOptions(startAfter: "b/2")).objects.map(\.key)
                    == ["b/c/3", "ba", "c/1", "z", "é"])
        // Starting after a common prefix (a V1 marker) skips the keys rolled up into it.
        let afterB = try fixture.store.list(bucket: "in", options: ListOptions(delimiter: "/", startAfter: "b/"))
        #expect(afterB.objects.map(\.key) == ["ba", "z", "é"] && afterB.commonPrefixes == ["c/"])
        #expect(try fixture.store.list(bucket: "in", options: ListOptions(startAfter: "b/")).objects.map(\.key).first == "b/1")

        // Page through with a delimiter, two entries per page.
        var seen: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try fixture.store.list(bucket: "in", options: ListOptions(delimiter: "/", pageToken: token, maxKeys: 2))
            #expect(page.objects.count + page.commonPrefixes.count <= 2)
            seen += page.objects.map(\.key) + page.commonPrefixes
            token = page.nextPageToken
            pages += 1
        } while token != nil && pages < 10  // bounded: a token that never ends fails below
        #expect(token == nil && pages == 3)
        #expect(seen.sorted() == (rolled.objects.map(\.key) + rolled.commonPrefixes).sorted())
        #expect(seen.count == 6)
    }

    @Test func handDroppedFilesAreVisibleWithFreshMetadata() throws {
        let fixture = try StoreFixture()
        try FileManager.default.createDirectory(atPath: fixture.bucketPath + "/inputs", withIntermediateDirectories: true)
        try Data("dropped".utf8).write(to: URL(fileURLWithPath: fixture.bucketPath + "/inputs/tweets.csv"))
        let listing = try fixture.store.list(bucket: "in", options: ListOptions(prefix: "inputs/"))
        #expect(listing.objects.map(\.key) == ["inputs/tweets.csv"])
        let metadata = try #require(listing.objects.first)
        #expect(metadata.size == 7)
        #expect(metadata.contentType == "text/csv")
        #expect(metadata.created == fixture.clock.now)
        #expect(try fixture.store.get(bucket: "in", key: "inputs/tweets.csv").data == Data("dropped".utf8))

        // Edited by hand: a new generation with new metadata.
        fixture.clock.advance(by: .seconds(1))
        try Data("edited!!".utf8).write(to: URL(fileURLWithPath: fixture.bucketPath + "/inputs/tweets.csv"))
        let edited = try fixture.store.head(bucket: "in", key: "inputs/tweets.csv")
        #expect(edited.generation > metadata.generation)
        #expect(edited.size == 8)
        // Removed by hand: gone.
        try FileManager.default.removeItem(atPath: fixture.bucketPath + "/inputs/tweets.csv")
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "inputs/tweets.csv", generation: nil)) {
            try fixture.store.get(bucket: "in", key: "inputs/tweets.csv")
        }
        #expect(try fixture.store.list(bucket: "in").objects.isEmpty)
        // A file dropped straight into the folder is also found by get without a list first.
        try Data("direct".utf8).write(to: URL(fileURLWithPath: fixture.bucketPath + "/direct.json"))
        #expect(try fixture.store.get(bucket: "in", key: "direct.json").metadata.contentType == "application/json")
    }
}

@Suite struct ObjectKeyTests {
    @Test func rejectsInvalidAndEscapingKeys() throws {
        let fixture = try StoreFixture()
        let bad = ["", "../x", "a/../../b", "/etc/passwd", "a//b", "a/", "./a", "a/.", "nul\u{0}byte",
                   String(repeating: "k", count: 1025), String(repeating: "s", count: 256)]
        /// Matches `ObjectStoreError.invalidKey` for exactly `key`.
        func isInvalidKey(_ key: String) -> (any Error) -> Bool {
            { error in
                guard case ObjectStoreError.invalidKey(let rejected, _) = error else { return false }
                return rejected.utf8.elementsEqual(key.utf8)
            }
        }
        for key in bad {
            #expect("\(key.prefix(20))", performing: { try fixture.store.put(Data("x".utf8), bucket: "in", key: key) },
                    throws: isInvalidKey(key))
            #expect("\(key.prefix(20))", performing: { try fixture.store.get(bucket: "in", key: key) }, throws: isInvalidKey(key))
        }
        do {
            try fixture.store.put(Data(), bucket: "in", key: "a/../../b")
            Issue.record("expected an error")
        } catch let error as ObjectStoreError {
            #expect("\(error)".contains("a/../../b"))
            #expect("\(error)".contains("'..'"))
        }
        // Nothing was written outside the bucket.
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.path + "/b"))
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.path + "/buckets/x"))
        #expect(try fixture.store.put(Data("ok".utf8), bucket: "in", key: String(repeating: "k", count: 255)).size == 2)
        // Dots are only refused as a whole '.' or '..' segment.
        for key in ["a/.../b", ".hidden/..x", "x./y..", "..."] {
            #expect(try fixture.store.put(Data("ok".utf8), bucket: "in", key: key).key == key)
        }
        let badBucket = ObjectStoreError.invalidBucketName(name: "../up", reason: "use only lowercase letters, digits, '.', '_' and '-'")
        #expect(throws: badBucket) { try fixture.store.createBucket("../up") }
        #expect(throws: badBucket) { try fixture.store.put(Data(), bucket: "../up", key: "k") }
    }

    @Test func aBucketIsDeletedOnlyOnceEmptyWithItsKeptGenerations() throws {
        let fixture = try StoreFixture()
        try fixture.store.put(Data("1".utf8), bucket: "in", key: "a/b")
        try fixture.store.put(Data("2".utf8), bucket: "in", key: "a/b")
        #expect(throws: ObjectStoreError.bucketNotEmpty(bucket: "in")) { try fixture.store.deleteBucket("in") }
        try fixture.store.delete(bucket: "in", key: "a/b")
        // A file dropped in by hand is an object too.
        try Data("x".utf8).write(to: URL(fileURLWithPath: fixture.folder.path + "/buckets/in/by-hand.txt"))
        #expect(throws: ObjectStoreError.bucketNotEmpty(bucket: "in")) { try fixture.store.deleteBucket("in") }
        try fixture.store.delete(bucket: "in", key: "by-hand.txt")
        try fixture.store.deleteBucket("in")
        #expect(try !fixture.store.bucketNames().contains("in"))
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.path + "/buckets/in"))
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.path + "/generations/in"))
        #expect(throws: ObjectStoreError.bucketNotFound(bucket: "in")) { try fixture.store.deleteBucket("in") }
    }

    @Test func aPutRacingADeleteBucketEitherLandsInAKeptBucketOrFindsNoBucket() throws {
        let fixture = try StoreFixture()
        let other = try fixture.reopen()  // as a second process: its own lock, the same files
        for round in 0..<100 {
            try fixture.store.createBucket("race")
            let start = DispatchSemaphore(value: 0)
            let putResult = Mutex<Result<ObjectMetadata, any Error>?>(nil)
            let putter = Thread {
                start.wait()
                putResult.withLock { $0 = Result { try other.put(Data("\(round)".utf8), bucket: "race", key: "k/\(round)") } }
            }
            putter.start()
            start.signal()
            let deleted = Result { try fixture.store.deleteBucket("race") }
            while putResult.withLock({ $0 }) == nil { sched_yield() }  // the other thread's put is under way
            switch (putResult.withLock({ $0 })!, deleted) {
            case (.success, .success):
                Issue.record("round \(round): both the put and the bucket's deletion succeeded; the object is lost")
            case (.success, .failure(let error)):
                #expect(error as? ObjectStoreError == .bucketNotEmpty(bucket: "race"))
                #expect(try fixture.store.get(bucket: "race", key: "k/\(round)").data == Data("\(round)".utf8))
                try fixture.store.delete(bucket: "race", key: "k/\(round)")
                try fixture.store.deleteBucket("race")
            case (.failure(let error), .success):
                #expect(error as? ObjectStoreError == .bucketNotFound(bucket: "race"))
            case (.failure(let putError), .failure(let deleteError)):
                Issue.record("round \(round): both failed: \(putError); \(deleteError)")
            }
            #expect(try !fixture.store.bucketNames().contains("race"))
        }
    }

    @Test func anObjectWhoseFolderWasReplacedByAFileByHandIsNotFound() throws {
        let fixture = try StoreFixture()
        try fixture.store.put(Data("x".utf8), bucket: "in", key: "a/b")
        try FileManager.default.removeItem(atPath: fixture.bucketPath + "/a")
        try Data("by hand".utf8).write(to: URL(fileURLWithPath: fixture.bucketPath + "/a"))
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "a/b", generation: nil)) {
            try fixture.store.head(bucket: "in", key: "a/b")
        }
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "a/b", generation: nil)) {
            try fixture.store.delete(bucket: "in", key: "a/b")
        }
        #expect(throws: ObjectStoreError.self) { try fixture.store.get(bucket: "in", key: "a/b") }
        #expect(try fixture.store.list(bucket: "in").objects.map(\.key) == ["a"])
    }

    @Test func aKeySegmentStartingWithACombiningMarkIsStoredInItsFolder() throws {
        let fixture = try StoreFixture()
        try fixture.store.put(Data("x".utf8), bucket: "in", key: "new/\u{301}x")
        #expect(try fixture.store.get(bucket: "in", key: "new/\u{301}x").data == Data("x".utf8))
        #expect(FileManager.default.fileExists(atPath: fixture.bucketPath + "/new/\u{301}x"))
        #expect(try fixture.store.list(bucket: "in", options: ListOptions(prefix: "new/\u{301}")).objects.map(\.key) == ["new/\u{301}x"])
    }

    @Test func refusesSymlinkedFolders() throws {
        let fixture = try StoreFixture()
        let outside = try TemporaryFolder()
        try Data("secret".utf8).write(to: URL(fileURLWithPath: outside.path + "/secret.txt"))
        try FileManager.default.createSymbolicLink(atPath: fixture.bucketPath + "/link", withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: fixture.bucketPath + "/file-link",
                                                   withDestinationPath: outside.path + "/secret.txt")
        #expect(throws: ObjectStoreError.self) { try fixture.store.get(bucket: "in", key: "link/secret.txt") }
        // A symlinked file is not an object (not a server error a client would retry).
        #expect(throws: ObjectStoreError.objectNotFound(bucket: "in", key: "file-link", generation: nil)) {
            try fixture.store.get(bucket: "in", key: "file-link")
        }
        #expect(throws: ObjectStoreError.self) { try fixture.store.put(Data("x".utf8), bucket: "in", key: "link/new.txt") }
        #expect(throws: ObjectStoreError.self) { try fixture.store.delete(bucket: "in", key: "link/secret.txt") }
        #expect(try fixture.store.list(bucket: "in").objects.isEmpty)
        // "/" then a combining accent is one Swift Character: the folder must still be checked.
        try Data("secret".utf8).write(to: URL(fileURLWithPath: outside.path + "/\u{301}s"))
        #expect(throws: ObjectStoreError.self) { try fixture.store.get(bucket: "in", key: "link/\u{301}s") }
        #expect(throws: ObjectStoreError.self) { try fixture.store.put(Data("x".utf8), bucket: "in", key: "link/\u{301}x") }
        try FileManager.default.removeItem(atPath: outside.path + "/\u{301}s")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path) == ["secret.txt"])
        #expect(try String(contentsOfFile: outside.path + "/secret.txt", encoding: .utf8) == "secret")
    }

    @Test func anEmptyFolderInAKeysPlaceIsReplaced() throws {
        let fixture = try StoreFixture()
        try FileManager.default.createDirectory(atPath: fixture.bucketPath + "/a", withIntermediateDirectories: false)
        try fixture.store.put(Data("a".utf8), bucket: "in", key: "a")
        #expect(try fixture.store.get(bucket: "in", key: "a").data == Data("a".utf8))
    }

    @Test func folderErrorsCarryTheRealErrno() throws {
        let folder = try TemporaryFolder()
        try Data("file".utf8).write(to: folder.url.appendingPathComponent("f"))
        let root = folder.url.appendingPathComponent("f/store")
        #expect(throws: ObjectStoreError.io(operation: "create folder", path: root.path, errno: ENOTDIR)) {
            try DirectoryObjectStore(root: root, clock: VirtualClock())
        }
        let nested = folder.url.appendingPathComponent("x/y/z")
        _ = try DirectoryObjectStore(root: nested, clock: VirtualClock())
        #expect(FileManager.default.fileExists(atPath: nested.path + "/objects.sqlite"))
    }

    @Test func listRejectsMaxKeysBelowOne() throws {
        let fixture = try StoreFixture()
        #expect(throws: ObjectStoreError.invalidArgument(field: "maxKeys", reason: "must be at least 1, got 0")) {
            try fixture.store.list(bucket: "in", options: ListOptions(maxKeys: 0))
        }
    }

    @Test func refusesAKeyThatIsAlsoAFolder() throws {
        let fixture = try StoreFixture()
        try fixture.store.put(Data("a".utf8), bucket: "in", key: "a")
        #expect(throws: ObjectStoreError.keyConflict(bucket: "in", key: "a/b",
                                                     reason: "\"a\" is an object, so it cannot also be a folder")) {
            try fixture.store.put(Data("ab".utf8), bucket: "in", key: "a/b")
        }
        try fixture.store.put(Data("xy".utf8), bucket: "in", key: "x/y")
        #expect(throws: ObjectStoreError.self) { try fixture.store.put(Data("x".utf8), bucket: "in", key: "x") }
        #expect(try fixture.store.get(bucket: "in", key: "x/y").data == Data("xy".utf8))
        // Once the last object under x/ is gone, x can be an object.
        try fixture.store.delete(bucket: "in", key: "x/y")
        #expect(try fixture.store.put(Data("x".utf8), bucket: "in", key: "x").size == 1)
    }
}

@Suite struct ObjectStoreRepairTests {
    @Test func indexIsRepairedFromTheFilesOnOpen() throws {
        let fixture = try StoreFixture()
        let old = try fixture.store.put(Data("old".utf8), bucket: "in", key: "data/x.bin")
        // Simulate a writer killed after its rename but before its index commit, and one
        // killed before its rename (a stray temp file of a process that no longer exists).
        let newer = fixture.folder.path + "/tmp/newer"
        try Data("newer".utf8).write(to: URL(fileURLWithPath: newer))
        #expect(rename(newer, fixture.bucketPath + "/data/x.bin") == 0)
        try Data("torn".utf8).write(to: URL(fileURLWithPath: fixture.folder.path + "/tmp/999999999-1.tmp"))
        let reopened = try fixture.reopen()
        let object = try reopened.get(bucket: "in", key: "data/x.bin")
        #expect(object.data == Data("newer".utf8))
        #expect(object.metadata.generation > old.generation)
        #expect(object.metadata.size == 5)
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.path + "/tmp/999999999-1.tmp"))
    }
}

@Suite struct ObjectNotificationTests {
    @Test func finalizeAndDeleteEventsArePublished() throws {
        let folder = try TemporaryFolder()
        let clock = VirtualClock()
        let queue = try SQLiteMessageQueue(path: folder.path + "/queue.sqlite", clock: clock)
        try queue.createTopic("uploads")
        try queue.createSubscription("jobs", topic: "uploads")
        let store = try DirectoryObjectStore(root: folder.url.appendingPathComponent("objects"), clock: clock, options: .init(
            notifications: [ObjectNotificationRule(bucket: "in", topic: "uploads", keyPrefix: "inputs/")],
            notificationQueue: queue))
        try store.createBucket("in")
        let put = try store.put(Data("1".utf8), bucket: "in", key: "inputs/a.csv")
        try store.put(Data("2".utf8), bucket: "in", key: "other/b.csv")
        try store.delete(bucket: "in", key: "inputs/a.csv")
        let messages = try queue.pull("jobs", maxMessages: 10)
        #expect(messages.map { $0.attributes["eventType"] } == ["OBJECT_FINALIZE", "OBJECT_DELETE"])
        #expect(messages[0].attributes["objectId"] == "inputs/a.csv")
        #expect(messages[0].attributes["objectGeneration"] == String(put.generation))
        let decoded = try JSONDecoder().decode(ObjectMetadata.self, from: messages[0].data)
        #expect(decoded == put)
        try queue.ack("jobs", ackIDs: messages.map(\.ackID))

        // A file copied into the folder by hand triggers a finalize event once the store sees it.
        let inputs = folder.url.appendingPathComponent("objects/buckets/in/inputs")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)  // the delete removed it
        try Data("by hand".utf8).write(to: inputs.appendingPathComponent("c.csv"))
        #expect(try store.list(bucket: "in", options: ListOptions(prefix: "inputs/")).objects.map(\.key) == ["inputs/c.csv"])
        let dropped = try queue.pull("jobs", maxMessages: 10)
        #expect(dropped.map { $0.attributes["objectId"] } == ["inputs/c.csv"])
        #expect(dropped.map { $0.attributes["eventType"] } == ["OBJECT_FINALIZE"])
    }

    @Test func aRuleWithAMissingTopicNeitherBlocksOtherTopicsNorTheStore() throws {
        let folder = try TemporaryFolder()
        let clock = VirtualClock()
        let queue = try SQLiteMessageQueue(path: folder.path + "/queue.sqlite", clock: clock)
        try queue.createTopic("uploads")
        try queue.createSubscription("jobs", topic: "uploads")
        let root = folder.url.appendingPathComponent("objects")
        let rules = [ObjectNotificationRule(bucket: "in", topic: "typo"), ObjectNotificationRule(bucket: "in", topic: "uploads")]
        let store = try DirectoryObjectStore(root: root, clock: clock, options: .init(notifications: rules, notificationQueue: queue))
        try store.createBucket("in")
        #expect(throws: ObjectStoreError.self) { try store.put(Data("1".utf8), bucket: "in", key: "a") }
        #expect(throws: ObjectStoreError.self) { try store.put(Data("2".utf8), bucket: "in", key: "b") }
        #expect(try queue.pull("jobs", maxMessages: 10).map { $0.attributes["objectId"] } == ["a", "b"])
        // Events for the missing topic are reported once, not retried on every later write.
        let fixed = try DirectoryObjectStore(root: root, clock: clock, options: .init(
            notifications: [ObjectNotificationRule(bucket: "in", topic: "uploads")], notificationQueue: queue))
        try fixed.put(Data("3".utf8), bucket: "in", key: "c")
        #expect(try store.get(bucket: "in", key: "b").data == Data("2".utf8))  // reads do not fail over it
        // Reopening works, with the bad rule or without it.
        _ = try DirectoryObjectStore(root: root, clock: clock, options: .init(notifications: rules, notificationQueue: queue))
        _ = try DirectoryObjectStore(root: root, clock: clock, options: .init(notificationQueue: queue))
    }

    @Test func anEventWhosePublishFailedIsKeptAndDeliveredByTheNextOpen() throws {
        let folder = try TemporaryFolder()
        let clock = VirtualClock()
        let queuePath = folder.path + "/queue.sqlite"
        let setup = try SQLiteMessageQueue(path: queuePath, clock: clock)
        try setup.createTopic("uploads", options: TopicOptions(deduplicationWindow: .seconds(600)))
        try setup.createSubscription("jobs", topic: "uploads")
        let rules = [ObjectNotificationRule(bucket: "in", topic: "uploads")]
        let root = folder.url.appendingPathComponent("objects")

        // Every publish fails: the put commits, reports the failed notification, and keeps it.
        let failing = try SQLiteMessageQueue(path: queuePath, clock: clock, faults: FaultPlan(seed: 1, rates: [.publishFailure: 1]))
        let first = try DirectoryObjectStore(root: root, clock: clock, options: .init(notifications: rules, notificationQueue: failing))
        try first.createBucket("in")
        #expect(throws: ObjectStoreError.self) { try first.put(Data("1".utf8), bucket: "in", key: "a.csv") }
        #expect(try first.get(bucket: "in", key: "a.csv").data == Data("1".utf8))
        // A write with no events of its own does not fail over an older event still waiting.
        try first.createBucket("out")
        try first.put(Data("z".utf8), bucket: "out", key: "z")
        #expect(try setup.pull("jobs", maxMessages: 10).isEmpty)

        // Another process opening the store with a working queue delivers it, exactly once.
        let healthy = try SQLiteMessageQueue(path: queuePath, clock: clock)
        let second = try DirectoryObjectStore(root: root, clock: clock, options: .init(notifications: rules, notificationQueue: healthy))
        try second.put(Data("2".utf8), bucket: "in", key: "b.csv")
        let messages = try setup.pull("jobs", maxMessages: 10)
        #expect(messages.map { $0.attributes["objectId"] } == ["a.csv", "b.csv"])
        #expect(messages.map { $0.attributes["eventType"] } == ["OBJECT_FINALIZE", "OBJECT_FINALIZE"])

        // A repeat of a delivered event (a process killed before clearing its outbox row) is
        // dropped by the topic's deduplication window.
        let generation = try #require(messages.first?.attributes["objectGeneration"].flatMap { Int64($0) })
        let repeatID = second.notificationDeduplicationID(.finalize, generation: generation)
        #expect(repeatID == first.notificationDeduplicationID(.finalize, generation: generation))  // same store
        let other = try DirectoryObjectStore(root: folder.url.appendingPathComponent("other"), clock: clock)
        #expect(other.notificationDeduplicationID(.finalize, generation: generation) != repeatID)
        try healthy.publish(OutgoingMessage(data: Data(), deduplicationID: repeatID), to: "uploads")
        try setup.ack("jobs", ackIDs: messages.map(\.ackID))
        #expect(try setup.pull("jobs", maxMessages: 10).isEmpty)
    }
}

@Suite struct ObjectFaultAndLedgerTests {
    @Test func seededFaultsRepeatAndTheLedgerCounts() throws {
        struct Outcome: Equatable {
            var failedPuts: [Int] = []
            var failedGets: [Int] = []
            var puts = 0
            var gets = 0
            var injected: [FaultKind: Int] = [:]
            var ledger: LedgerSnapshot?
        }
        func run() throws -> Outcome {
            let ledger = OperationLedger()
            let faults = FaultPlan(seed: 42, rates: [.objectStoreError: 0.3, .objectStoreLatency: 0.2])
            let fixture = try StoreFixture(options: .init(faults: faults, ledger: ledger))
            var outcome = Outcome()
            for index in 0..<50 {
                do {
                    try fixture.store.put(Data(repeating: 1, count: 10), bucket: "in", key: "k\(index % 5)")
                    outcome.puts += 1
                } catch ObjectStoreError.injectedFault {
                    outcome.failedPuts.append(index)
                    continue
                }
                do {
                    _ = try fixture.store.get(bucket: "in", key: "k\(index % 5)")
                    outcome.gets += 1
                } catch ObjectStoreError.injectedFault {
                    outcome.failedGets.append(index)
                }
            }
            outcome.injected = faults.injectedCounts
            outcome.ledger = ledger.snapshot()
            return outcome
        }
        let first = try run()
        #expect(try run() == first)  // same seed, same faults, same counts
        // Both kinds of fault fired, on both operations, but not on everything.
        #expect(!first.failedPuts.isEmpty && !first.failedGets.isEmpty)
        #expect(first.puts + first.failedPuts.count == 50 && first.gets + first.failedGets.count == first.puts)
        #expect(first.puts >= 20 && first.gets >= 10)
        let errors = try #require(first.injected[.objectStoreError])
        let latencies = try #require(first.injected[.objectStoreLatency])
        #expect(errors == first.failedPuts.count + first.failedGets.count)
        // The ledger counts exactly what happened, and nothing else.
        let expected: [OperationKind: Int64] = [
            .objectWrites: Int64(first.puts), .objectReads: Int64(first.gets),
            .objectBytesStored: Int64(first.puts * 10), .objectBytesTransferred: Int64(first.gets * 10),
            .faultsInjected: Int64(errors + latencies), .objectInjectedLatencyMilliseconds: Int64(latencies * 200),
        ]
        let ledger = try #require(first.ledger)
        #expect(ledger.entries.map(\.kind) == expected.keys.sorted())
        for (kind, count) in expected { #expect(ledger[kind] == count, "\(kind)") }
    }
}

@Suite struct ObjectStoreConcurrencyTests {
    @Test func threadsOnTwoStoresOfOneRootRaceConditionalCreates() throws {
        let fixture = try StoreFixture()
        let other = try fixture.reopen()
        let stores = [fixture.store, other]
        let wins = OrderLog()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for round in 0..<25 {
                do {
                    try stores[worker % 2].put(Data("\(worker)".utf8), bucket: "in", key: "race/\(round)",
                                               options: PutOptions(preconditions: .doesNotExist))
                    wins.append("\(round)")
                } catch ObjectStoreError.preconditionFailed {
                } catch {
                    wins.append("error \(error)")
                }
            }
        }
        #expect(wins.entries.sorted() == (0..<25).map(String.init).sorted())
        #expect(try fixture.store.list(bucket: "in", options: ListOptions(prefix: "race/")).objects.count == 25)
    }
}

@Suite struct ObjectListingErrorTests {
    @Test func aForgedPageTokenIsAClearError() throws {
        let fixture = try StoreFixture()
        #expect(throws: ObjectStoreError.invalidPageToken("bm9wZQ==")) {
            try fixture.store.list(bucket: "in", options: ListOptions(pageToken: "bm9wZQ=="))
        }
        #expect(throws: ObjectStoreError.bucketNotFound(bucket: "missing")) { try fixture.store.list(bucket: "missing") }
    }
}

@Suite struct ObjectKeyBytesTests {
    /// "dé" precomposed (NFC) and decomposed (NFD): equal as Swift strings, different keys.
    static let composed = "d\u{E9}"
    static let decomposed = "de\u{301}"

    @Test func canonicallyEquivalentKeysStayApartInListings() throws {
        #expect(Self.composed == Self.decomposed)  // why bytes must be compared
        let fixture = try StoreFixture()
        try fixture.store.put(Data("1".utf8), bucket: "in", key: Self.composed + "/a")
        try fixture.store.put(Data("2".utf8), bucket: "in", key: Self.decomposed + "/a")
        let rolled = try fixture.store.list(bucket: "in", options: ListOptions(delimiter: "/"))
        #expect(rolled.commonPrefixes.map { Array($0.utf8) }
                == [Array((Self.composed + "/").utf8), Array((Self.decomposed + "/").utf8)].sorted { $0.lexicographicallyPrecedes($1) })
        #expect(try fixture.store.list(bucket: "in").objects.count == 2)
    }

    @Test func canonicallyEquivalentHandDroppedFilesAreBothAdopted() throws {
        let fixture = try StoreFixture()
        for (name, text) in [(Self.composed, "1"), (Self.decomposed, "2")] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: fixture.bucketPath + "/" + name))
        }
        let listed = try fixture.store.list(bucket: "in").objects
        #expect(Set(listed.map { Array($0.key.utf8) }) == [Array(Self.composed.utf8), Array(Self.decomposed.utf8)])
        #expect(try fixture.store.get(bucket: "in", key: Self.decomposed).data == Data("2".utf8))
        #expect(try fixture.store.get(bucket: "in", key: Self.composed).data == Data("1".utf8))
    }
}
