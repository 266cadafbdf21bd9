import Crypto
import Determinism
import Dispatch
import Foundation
import LocalCloud

/// The encoded prediction lines of one chunk of rows.
struct EncodedChunk: Sendable {
    /// The JSON Lines bytes.
    var bytes: [UInt8] = []
    /// Predicted rows per label index.
    var labelCounts: [Int]

    init(labelCount: Int) { labelCounts = Array(repeating: 0, count: labelCount) }
}

/// Writes prediction shards in order on a background thread while the next shard is being
/// predicted: puts `part-NNNNN.jsonl` objects one after the other (so their generations are the
/// same on every run) with the model id as `model-id` object metadata, keeps each one's MD5 (the store's ETag), and hashes the whole stream.
///
/// The first failure — a store error, or the injected kill after `killAfterShards` shards —
/// stops all further writes and is rethrown by `finish()`.
///
/// `@unchecked Sendable` because its mutable state is guarded in ways the compiler cannot see:
/// `written` and `failure` only under `lock`; `whole` only on `queue` (and in `finish()` after
/// `queue.sync {}` has drained it). The SHA-256 state lives on a serial
/// queue because it is fed in shard order off the workers' path; a `Mutex` cannot express that.
final class ShardWriter: @unchecked Sendable {
    /// One written shard.
    struct Written {
        let key: String
        let rows: Int
        /// The MD5 (hex) the store computed as the object's ETag.
        let md5: String
    }

    private let store: any ObjectStore
    private let bucket: String
    private let folder: String
    private let job: String
    private let modelID: String
    private let killAfterShards: Int?
    private let queue = DispatchQueue(label: "rehearse.batch.shard-writer")
    private let lock = NSLock()
    private var whole = SHA256()
    private var written: [Written] = []
    private var failure: (any Error)?

    init(store: any ObjectStore, bucket: String, folder: String, job: String, modelID: String, killAfterShards: Int?) {
        self.store = store
        self.bucket = bucket
        self.folder = folder
        self.job = job
        self.modelID = modelID
        self.killAfterShards = killAfterShards
    }

    /// Whether a write failed, so producing more shards is pointless.
    var hasFailed: Bool { lock.withLock { failure != nil } }

    /// Queues the next shard: its chunks' lines, joined on the writer's thread (so the
    /// predicting threads never wait for the copy).
    func submit(_ chunks: [EncodedChunk], rows: Int) {
        queue.async { [self] in
            guard !hasFailed else { return }
            let index = lock.withLock { written.count }
            do {
                if let kill = killAfterShards, index >= kill { throw BatchJobError.killed(job: job, afterShards: index) }
                var bytes = Data(capacity: chunks.reduce(0) { $0 + $1.bytes.count })
                for chunk in chunks { bytes.append(contentsOf: chunk.bytes) }
                whole.update(data: bytes)
                let key = folder + String(format: "part-%05d.jsonl", index)
                let stored = try store.put(bytes, bucket: bucket, key: key, options: PutOptions(
                    contentType: "application/x-ndjson", userMetadata: ["model-id": modelID]))
                lock.withLock { written.append(Written(key: key, rows: rows, md5: stored.etag)) }
            } catch {
                lock.withLock { failure = error }
            }
        }
    }

    /// Waits for every queued shard; returns the shards and the SHA-256 of all of them in order.
    /// - Throws: the first failure.
    func finish() throws -> (shards: [Written], sha256: String) {
        queue.sync {}
        if let failure = lock.withLock({ failure }) { throw failure }
        if let kill = killAfterShards, written.count <= kill { throw BatchJobError.killed(job: job, afterShards: written.count) }
        return (written, Hex.string(whole.finalize()))
    }
}
