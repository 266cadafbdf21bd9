import Determinism
import Foundation
import Synchronization

/// The embedded object store: buckets are folders, objects are plain files at their key's path,
/// and metadata lives in a SQLite index beside them.
///
/// Layout under `root`:
/// - `buckets/<bucket>/<key>`: the current bytes of each object, readable by people and tools.
/// - `objects.sqlite`: the index (generation, size, ETag, content type, user metadata, times).
/// - `generations/<bucket>/<generation>`: bytes of kept noncurrent generations.
/// - `tmp/<pid>-<n>.tmp`: files being written. Where the file system allows, a put fills an
///   unnamed file made in `tmp/` ahead of need on a background queue (`Options.reservedFiles`),
///   then names it there.
///
/// **Writes are atomic.** A put writes a temporary file, then — holding SQLite's write lock —
/// checks preconditions, renames the file into place and records the new generation. A process
/// killed at any point leaves the old object or the new one, never a torn one: the rename is
/// atomic, and an index row that does not match its file (by inode, size and mtime) is repaired
/// from the file on the next access or open. Since the write lock is taken across processes, two
/// racing writers with the same precondition cannot both succeed. With `Options.durable` files,
/// folders and commits are also fsynced, for power-loss durability.
///
/// **Hand-dropped files.** A file copied into a bucket folder by another tool is an object: the
/// next get, head or list sees that the index does not know it (or that it changed) and records
/// it as a new generation with fresh metadata (and a finalize notification). A file removed by
/// hand disappears from the index the same way. (A list continued with a page token does not
/// look at the folders again: its first page did.)
///
/// **Notifications.** Finalize and delete events that match `Options.notifications` are written
/// to an outbox in the index in the same transaction as the change, then published to
/// `Options.notificationQueue`; one left behind by a killed process or a failed publish goes
/// out with the next write that has events of its own, or the next open (at least once, in
/// order per topic; see
/// `deliverNotifications(reporting:)`). Only a write whose own events cannot be published
/// reports `notificationFailed`.
///
/// **`a` and `a/b`.** Object stores allow both keys at once; a folder tree cannot. This store
/// refuses the second with `ObjectStoreError.keyConflict` (putting `a/b` while `a` is an object,
/// or `a` while objects exist under `a/`). Deleting the last object under `a/` removes the empty
/// folders, after which `a` can be written.
///
/// **Keys stay inside their bucket.** Keys are validated (see `ObjectNaming`) and no symlink on
/// a key's path is followed, so nothing outside `root` is read or written.
///
/// Thread-safe and multi-process safe.
///
/// `@unchecked Sendable` because the index (`ObjectIndex` over a `SQLiteDatabase`, a C handle
/// with a statement cache) is not `Sendable`: every use of it is inside `lock`, and no row or
/// statement escapes the lock; everything else is immutable after `init`.
public final class DirectoryObjectStore: ObjectStore, @unchecked Sendable {
    /// How the store behaves.
    public struct Options: Sendable {
        /// How many noncurrent generations to keep per key (0 = none), for gets by generation.
        public var noncurrentGenerationsKept: Int
        /// fsync files, folders and commits (slower; survives power loss, not just killed processes).
        public var durable: Bool
        /// Faults to inject (transient errors, latency); none by default.
        public var faults: FaultPlan
        /// Where operations are counted, if anywhere.
        public var ledger: OperationLedger?
        /// Which object events to publish, and the queue to publish them to.
        public var notifications: [ObjectNotificationRule]
        public var notificationQueue: (any MessageQueue)?
        /// How many empty files to make ahead of puts, on a background queue, once the store
        /// first writes (0: each put makes its own; see `UnnamedFileReserve`).
        public var reservedFiles: Int

        public init(noncurrentGenerationsKept: Int = 0, durable: Bool = false, faults: FaultPlan = .none,
                    ledger: OperationLedger? = nil, notifications: [ObjectNotificationRule] = [],
                    notificationQueue: (any MessageQueue)? = nil, reservedFiles: Int = 8) {
            self.noncurrentGenerationsKept = noncurrentGenerationsKept
            self.durable = durable
            self.faults = faults
            self.ledger = ledger
            self.notifications = notifications
            self.notificationQueue = notificationQueue
            self.reservedFiles = reservedFiles
        }
    }

