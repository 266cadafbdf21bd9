import Crypto
import Foundation
import LocalCloud
import Testing
import TestSupport
import Wire

/// The `ObjectStore` contract, run against three configurations: `DirectoryObjectStore`,
/// `S3ObjectStore` → `rehearse cloud serve`, and `S3ObjectStore` → `moto_server` (an unversioned
/// bucket, as AWS, MinIO and moto make by default).
///
/// Each check names the capabilities it needs (`StoreCapability`). Where a backend lacks one,
/// the check is not skipped: it asserts what the driver does instead — refuses the call with
/// `S3ObjectStoreError.unsupported`, or behaves as docs/wire.md documents (content generations).
/// Each check gets a fresh bucket; the servers listen on 127.0.0.1 at a free port, are used once
/// they are ready (the "listening on" line; moto's port accepting) and are stopped by pid.
@Suite struct ObjectStoreConformanceTests {
    @Test("DirectoryObjectStore keeps the contract", .timeLimit(.minutes(1)))
    func directory() throws {
        try ConformanceTarget.run(.directory)
    }

    @Test("S3ObjectStore → rehearse cloud serve keeps the contract", .timeLimit(.minutes(2)))
    func cloudServe() throws {
        try ConformanceTarget.run(.cloudServe)
    }

    @Test("S3ObjectStore → moto keeps the contract, refusing what an unversioned bucket lacks",
          .enabled(if: MotoParity.isInstalled, "moto_server is not installed (scripts/setup installs it)"),
          .timeLimit(.minutes(2)))
    func moto() throws {
        try ConformanceTarget.run(.moto)
    }
}

/// What a check may need beyond the basic contract.
enum StoreCapability: Hashable, CaseIterable {
    /// Noncurrent generations can be read, and `generations()` lists them.
    case generationHistory
    /// Every write is a new generation, even of the same bytes (else: content generations).
    case writeGenerations
    /// Listings carry content type and user metadata.
    case listMetadata
    /// Of racing conditional writers exactly one wins (moto checks and writes without a lock).
    case atomicConditionalWrites
}

enum StoreBackend: String, Sendable {
    case directory = "DirectoryObjectStore"
    case cloudServe = "rehearse cloud serve"
    case moto = "moto"

    var capabilities: Set<StoreCapability> {
        switch self {
        case .directory, .cloudServe: Set(StoreCapability.allCases)
        case .moto: []
        }
    }
}

/// One backend, started, with the store that drives it.
final class ConformanceTarget: @unchecked Sendable {
    let backend: StoreBackend
    let store: any ObjectStore
    private let folder: URL
    private let server: ChildProcess?
    private let moto: MotoServer?
    private var buckets = 0

    init(_ backend: StoreBackend) throws {
        self.backend = backend
        folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let credentials = SigV4Credentials(accessKeyID: "test", secretAccessKey: "test")
        switch backend {
        case .directory:
            server = nil
            moto = nil
            // As a sandbox keeps it (and so `rehearse cloud serve`): three noncurrent generations.
            store = try DirectoryObjectStore(root: folder.appendingPathComponent("root"), clock: SystemClock(),
                                             options: .init(noncurrentGenerationsKept: 3))
        case .cloudServe:
            let process = try ChildProcess(try rehearseURL(), ["cloud", "serve", "--root", folder.appendingPathComponent("root").path,
                                                               "--port", "0"])
            server = process
            moto = nil
            let line = process.firstLine()
            guard let url = line.wholeMatch(of: /listening on (http:\/\/127\.0\.0\.1:[0-9]+)/)?.1 else {
                _ = process.stop()
                throw MotoFailure("rehearse cloud serve did not start: \(line)")
            }
            store = try S3ObjectStore(endpoint: String(url), credentials: credentials)
        case .moto:
            let started = try MotoServer(log: folder.appendingPathComponent("moto.log"))
            server = nil
            moto = started
            try started.waitUntilReady()
            store = try S3ObjectStore(endpoint: started.url, credentials: credentials)
        }
    }

