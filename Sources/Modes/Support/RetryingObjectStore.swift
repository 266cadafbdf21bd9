import Foundation
import LocalCloud

/// An object store that retries transient failures — `ObjectStoreError.injectedFault`, which
/// fails before the operation does anything — up to `attempts` times in all, as cloud SDKs
/// retry 5xx answers. Every other error passes through at once. The modes wrap their store in
/// one so that a scenario's fault plan tests their resilience rather than merely breaking them.
final class RetryingObjectStore: ObjectStore, Sendable {
    private let base: any ObjectStore
    private let attempts: Int

    init(_ base: any ObjectStore, attempts: Int = 5) {
        self.base = base
        self.attempts = max(1, attempts)
    }

    private func retrying<T>(_ operation: () throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try operation()
            } catch ObjectStoreError.injectedFault where attempt < attempts {
                attempt += 1
            }
        }
    }

    func createBucket(_ name: String) throws { try retrying { try base.createBucket(name) } }

    func bucketNames() throws -> [String] { try retrying { try base.bucketNames() } }

    func deleteBucket(_ name: String) throws { try retrying { try base.deleteBucket(name) } }

    func put(_ data: Data, bucket: String, key: String, options: PutOptions) throws -> ObjectMetadata {
        try retrying { try base.put(data, bucket: bucket, key: key, options: options) }
    }

    func get(bucket: String, key: String, generation: Int64?) throws -> StoredObject {
        try retrying { try base.get(bucket: bucket, key: key, generation: generation) }
    }

    func head(bucket: String, key: String, generation: Int64?) throws -> ObjectMetadata {
        try retrying { try base.head(bucket: bucket, key: key, generation: generation) }
    }

    func delete(bucket: String, key: String, preconditions: Preconditions) throws {
        try retrying { try base.delete(bucket: bucket, key: key, preconditions: preconditions) }
    }

    func copy(from source: ObjectLocation, to destination: ObjectLocation, preconditions: Preconditions) throws -> ObjectMetadata {
        try retrying { try base.copy(from: source, to: destination, preconditions: preconditions) }
    }

    func list(bucket: String, options: ListOptions) throws -> ObjectListing {
        try retrying { try base.list(bucket: bucket, options: options) }
    }

    func generations(bucket: String, key: String) throws -> [ObjectMetadata] {
        try retrying { try base.generations(bucket: bucket, key: key) }
    }
}