    /// The folder holding the whole store.
    public let root: URL
    let clock: any CloudClock
    let options: Options
    let bucketsPath: String
    let generationsPath: String
    let temporaryPath: String
    let index: ObjectIndex
    /// Unnamed files in `temporaryPath`, made ahead of puts (see `UnnamedFileReserve`).
    let unnamedFiles: UnnamedFileReserve
    let lock = NSLock()
    /// Opened by `init(inspecting:)`: nothing on disk is changed.
    let isReadOnly: Bool

    /// Opens (creating if needed) the store at `root`, and repairs the index against the folders:
    /// rows whose files changed or vanished are fixed, files nobody indexed are adopted, and
    /// leftovers of killed writers are removed.
    public init(root: URL, clock: any CloudClock, options: Options = Options()) throws {
        self.root = root
        self.clock = clock
        self.options = options
        isReadOnly = false
        bucketsPath = root.path + "/buckets"
        generationsPath = root.path + "/generations"
        temporaryPath = root.path + "/tmp"
        unnamedFiles = UnnamedFileReserve(folder: temporaryPath, capacity: options.reservedFiles)
        for folder in [root.path, bucketsPath, generationsPath, temporaryPath] { try FileSystem.makeDirectories(folder) }
        index = try ObjectIndex(path: Self.indexPath(root), durable: options.durable)
        try repair()
        // Events left by a killed writer go out now; one that still fails stays for the next
        // write, and must not keep the store from opening.
        try? deliverNotifications()
    }

    /// Opens an existing store to look inside without changing anything: no folders are made,
    /// the index is opened read-only, and nothing is repaired. Reads report what the index
    /// holds; a read that finds a file differing from its index row (changed by hand, or a
    /// writer mid-put) fails with `ObjectStoreError.indexOutOfDate` instead of repairing it,
    /// and a list shows only indexed objects. Writes fail. Throws `ObjectStoreError.storeNotFound`
    /// if `root` holds no `objects.sqlite`.
    public init(inspecting root: URL) throws {
        guard FileManager.default.fileExists(atPath: Self.indexPath(root)) else {
            throw ObjectStoreError.storeNotFound(root: root.path)
        }
        self.root = root
        // Never consulted: a read-only store records no times.
        clock = VirtualClock(start: .epoch)
        options = Options()
        isReadOnly = true
        bucketsPath = root.path + "/buckets"
        generationsPath = root.path + "/generations"
        temporaryPath = root.path + "/tmp"
        unnamedFiles = UnnamedFileReserve(folder: temporaryPath, capacity: 0)
        index = try ObjectIndex(path: Self.indexPath(root), durable: false, readOnly: true)
    }

    deinit { unnamedFiles.close() }

    /// Where the index of a store rooted at `root` lives.
    public static func indexPath(_ root: URL) -> String { root.path + "/objects.sqlite" }

    // MARK: Buckets

    public func createBucket(_ name: String) throws {
        try requireWritable("createBucket")
        try ObjectNaming.validate(bucket: name)
        try FileSystem.makeDirectory(bucketsPath + "/" + name)
        try FileSystem.makeDirectory(generationsPath + "/" + name)
    }

    public func deleteBucket(_ name: String) throws {
        try requireWritable("deleteBucket")
        try ObjectNaming.validate(bucket: name)
        try requireBucket(name)
        try reconcileFolder(bucket: name, prefix: "")
        let kept = try writeTransaction { _ in
            var empty = true
            try index.forEachCurrent(bucket: name, from: "") { _ in
                empty = false
                return false
            }
            guard empty else { throw ObjectStoreError.bucketNotEmpty(bucket: name) }
            let kept = try index.noncurrentGenerations(bucket: name)
            try index.deleteAll(bucket: name)
            // The folder goes in the same transaction, under the write lock a put holds to check
            // its bucket: a put either came first (and the bucket was not empty) or finds no
            // bucket. Only empty folders go; a file put there by hand since the reconcile above
            // stays, and the bucket with it.
            guard try FileSystem.removeEmptyTree(bucketsPath + "/" + name) else { throw ObjectStoreError.bucketNotEmpty(bucket: name) }
            return kept
        }.result
        removeTrimmed(kept.sorted().map { generationPath(name, $0) })
        FileSystem.removeDirectoryIfEmpty(generationsPath + "/" + name)
    }

    public func bucketNames() throws -> [String] {
        if isReadOnly, try FileSystem.status(bucketsPath) == .missing { return [] }
        return try FileSystem.entries(bucketsPath).filter {
            (try? ObjectNaming.validate(bucket: $0)) != nil && (try? FileSystem.status(bucketsPath + "/" + $0)) == .directory
        }
    }