    func stop() {
        if let server, server.process.isRunning { _ = server.stop() }
        moto?.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// A new, empty bucket (S3's naming rules).
    func freshBucket() throws -> String {
        buckets += 1
        let name = "conformance-\(buckets)-\(UUID().uuidString.prefix(8).lowercased())"
        try store.createBucket(name)
        return name
    }

    /// Runs every check against `backend`, each in a fresh bucket; a failing check is recorded
    /// under its name and the others still run.
    static func run(_ backend: StoreBackend) throws {
        let target = try ConformanceTarget(backend)
        defer { target.stop() }
        for check in ConformanceCheck.all {
            do {
                let context = ConformanceContext(store: target.store, bucket: try target.freshBucket(), backend: backend,
                                                  check: check.name)
                try check.run(context, backend.capabilities.isSuperset(of: check.needs))
            } catch {
                Issue.record("\(backend.rawValue) — \(check.name): \(error)")
            }
        }
    }
}

/// What a check works with.
struct ConformanceContext: Sendable {
    let store: any ObjectStore
    let bucket: String
    let backend: StoreBackend
    let check: String

    func has(_ capability: StoreCapability) -> Bool { backend.capabilities.contains(capability) }

    @discardableResult
    func put(_ text: String, _ key: String, _ preconditions: Preconditions = Preconditions(),
             contentType: String = "text/plain", metadata: [String: String] = [:]) throws -> ObjectMetadata {
        try store.put(Data(text.utf8), bucket: bucket, key: key,
                      options: PutOptions(contentType: contentType, userMetadata: metadata, preconditions: preconditions))
    }

    func text(_ key: String, generation: Int64? = nil) throws -> String {
        String(decoding: try store.get(bucket: bucket, key: key, generation: generation).data, as: UTF8.self)
    }

    /// Expects `body` to fail with `preconditionFailed`.
    func expectPreconditionFailure(_ what: String, _ body: () throws -> Void,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("\(backend.rawValue) — \(check): \(what) succeeded; expected preconditionFailed", sourceLocation: sourceLocation)
        } catch ObjectStoreError.preconditionFailed {
        } catch {
            Issue.record("\(backend.rawValue) — \(check): \(what) threw \(error); expected preconditionFailed", sourceLocation: sourceLocation)
        }
    }

    /// Expects `body` to fail with `objectNotFound`.
    func expectNotFound(_ what: String, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("\(backend.rawValue) — \(check): \(what) succeeded; expected objectNotFound", sourceLocation: sourceLocation)
        } catch ObjectStoreError.objectNotFound {
        } catch {
            Issue.record("\(backend.rawValue) — \(check): \(what) threw \(error); expected objectNotFound", sourceLocation: sourceLocation)
        }
    }

    /// Expects the driver to refuse `body` clearly: `S3ObjectStoreError.unsupported` whose
    /// message contains `words`.
    func expectRefused(_ what: String, mentioning words: String, _ body: () throws -> Void,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("\(backend.rawValue) — \(check): \(what) succeeded; expected a refusal", sourceLocation: sourceLocation)
        } catch let error as S3ObjectStoreError {
            guard case .unsupported = error, error.description.contains(words) else {
                Issue.record("\(backend.rawValue) — \(check): \(what) threw \(error); expected unsupported mentioning \"\(words)\"",
                             sourceLocation: sourceLocation)
                return
            }
        } catch {
            Issue.record("\(backend.rawValue) — \(check): \(what) threw \(error); expected S3ObjectStoreError.unsupported",
                         sourceLocation: sourceLocation)
        }
    }

    func expect(_ condition: Bool, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if !condition { Issue.record("\(backend.rawValue) — \(check): \(what)", sourceLocation: sourceLocation) }
    }
}

