import Foundation

/// Keeping the index true to the folders: files changed, added or removed by hand or by a
/// killed writer are noticed and recorded.
extension DirectoryObjectStore {
    /// Brings the index row of one key in line with its file; call inside a write transaction.
    /// Returns the current object afterwards (nil if there is none).
    func reconcile(bucket: String, key: String, path: String, events: inout [ObjectEvent]) throws -> IndexedObject? {
        let row = try index.current(bucket: bucket, key: key)
        if case .file(let identity) = try FileSystem.status(path) {
            if let row, row.identity == identity { return row }
            if let row { try keepGenerationOfKilledWriter(row) }
            return try adopt(bucket: bucket, key: key, path: path, previous: row, events: &events)
        }
        if let row {
            try keepGenerationOfKilledWriter(row)
            try index.deleteCurrent(bucket: bucket, key: key)
            events.append(ObjectEvent(type: .delete, metadata: row.metadata))
        }
        return nil
    }

    /// Keeps a current generation whose file was replaced or removed as noncurrent, when its
    /// bytes are still in `generations/`: a put or delete killed after linking them there (and
    /// after renaming or removing the file) but before its transaction committed. Its
    /// generation is then history, as the write would have made it, instead of lost. (Files
    /// of generations trimmed beyond the limit go at the next repair.)
    private func keepGenerationOfKilledWriter(_ row: IndexedObject) throws {
        guard options.noncurrentGenerationsKept > 0,
              case .file(let identity) = try FileSystem.status(generationPath(row.metadata.bucket, row.metadata.generation)),
              identity == row.identity
        else { return }
        _ = try recordNoncurrent(row.metadata)
    }

    /// `reconcile` in its own write transaction, notifying any events it causes. A read-only
    /// store repairs nothing: a key that neither the index nor the bucket folder holds is simply
    /// absent (nil), and any other disagreement throws `ObjectStoreError.indexOutOfDate`.
    func reconcileWithLock(bucket: String, key: String) throws -> IndexedObject? {
        if isReadOnly {
            if try isAbsentEverywhere(bucket: bucket, key: key) { return nil }
            throw ObjectStoreError.indexOutOfDate(bucket: bucket, key: key)
        }
        let object = try writeTransaction { events -> IndexedObject? in
            guard let path = try reachablePath(bucket: bucket, key: key, events: &events) else { return nil }
            return try reconcile(bucket: bucket, key: key, path: path, events: &events)
        }.result
        try? deliverNotifications()  // a read never fails over a notification; it stays queued
        return object
    }

    /// Whether `key` has no index row and no file (a folder, or a file or symlink on the way,
    /// means no file), so that a read-only store can say "not found" without repairing anything.
    /// Throws `bucketNotFound` if the bucket folder does not exist.
    private func isAbsentEverywhere(bucket: String, key: String) throws -> Bool {
        guard try lock.withLock({ try index.current(bucket: bucket, key: key) }) == nil else { return false }
        let path: String
        do {
            path = try resolvedPath(bucket: bucket, key: key, creatingFolders: false)
        } catch ObjectStoreError.keyConflict, ObjectStoreError.keyEscapesBucket {
            return true
        }
        if case .file = try FileSystem.status(path) { return false }
        return true
    }

    /// The path of `key`'s file, or nil if it cannot be there any more because a file, symlink
    /// or other non-folder now sits on the way (put there by hand): then the object is gone,
    /// and its row is dropped with a delete event. Call inside a write transaction.
    func reachablePath(bucket: String, key: String, events: inout [ObjectEvent]) throws -> String? {
        do {
            return try resolvedPath(bucket: bucket, key: key, creatingFolders: false)
        } catch ObjectStoreError.keyConflict, ObjectStoreError.keyEscapesBucket {
            if let row = try index.current(bucket: bucket, key: key) {
                try index.deleteCurrent(bucket: bucket, key: key)
                events.append(ObjectEvent(type: .delete, metadata: row.metadata))
            }
            return nil
        }
    }

    /// Records a file the index does not know (or knows in an older version) as a new
    /// generation, with metadata computed from its bytes.
    private func adopt(bucket: String, key: String, path: String, previous: IndexedObject?,
                       events: inout [ObjectEvent]) throws -> IndexedObject? {
        guard let descriptor = try FileSystem.openForReading(path) else { return nil }
        defer { close(descriptor) }
        guard let identity = try FileSystem.identity(of: descriptor, path: path) else { return nil }
        let data = try FileSystem.read(descriptor, count: Int(identity.size), path: path)
        let now = clock.now
        let metadata = ObjectMetadata(
            bucket: bucket, key: key, generation: try index.nextGeneration(), size: identity.size,
            etag: md5Hex(data),
            contentType: previous?.metadata.contentType ?? guessContentType(forKey: key), userMetadata: [:],
            created: previous?.metadata.created ?? now, updated: now, isCurrent: true)
        let object = IndexedObject(metadata: metadata, identity: identity)
        try index.upsertCurrent(object)
        events.append(ObjectEvent(type: .finalize, metadata: metadata))
        return object
    }

