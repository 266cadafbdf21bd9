import LocalCloud

/// What a rehearsal used of the emulated cloud, in the units cloud bills count: request
/// classes, storage over time, queue requests, always-on capacity. Deterministic: it comes from
/// the ledger, the store and the capacity held, on the virtual clock.
public struct CloudUsage: Sendable, Equatable {
    /// PUT, COPY, POST and LIST requests the system under test made (the ledger's writes,
    /// copies and lists).
    public var writeRequests: Int64
    /// GET and HEAD requests it made.
    public var readRequests: Int64
    /// Bytes stored × seconds held, over every generation in the sandbox's buckets, from when it
    /// was written to now on the virtual clock (whoever wrote it, the harness included).
    public var storageByteSeconds: Double
    /// Queue requests: each published message counted per 64 KiB chunk, plus one request per
    /// message delivered, acknowledged or returned (batched receives and deletes would cost less).
    public var queueRequests: Int64
    /// vCPU-seconds of always-on capacity (services, streaming workers) held over virtual time;
    /// nil when the scenario declares none (see `ProvisionedCapacity`).
    public var provisionedVCPUSeconds: Double?

    /// The size of one billed queue request's payload.
    static let queueChunkBytes: Int64 = 64 * 1024

    /// Measures `store` (every bucket, every kept generation) at `now`, with the ledger's counts
    /// and the capacity `provisioned` has held until `now`.
    public static func measure(ledger: LedgerSnapshot, store: any ObjectStore, now: Instant,
                               provisioned: ProvisionedCapacity? = nil) throws -> CloudUsage {
        var byteSeconds = 0.0
        for bucket in try store.bucketNames() {
            var page: String?
            repeat {
                let listing = try store.list(bucket: bucket, options: ListOptions(pageToken: page))
                for object in listing.objects {
                    for generation in try store.generations(bucket: bucket, key: object.key) {
                        let held = Double(generation.updated.duration(to: now).components.seconds)
                        byteSeconds += Double(generation.size) * max(0, held)
                    }
                }
                page = listing.nextPageToken
            } while page != nil
        }
        // Chunks are exact when no message is over 64 KiB; with larger ones, a lower bound.
        let chunks = max(ledger[.messagesPublished], (ledger[.messageBytesPublished] + queueChunkBytes - 1) / queueChunkBytes)
        return CloudUsage(
            writeRequests: ledger[.objectWrites] + ledger[.objectCopies] + ledger[.objectLists],
            readRequests: ledger[.objectReads] + ledger[.objectHeads], storageByteSeconds: byteSeconds,
            queueRequests: chunks + ledger[.messagesDelivered] + ledger[.messagesAcked] + ledger[.messagesNacked],
            provisionedVCPUSeconds: provisioned?.vcpuSeconds(at: now))
    }
}