/// One clause of the contract.
struct ConformanceCheck: Sendable {
    let name: String
    /// The capabilities it needs; without them `run` gets `false` and checks the refusal.
    let needs: Set<StoreCapability>
    let run: @Sendable (ConformanceContext, _ supported: Bool) throws -> Void

    static func md5(_ text: String) -> String {
        Insecure.MD5.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static let all: [ConformanceCheck] = [
        ConformanceCheck(name: "buckets are made, listed, and deleted only when empty", needs: []) { context, _ in
            let store = context.store, bucket = context.bucket
            try store.createBucket(bucket)  // again: no error
            context.expect(try store.bucketNames().contains(bucket), "bucketNames lacks \(bucket)")
            try context.put("x", "a.txt")
            #expect(throws: ObjectStoreError.bucketNotEmpty(bucket: bucket)) { try store.deleteBucket(bucket) }
            try store.delete(bucket: bucket, key: "a.txt")
            try store.deleteBucket(bucket)
            context.expect(try !store.bucketNames().contains(bucket), "a deleted bucket is still listed")
            #expect(throws: ObjectStoreError.bucketNotFound(bucket: bucket)) { try store.list(bucket: bucket) }
        },
        ConformanceCheck(name: "put, get and head round-trip bytes and metadata", needs: []) { context, _ in
            let store = context.store, bucket = context.bucket
            let body = "id,text\n1,good\n"
            let put = try context.put(body, "in/a b+c.csv", contentType: "text/csv", metadata: ["source": "conformance"])
            context.expect(put.size == 15 && put.etag == md5(body) && put.generation > 0 && put.isCurrent, "put answered \(put)")
            let got = try store.get(bucket: bucket, key: "in/a b+c.csv")
            context.expect(String(decoding: got.data, as: UTF8.self) == body, "get returned other bytes")
            for metadata in [got.metadata, try store.head(bucket: bucket, key: "in/a b+c.csv")] {
                context.expect(metadata.generation == put.generation && metadata.etag == put.etag && metadata.size == 15
                                   && metadata.contentType == "text/csv" && metadata.userMetadata == ["source": "conformance"]
                                   && metadata.isCurrent && metadata.key == "in/a b+c.csv",
                               "read metadata \(metadata) differs from the put's \(put)")
            }
            context.expectNotFound("get of a missing key") { _ = try store.get(bucket: bucket, key: "in/missing.csv") }
            context.expectNotFound("head of a missing key") { _ = try store.head(bucket: bucket, key: "in/missing.csv") }
            #expect(throws: ObjectStoreError.bucketNotFound(bucket: bucket + "-missing")) {
                try store.put(Data("x".utf8), bucket: bucket + "-missing", key: "a.txt")
            }
        },
        ConformanceCheck(name: "every write of new bytes is a new generation; rewriting the same bytes",
                         needs: [.writeGenerations]) { context, supported in
            let first = try context.put("one", "k.txt"), second = try context.put("two", "k.txt")
            context.expect(first.generation != second.generation, "new bytes kept generation \(first.generation)")
            context.expect(try context.store.head(bucket: context.bucket, key: "k.txt").generation == second.generation,
                           "head does not name the latest write")
            let again = try context.put("two", "k.txt")
            if supported {
                context.expect(again.generation != second.generation, "a rewrite kept generation \(again.generation)")
            } else {
                // Content generations (docs/wire.md): the same bytes are the same generation.
                context.expect(again.generation == second.generation, "content generation changed without a change of bytes")
            }
        },
        ConformanceCheck(name: "a put above the multipart threshold lands whole, with its metadata and preconditions", needs: []) { context, _ in
            let store = context.store, bucket = context.bucket
            // Two parts for S3 (8 MiB and the rest); bytes that differ by position, so a part out of place shows.
            let size = S3ObjectStore.multipartThreshold + 1_234_567
            let data = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 13) })
            let put = try store.put(data, bucket: bucket, key: "big/blob.bin",
                                    options: PutOptions(contentType: "application/octet-stream", userMetadata: ["rows": "many"],
                                                        preconditions: .doesNotExist))
            let read = try store.get(bucket: bucket, key: "big/blob.bin")
            context.expect(read.data == data, "get returned \(read.data.count) bytes, not the \(size) put")
            context.expect(read.metadata.etag == put.etag && read.metadata.generation == put.generation && put.size == Int64(size)
                               && read.metadata.contentType == "application/octet-stream" && read.metadata.userMetadata == ["rows": "many"],
                           "read \(read.metadata), put answered \(put)")
            if context.backend != .directory {
                // S3's ETag of an upload in parts: the MD5 of the parts' MD5s, then "-" and the count.
                let partMD5s = [data.prefix(S3ObjectStore.multipartThreshold), data.dropFirst(S3ObjectStore.multipartThreshold)]
                    .reduce(into: Data()) { $0.append(contentsOf: Insecure.MD5.hash(data: $1)) }
                let expected = Insecure.MD5.hash(data: partMD5s).map { String(format: "%02x", $0) }.joined() + "-2"
                context.expect(put.etag == expected, "ETag \(put.etag), expected \(expected)")
            }
            context.expectPreconditionFailure("a second large create") {
                try store.put(Data(data.reversed()), bucket: bucket, key: "big/blob.bin", options: PutOptions(preconditions: .doesNotExist))
            }
            context.expect(try store.get(bucket: bucket, key: "big/blob.bin").data == data, "the losing large create changed the object")
            let replaced = try store.put(Data(data.reversed()), bucket: bucket, key: "big/blob.bin",
                                         options: PutOptions(preconditions: Preconditions(ifGenerationMatch: put.generation)))
            context.expect(replaced.generation != put.generation, "a large rewrite kept generation \(put.generation)")
            context.expect(try store.get(bucket: bucket, key: "big/blob.bin").data == Data(data.reversed()), "the large rewrite did not land")
        },
        ConformanceCheck(name: "ifGenerationMatch 0 creates only once", needs: []) { context, _ in
            try context.put("first", "once.txt", .doesNotExist)
            context.expectPreconditionFailure("a second create") { try context.put("second", "once.txt", .doesNotExist) }
            context.expect(try context.text("once.txt") == "first", "the losing create changed the object")
        },
        ConformanceCheck(name: "ifGenerationMatch: the current generation wins, a stale or missing one fails", needs: []) { context, _ in
            let first = try context.put("v1", "m.txt")
            let second = try context.put("v2", "m.txt", Preconditions(ifGenerationMatch: first.generation))
            context.expectPreconditionFailure("a write on a stale generation") {
                try context.put("v3", "m.txt", Preconditions(ifGenerationMatch: first.generation))
            }
            context.expect(try context.text("m.txt") == "v2", "a failed write changed the object")
            try context.put("v4", "m.txt", Preconditions(ifGenerationMatch: second.generation))
            context.expectPreconditionFailure("a generation match on a missing key") {
                try context.put("x", "absent.txt", Preconditions(ifGenerationMatch: second.generation))
            }
        },
        ConformanceCheck(name: "ifGenerationNotMatch: 0 needs the object, a generation must not be current", needs: []) { context, _ in
            context.expectPreconditionFailure("a must-exist write on a missing key") {
                try context.put("x", "n.txt", Preconditions(ifGenerationNotMatch: 0))
            }
            let first = try context.put("v1", "n.txt")
            try context.put("v2", "n.txt", Preconditions(ifGenerationNotMatch: 0))
            let current = try context.store.head(bucket: context.bucket, key: "n.txt")
            context.expectPreconditionFailure("a write excluding the current generation") {
                try context.put("v3", "n.txt", Preconditions(ifGenerationNotMatch: current.generation))
            }
            try context.put("v4", "n.txt", Preconditions(ifGenerationNotMatch: first.generation))
            context.expect(try context.text("n.txt") == "v4", "the allowed write did not land")
        },
        ConformanceCheck(name: "delete removes the object; a stale precondition or a missing key fails", needs: []) { context, _ in
            let store = context.store, bucket = context.bucket
            let first = try context.put("v1", "d.txt"), second = try context.put("v2", "d.txt")
            context.expectPreconditionFailure("a delete on a stale generation") {
                try store.delete(bucket: bucket, key: "d.txt", preconditions: Preconditions(ifGenerationMatch: first.generation))
            }
            try store.delete(bucket: bucket, key: "d.txt", preconditions: Preconditions(ifGenerationMatch: second.generation))
            context.expectNotFound("head after delete") { _ = try store.head(bucket: bucket, key: "d.txt") }
            context.expectNotFound("deleting a missing key") { try store.delete(bucket: bucket, key: "d.txt") }
        },
        ConformanceCheck(name: "copy keeps bytes, content type and user metadata; destination preconditions apply", needs: []) { context, _ in
            let store = context.store, bucket = context.bucket
            try context.put("{\"a\":1}", "src.json", contentType: "application/json", metadata: ["owner": "ci"])
            let copied = try store.copy(from: ObjectLocation(bucket: bucket, key: "src.json"),
                                        to: ObjectLocation(bucket: bucket, key: "dst/copy.json"), preconditions: .doesNotExist)
            let read = try store.get(bucket: bucket, key: "dst/copy.json")
            context.expect(String(decoding: read.data, as: UTF8.self) == "{\"a\":1}", "the copy has other bytes")
            context.expect(read.metadata.contentType == "application/json" && read.metadata.userMetadata == ["owner": "ci"],
                           "the copy lost its metadata: \(read.metadata)")
            context.expect(copied.generation == read.metadata.generation && copied.etag == read.metadata.etag,
                           "copy answered \(copied), the copy is \(read.metadata)")
            context.expectPreconditionFailure("a copy onto an existing key with doesNotExist") {
                try store.copy(from: ObjectLocation(bucket: bucket, key: "src.json"),
                               to: ObjectLocation(bucket: bucket, key: "dst/copy.json"), preconditions: .doesNotExist)
            }
            context.expectNotFound("a copy of a missing key") {
                try store.copy(from: ObjectLocation(bucket: bucket, key: "nothing.json"),
                               to: ObjectLocation(bucket: bucket, key: "dst/other.json"), preconditions: Preconditions())
            }
        },
        ConformanceCheck(name: "list: prefix, delimiter, start-after, pages, and generations get accepts", needs: [.listMetadata]) { context, supported in
            let store = context.store, bucket = context.bucket
            let keys = ["a/1.txt", "a/2.txt", "b/1.txt", "b/2/x.txt", "c.txt"]
            for key in keys { try context.put("body of \(key)", key, metadata: ["k": "v"]) }
            let keysOf = { (listing: ObjectListing) in listing.objects.map(\.key) }
            context.expect(keysOf(try store.list(bucket: bucket, options: ListOptions(prefix: "a/"))) == ["a/1.txt", "a/2.txt"],
                           "prefix listing")
            let rolled = try store.list(bucket: bucket, options: ListOptions(delimiter: "/"))
            context.expect(keysOf(rolled) == ["c.txt"] && rolled.commonPrefixes == ["a/", "b/"], "delimiter listing \(rolled)")
            context.expect(keysOf(try store.list(bucket: bucket, options: ListOptions(startAfter: "a/2.txt")))
                               == ["b/1.txt", "b/2/x.txt", "c.txt"], "start-after listing")
            var seen: [String] = []
            var token: String?
            var pages = 0
            repeat {
                let page = try store.list(bucket: bucket, options: ListOptions(pageToken: token, maxKeys: 2))
                context.expect(page.objects.count <= 2, "a page of \(page.objects.count) objects for maxKeys 2")
                seen += keysOf(page)
                token = page.nextPageToken
                pages += 1
            } while token != nil && pages < 10
            context.expect(seen == keys, "pages listed \(seen)")
            for listed in try store.list(bucket: bucket).objects {
                // What a batch job does: read exactly the generation it listed.
                context.expect(try context.text(listed.key, generation: listed.generation) == "body of \(listed.key)",
                               "get by the listed generation of \(listed.key)")
                let head = try store.head(bucket: bucket, key: listed.key)
                context.expect(listed.generation == head.generation && listed.etag == head.etag && listed.size == head.size,
                               "listed \(listed) but head says \(head)")
                if supported {
                    context.expect(listed.contentType == "text/plain" && listed.userMetadata == ["k": "v"], "listed metadata \(listed)")
                } else {
                    // S3 listings carry neither: empty, never guessed.
                    context.expect(listed.contentType == "" && listed.userMetadata.isEmpty, "listed metadata \(listed)")
                }
            }
            #expect(throws: ObjectStoreError.self) { try store.list(bucket: bucket, options: ListOptions(maxKeys: 0)) }
        },
        ConformanceCheck(name: "noncurrent generations can be read and listed", needs: [.generationHistory]) { context, supported in
            let store = context.store, bucket = context.bucket
            let first = try context.put("v1", "h.txt"), second = try context.put("v2", "h.txt")
            context.expect(try context.text("h.txt", generation: second.generation) == "v2", "get of the current generation by number")
            context.expect(try store.head(bucket: bucket, key: "h.txt", generation: second.generation).isCurrent, "current isCurrent")
            if supported {
                let old = try store.get(bucket: bucket, key: "h.txt", generation: first.generation)
                context.expect(String(decoding: old.data, as: UTF8.self) == "v1" && !old.metadata.isCurrent
                                   && old.metadata.generation == first.generation, "noncurrent read \(old.metadata)")
                context.expect(try store.head(bucket: bucket, key: "h.txt", generation: first.generation).etag == md5("v1"),
                               "noncurrent head")
                let generations = try store.generations(bucket: bucket, key: "h.txt")
                context.expect(generations.map(\.generation).prefix(2) == [second.generation, first.generation]
                                   && generations.first?.isCurrent == true && generations.dropFirst().allSatisfy { !$0.isCurrent },
                               "generations \(generations)")
                context.expectNotFound("a generation that never was") {
                    _ = try store.get(bucket: bucket, key: "h.txt", generation: second.generation + 1_000_000)
                }
            } else {
                context.expectRefused("get of a noncurrent generation", mentioning: "only the current generation") {
                    _ = try store.get(bucket: bucket, key: "h.txt", generation: first.generation)
                }
                context.expectRefused("head of a noncurrent generation", mentioning: "only the current generation") {
                    _ = try store.head(bucket: bucket, key: "h.txt", generation: first.generation)
                }
                context.expectRefused("generations()", mentioning: "keeps no generations") {
                    _ = try store.generations(bucket: bucket, key: "h.txt")
                }
            }
        },
        ConformanceCheck(name: "of racing conditional writers exactly one wins", needs: [.atomicConditionalWrites]) { context, supported in
            for round in 0..<4 {
                let key = "race-\(round).txt"
                let base = try context.put("base", key)
                let wins = RaceCounter(0)
                let texts = ["writer A \(round)", "writer B \(round)"]
                DispatchQueue.concurrentPerform(iterations: 2) { index in
                    if (try? context.put(texts[index], key, Preconditions(ifGenerationMatch: base.generation))) != nil { wins.add(1) }
                }
                let final = try context.text(key)
                if supported {
                    context.expect(wins.value == 1, "round \(round): \(wins.value) writers won")
                } else {
                    context.expect(wins.value >= 1, "round \(round): no writer won")
                }
                context.expect(texts.contains(final), "round \(round): the object holds \(final)")
            }
        },
    ]
}

/// A counter shared by racing threads.
final class RaceCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int
    init(_ count: Int) { self.count = count }
    func add(_ amount: Int) { lock.withLock { count += amount } }
    var value: Int { lock.withLock { count } }
}