    // MARK: Reads

    public func get(bucket: String, key: String, generation: Int64?) throws -> StoredObject {
        try checkFaults("get", bucket: bucket, key: key)
        let object: StoredObject
        if let generation, let kept = try lock.withLock({ try index.noncurrent(bucket: bucket, key: key, generation: generation) }) {
            let data: Data
            do {
                data = try FileSystem.readFile(generationPath(bucket, generation))
            } catch ObjectStoreError.io(_, _, let code) where code == ENOENT {
                // Its file was removed by hand (repair drops the row on the next open).
                throw ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: generation)
            }
            object = StoredObject(metadata: kept, data: data)
        } else {
            object = try readCurrent(bucket: bucket, key: key, generation: generation)
        }
        options.ledger?.record(.objectReads)
        options.ledger?.record(.objectBytesTransferred, object.metadata.size)
        return object
    }

    public func head(bucket: String, key: String, generation: Int64?) throws -> ObjectMetadata {
        try checkFaults("head", bucket: bucket, key: key)
        options.ledger?.record(.objectHeads)
        if let generation, let kept = try lock.withLock({ try index.noncurrent(bucket: bucket, key: key, generation: generation) }) {
            return kept
        }
        try validate(bucket: bucket, key: key)
        let path = objectPath(bucket, key)
        for _ in 0..<5 {
            let (row, status) = try lock.withLock { (try index.current(bucket: bucket, key: key), try FileSystem.status(path)) }
            if let row, case .file(let identity) = status, identity == row.identity {
                return try matching(row.metadata, generation: generation)
            }
            guard let repaired = try reconcileWithLock(bucket: bucket, key: key) else {
                throw ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: generation)
            }
            if case .file(repaired.identity) = try FileSystem.status(path) {
                return try matching(repaired.metadata, generation: generation)
            }
        }
        throw ObjectStoreError.concurrentModification(bucket: bucket, key: key)
    }

    public func generations(bucket: String, key: String) throws -> [ObjectMetadata] {
        let current: ObjectMetadata?
        do {
            current = try head(bucket: bucket, key: key, generation: nil)
        } catch ObjectStoreError.objectNotFound {
            current = nil
        }
        let kept = try lock.withLock { try index.noncurrent(bucket: bucket, key: key) }
        return (current.map { [$0] } ?? []) + kept
    }

    /// Reads the current generation: open the file, then check its identity against the index
    /// row, so the bytes returned are exactly the generation the metadata describes.
    private func readCurrent(bucket: String, key: String, generation: Int64?) throws -> StoredObject {
        try validate(bucket: bucket, key: key)
        let path = objectPath(bucket, key)
        for _ in 0..<5 {
            if let descriptor = try FileSystem.openForReading(path) {
                defer { close(descriptor) }
                let identity = try FileSystem.identity(of: descriptor, path: path)
                let row = try lock.withLock { try index.current(bucket: bucket, key: key) }
                if let row, let identity, row.identity == identity {
                    let metadata = try matching(row.metadata, generation: generation)
                    return StoredObject(metadata: metadata, data: try FileSystem.read(descriptor, count: Int(identity.size), path: path))
                }
            }
            // The file and the index disagree: a writer is mid-put, or the file was changed by
            // hand. Repair under the write lock (which waits for any writer), then read again.
            guard try reconcileWithLock(bucket: bucket, key: key) != nil else {
                throw ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: generation)
            }
        }
        throw ObjectStoreError.concurrentModification(bucket: bucket, key: key)
    }

    private func matching(_ metadata: ObjectMetadata, generation: Int64?) throws -> ObjectMetadata {
        if let generation, generation != metadata.generation {
            throw ObjectStoreError.objectNotFound(bucket: metadata.bucket, key: metadata.key, generation: generation)
        }
        return metadata
    }

    // MARK: Writes

    @discardableResult
    public func put(_ data: Data, bucket: String, key: String, options putOptions: PutOptions) throws -> ObjectMetadata {
        try requireWritable("put")
        try checkFaults("put", bucket: bucket, key: key)
        try validate(bucket: bucket, key: key)
        let temporary = try writeTemporary(data)
        var renamed = false
        defer { if !renamed { try? FileSystem.removeFile(temporary.path) } }
        let etag = putOptions.etag ?? md5Hex(data)
        var trimmed: [String] = []
        let (metadata, notifications): (ObjectMetadata, Set<Int64>) = try writeTransaction { events in
            let (path, foldersExist) = try checkedPath(bucket: bucket, key: key, creatingFolders: false)
            let current = try reconcile(bucket: bucket, key: key, path: path, events: &events)
            try check(putOptions.preconditions, current: current?.metadata, bucket: bucket, key: key)
            if !foldersExist { _ = try checkedPath(bucket: bucket, key: key, creatingFolders: true) }
            if let current { trimmed = try keepNoncurrent(current.metadata, path: path) }
            do {
                try FileSystem.rename(temporary.path, path)
                renamed = true
            } catch ObjectStoreError.io(_, _, let code) where code == EISDIR {
                // A folder holds the key's place. An empty one (made by hand, or left by a
                // killed writer) is removed — under the write lock nobody is filling it.
                guard FileSystem.removeDirectoryIfEmpty(path) else {
                    throw ObjectStoreError.keyConflict(
                        bucket: bucket, key: key, reason: "objects exist under \"\(key)/\", so \"\(key)\" cannot also be an object")
                }
                try FileSystem.rename(temporary.path, path)
                renamed = true
            }
            if self.options.durable { try FileSystem.syncDirectory(PathText.parent(of: path)) }
            let now = clock.now
            let metadata = ObjectMetadata(
                bucket: bucket, key: key, generation: try index.nextGeneration(), size: Int64(data.count), etag: etag,
                contentType: putOptions.contentType ?? guessContentType(forKey: key),
                userMetadata: putOptions.userMetadata, created: current?.metadata.created ?? now, updated: now,
                isCurrent: true)
            try index.upsertCurrent(IndexedObject(metadata: metadata, identity: temporary.identity))
            events.append(ObjectEvent(type: .finalize, metadata: metadata))
            return metadata
        }
        removeTrimmed(trimmed)
        options.ledger?.record(.objectWrites)
        options.ledger?.record(.objectBytesStored, Int64(data.count))
        // Only a write with events of its own opens the outbox: most writes match no rule.
        if !notifications.isEmpty { try deliverNotifications(reporting: notifications) }
        return metadata
    }

    public func delete(bucket: String, key: String, preconditions: Preconditions) throws {
        try requireWritable("delete")
        try checkFaults("delete", bucket: bucket, key: key)
        try validate(bucket: bucket, key: key)
        var trimmed: [String] = []
        var unreachable = false
        let notifications = try writeTransaction { events in
            guard let path = try reachablePath(bucket: bucket, key: key, events: &events) else {
                unreachable = true  // its row was dropped, and that must commit
                return
            }
            let current = try reconcile(bucket: bucket, key: key, path: path, events: &events)
            try check(preconditions, current: current?.metadata, bucket: bucket, key: key)
            guard let current else { throw ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: nil) }
            trimmed = try keepNoncurrent(current.metadata, path: path)
            try FileSystem.removeFile(path)
            try index.deleteCurrent(bucket: bucket, key: key)
            removeEmptyFolders(above: path, bucket: bucket)
            events.append(ObjectEvent(type: .delete, metadata: current.metadata))
        }.notifications
        if unreachable {
            try? deliverNotifications()
            throw ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: nil)
        }
        removeTrimmed(trimmed)
        options.ledger?.record(.objectDeletes)
        // Only a write with events of its own opens the outbox: most writes match no rule.
        if !notifications.isEmpty { try deliverNotifications(reporting: notifications) }
    }

    @discardableResult
    public func copy(from source: ObjectLocation, to destination: ObjectLocation, preconditions: Preconditions) throws
        -> ObjectMetadata
    {
        try requireWritable("copy")
        let object = try get(bucket: source.bucket, key: source.key, generation: source.generation)
        options.ledger?.record(.objectCopies)
        return try put(object.data, bucket: destination.bucket, key: destination.key, options: PutOptions(
            contentType: object.metadata.contentType, userMetadata: object.metadata.userMetadata,
            preconditions: preconditions))
    }

    // MARK: Listing

    public func list(bucket: String, options listOptions: ListOptions) throws -> ObjectListing {
        try checkFaults("list", bucket: bucket, key: listOptions.prefix)
        try ObjectNaming.validate(bucket: bucket)
        try requireBucket(bucket)
        // The first page looks at the folders; pages continued with a token rely on that look,
        // so listing N objects in pages walks the tree once, not once per page.
        if !isReadOnly && listOptions.pageToken == nil { try reconcileFolder(bucket: bucket, prefix: listOptions.prefix) }
        options.ledger?.record(.objectLists)
        let cursor = try ListCursor(options: listOptions)
        var listing = ObjectListing(objects: [], commonPrefixes: [], nextPageToken: nil)
        var lastEntry: ListCursor.Entry?
        guard listOptions.maxKeys >= 1 else {
            throw ObjectStoreError.invalidArgument(field: "maxKeys", reason: "must be at least 1, got \(listOptions.maxKeys)")
        }
        let maxKeys = listOptions.maxKeys
        try lock.withLock {
            try index.forEachCurrent(bucket: bucket, from: listOptions.prefix) { row in
                let key = row.metadata.key
                guard key.utf8.starts(with: listOptions.prefix.utf8) else { return false }
                guard cursor.admits(key) else { return true }
                let entry: ListCursor.Entry
                if let rolledUp = ListCursor.commonPrefix(of: key, prefix: listOptions.prefix, delimiter: listOptions.delimiter) {
                    entry = .commonPrefix(rolledUp)
                    if lastEntry == entry { return true }  // by bytes: NFC and NFD prefixes stay apart
                } else {
                    entry = .key(key)
                }
                if listing.objects.count + listing.commonPrefixes.count == maxKeys {
                    listing.nextPageToken = lastEntry.map(ListCursor.token)
                    return false
                }
                switch entry {
                case .key: listing.objects.append(row.metadata)
                case .commonPrefix(let rolledUp): listing.commonPrefixes.append(rolledUp)
                }
                lastEntry = entry
                return true
            }
        }
        return listing
    }

    // MARK: Helpers

    /// The path of `key`'s file (not checked for symlinks; see `resolvedPath`).
    func objectPath(_ bucket: String, _ key: String) -> String { bucketsPath + "/" + bucket + "/" + key }

    func generationPath(_ bucket: String, _ generation: Int64) -> String {
        generationsPath + "/" + bucket + "/" + String(generation)
    }

    func validate(bucket: String, key: String) throws {
        try ObjectNaming.validate(bucket: bucket)
        try ObjectNaming.validate(key: key)
    }

    func requireBucket(_ bucket: String) throws {
        switch try FileSystem.status(bucketsPath + "/" + bucket) {
        case .directory: return
        case .symlink:
            throw ObjectStoreError.keyEscapesBucket(bucket: bucket, key: "", reason: "the bucket folder is a symbolic link")
        default: throw ObjectStoreError.bucketNotFound(bucket: bucket)
        }
    }

    /// The path of `key`'s file after checking every folder on the way: none may be a symlink
    /// (that could lead outside the root) or a file (that is the `a` vs `a/b` conflict).
    /// Missing folders are created if `creatingFolders`.
    func resolvedPath(bucket: String, key: String, creatingFolders: Bool) throws -> String {
        try checkedPath(bucket: bucket, key: key, creatingFolders: creatingFolders).path
    }

    /// `resolvedPath`, also telling whether every folder on the way exists.
    func checkedPath(bucket: String, key: String, creatingFolders: Bool) throws -> (path: String, foldersExist: Bool) {
        try requireBucket(bucket)
        var path = bucketsPath + "/" + bucket
        let segments = ObjectNaming.segments(of: key)
        for (offset, segment) in segments.dropLast().enumerated() {
            path += "/" + segment
            let folder = segments[...offset].joined(separator: "/")
            switch try FileSystem.status(path) {
            case .directory: continue
            case .missing:
                guard creatingFolders else { return (objectPath(bucket, key), false) }
                try FileSystem.makeDirectory(path)
            case .symlink:
                throw ObjectStoreError.keyEscapesBucket(bucket: bucket, key: key, reason: "\"\(folder)\" is a symbolic link")
            case .file:
                throw ObjectStoreError.keyConflict(
                    bucket: bucket, key: key, reason: "\"\(folder)\" is an object, so it cannot also be a folder")
            case .other:
                throw ObjectStoreError.keyConflict(bucket: bucket, key: key, reason: "\"\(folder)\" is not a folder")
            }
        }
        return (objectPath(bucket, key), true)
    }

    private func check(_ preconditions: Preconditions, current: ObjectMetadata?, bucket: String, key: String) throws {
        let generation = current?.generation ?? 0
        if let expected = preconditions.ifGenerationMatch, expected != generation {
            throw ObjectStoreError.preconditionFailed(
                bucket: bucket, key: key, condition: "ifGenerationMatch=\(expected)", currentGeneration: current?.generation)
        }
        if let unwanted = preconditions.ifGenerationNotMatch, unwanted == generation {
            throw ObjectStoreError.preconditionFailed(
                bucket: bucket, key: key, condition: "ifGenerationNotMatch=\(unwanted)", currentGeneration: current?.generation)
        }
    }

    /// Hard-links the current file into `generations/` and records it as noncurrent (when the
    /// store keeps history), dropping the rows of the oldest kept generations beyond the limit.
    /// Returns the files of the dropped generations, to remove once the transaction commits
    /// (removed before, a rollback would leave rows without files).
    private func keepNoncurrent(_ metadata: ObjectMetadata, path: String) throws -> [String] {
        guard options.noncurrentGenerationsKept > 0 else { return [] }
        let kept = generationPath(metadata.bucket, metadata.generation)
        try FileSystem.makeDirectory(generationsPath + "/" + metadata.bucket)
        try FileSystem.removeFile(kept)
        try FileSystem.link(path, kept)
        return try recordNoncurrent(metadata)
    }

    /// Records `metadata`'s generation, whose file is already in `generations/`, as noncurrent,
    /// dropping the rows of the oldest kept generations beyond the limit; returns their files
    /// (see `keepNoncurrent`).
    func recordNoncurrent(_ metadata: ObjectMetadata) throws -> [String] {
        let limit = options.noncurrentGenerationsKept
        var archived = metadata
        archived.isCurrent = false
        try index.insertNoncurrent(archived)
        var trimmed: [String] = []
        for old in try index.noncurrent(bucket: metadata.bucket, key: metadata.key).dropFirst(limit) {
            try index.deleteNoncurrent(bucket: old.bucket, key: old.key, generation: old.generation)
            trimmed.append(generationPath(old.bucket, old.generation))
        }
        return trimmed
    }

    /// Removes files of generations whose rows a committed transaction dropped. A file left by
    /// a failure here belongs to no row, so the next repair removes it.
    private func removeTrimmed(_ paths: [String]) {
        for path in paths { try? FileSystem.removeFile(path) }
    }

    private func removeEmptyFolders(above path: String, bucket: String) {
        let bucketPath = bucketsPath + "/" + bucket
        var folder = PathText.parent(of: path)
        while folder.count > bucketPath.count, FileSystem.removeDirectoryIfEmpty(folder) {
            folder = PathText.parent(of: folder)
        }
    }

    private func writeTemporary(_ data: Data) throws -> (path: String, identity: FileIdentity) {
        let path = "\(temporaryPath)/\(TemporaryFileNumbers.shared.processID)-\(TemporaryFileNumbers.shared.next()).tmp"
        return (path, try FileSystem.writeNewFile(path, data, durable: options.durable, reserve: unnamedFiles))
    }

    private func requireWritable(_ operation: String) throws {
        if isReadOnly { throw ObjectStoreError.readOnly(operation: operation, root: root.path) }
    }

    private func checkFaults(_ operation: String, bucket: String, key: String) throws {
        let subject = operation + " " + bucket + "/" + key
        if options.faults.shouldInject(.objectStoreLatency, subject: subject) {
            options.ledger?.record(.faultsInjected)
            options.ledger?.record(.objectInjectedLatencyMilliseconds,
                                   options.faults.objectLatency.nanosecondsClamped / 1_000_000)
        }
        if options.faults.shouldInject(.objectStoreError, subject: subject) {
            options.ledger?.record(.faultsInjected)
            throw ObjectStoreError.injectedFault(operation: operation, bucket: bucket, key: key)
        }
    }
}

/// Numbers for temporary file names, unique within the process (names also carry the pid), so
/// several stores open on the same root in one process never pick the same name.
private final class TemporaryFileNumbers: Sendable {
    static let shared = TemporaryFileNumbers()
    /// This process's id, read once (a syscall per put otherwise). Not reset by `fork()`:
    /// nothing here forks (child processes are spawned), and a forked child's clash would fail
    /// loudly (`O_EXCL`), never overwrite.
    let processID = getpid()
    private let last = Atomic<UInt64>(0)

    func next() -> UInt64 { last.add(1, ordering: .relaxed).newValue }
}