    /// Reconciles every file and row under the folder part of `prefix` in `bucket`.
    /// Reads first without the write lock; takes it only if something differs.
    ///
    /// Keys are matched by their UTF-8 bytes, as file names and SQLite compare them: Swift's
    /// `String` equality would make `dé` written precomposed and decomposed one key.
    func reconcileFolder(bucket: String, prefix: String) throws {
        let folder = Self.walkableFolder(of: prefix)
        var files: [KeyBytes: FileIdentity] = [:]
        try walk(bucket: bucket, folder: folder) { key, identity in
            if key.utf8.starts(with: prefix.utf8) { files[KeyBytes(key)] = identity }
        }
        var differing: Set<KeyBytes> = []
        try lock.withLock {
            try index.database.readTransaction {
                try index.forEachCurrentFile(bucket: bucket, from: prefix) { rowKey, identity in
                    guard rowKey.utf8.starts(with: prefix.utf8) else { return false }
                    let key = KeyBytes(rowKey)
                    if files.removeValue(forKey: key) != identity { differing.insert(key) }
                    return true
                }
            }
        }
        differing.formUnion(files.keys)
        guard !differing.isEmpty else { return }
        _ = try writeTransaction { events in
            for bytes in differing.map(\.bytes).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                let key = String(decoding: bytes, as: UTF8.self)
                guard let path = try reachablePath(bucket: bucket, key: key, events: &events) else { continue }
                _ = try reconcile(bucket: bucket, key: key, path: path, events: &events)
            }
        }
        try? deliverNotifications()  // a read never fails over a notification; it stays queued
    }

    /// Repairs the whole store: reconciles every bucket, drops rows of vanished buckets and
    /// noncurrent rows whose file is gone, and removes temporary files of writers that are no
    /// longer running and kept-generation files that no row refers to.
    func repair() throws {
        for bucket in try bucketNames() { try reconcileFolder(bucket: bucket, prefix: "") }
        try lock.withLock {
            try index.database.immediateTransaction {
                // Listed again under the write lock: a bucket another process created since the
                // list above (and filled — its rows commit under this lock, after its folder is
                // made) is not a vanished bucket, and its rows must stay.
                let buckets = try bucketNames()
                for bucket in try index.bucketsWithRows() where !buckets.contains(bucket) {
                    try index.deleteAll(bucket: bucket)
                }
                for bucket in buckets {
                    let kept = try index.noncurrentGenerations(bucket: bucket)
                    var files = Set<Int64>()
                    for name in try FileSystem.entries(generationsPath + "/" + bucket) {
                        if let generation = Int64(name), String(generation) == name, kept.contains(generation) {
                            files.insert(generation)
                            continue
                        }
                        try FileSystem.removeFile(generationsPath + "/" + bucket + "/" + name)
                    }
                    for generation in kept.subtracting(files).sorted() {
                        try index.deleteNoncurrent(bucket: bucket, generation: generation)
                    }
                }
            }
        }
        for name in try FileSystem.entries(temporaryPath) {
            let writer = name.split(separator: "-").first.flatMap { Int32($0) }
            if let writer, FileSystem.isProcessAlive(writer) { continue }
            try FileSystem.removeFile(temporaryPath + "/" + name)
        }
    }

    /// Calls `body` with the key and identity of every regular file under `folder` of the bucket,
    /// in no particular order, without following symlinks. Names that are not valid keys are
    /// skipped.
    private func walk(bucket: String, folder: String, _ body: (String, FileIdentity) throws -> Void) throws {
        let bucketPath = bucketsPath + "/" + bucket
        // Every folder on the way must be a real folder, not a symlink.
        var path = bucketPath
        for segment in ObjectNaming.segments(of: folder) {
            path += "/" + segment
            guard try FileSystem.status(path) == .directory else { return }
        }
        func visit(_ directory: String, keyPrefix: String) throws {
            for (name, status) in try FileSystem.entryStatuses(directory) {
                let key = keyPrefix + name
                switch status {
                case .directory: try visit(directory + "/" + name, keyPrefix: key + "/")
                case .file(let identity):
                    if (try? ObjectNaming.validate(key: key)) != nil { try body(key, identity) }
                default: continue
                }
            }
        }
        try visit(path, keyPrefix: folder.isEmpty ? "" : folder + "/")
    }

    /// The folder part of a list prefix (before its last `/`) if it is a safe relative path,
    /// else "" (walk the whole bucket and filter).
    private static func walkableFolder(of prefix: String) -> String {
        guard let slash = prefix.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        let folder = String(decoding: prefix.utf8[..<slash], as: UTF8.self)
        return (try? ObjectNaming.validate(key: folder)) != nil ? folder : ""
    }
}

/// A key as its UTF-8 bytes, for matching files with rows (see `reconcileFolder`), hashed as
/// one block of bytes rather than byte by byte.
private struct KeyBytes: Hashable {
    let bytes: [UInt8]

    init(_ key: String) { bytes = Array(key.utf8) }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
