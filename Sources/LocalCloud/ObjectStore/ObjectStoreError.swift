import Foundation

/// Why an object-store operation failed. Each description names the bucket, key or file.
public enum ObjectStoreError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The key breaks a key rule (empty, too long, `.`/`..` segment, NUL, …).
    case invalidKey(key: String, reason: String)
    /// A list page token that `list` did not return.
    case invalidPageToken(String)
    /// An option is out of range (such as `ListOptions.maxKeys` below 1).
    case invalidArgument(field: String, reason: String)
    /// The bucket name breaks a naming rule.
    case invalidBucketName(name: String, reason: String)
    case bucketNotFound(bucket: String)
    /// `deleteBucket` on a bucket that still holds objects.
    case bucketNotEmpty(bucket: String)
    case objectNotFound(bucket: String, key: String, generation: Int64?)
    /// A precondition did not hold; `currentGeneration` is nil if the object does not exist.
    case preconditionFailed(bucket: String, key: String, condition: String, currentGeneration: Int64?)
    /// The key clashes with another object: `a/b` while `a` is an object, or `a` while objects
    /// exist under `a/`. See `DirectoryObjectStore` for why this is refused.
    case keyConflict(bucket: String, key: String, reason: String)
    /// Following the key would leave the bucket folder (a symlink on its path).
    case keyEscapesBucket(bucket: String, key: String, reason: String)
    /// A `FaultPlan` injected a transient failure; retrying may succeed.
    case injectedFault(operation: String, bucket: String, key: String)
    /// A file operation failed.
    case io(operation: String, path: String, errno: Int32)
    /// The object kept changing under concurrent writers; retry.
    case concurrentModification(bucket: String, key: String)
    /// The object was stored (or deleted) but its notification could not be published.
    case notificationFailed(bucket: String, key: String, topic: String, reason: String)
    /// `DirectoryObjectStore(inspecting:)` found no `objects.sqlite` under the folder.
    case storeNotFound(root: String)
    /// `DirectoryObjectStore(inspecting:)` found an `objects.sqlite` without its tables yet: another
    /// process is creating the store at this moment (or was killed doing so). Try again.
    case storeNotInitialised(path: String)
    /// A store opened for inspection found a file that differs from its index row; opening the
    /// store normally repairs it.
    case indexOutOfDate(bucket: String, key: String)
    /// A write to a store opened with `DirectoryObjectStore(inspecting:)`.
    case readOnly(operation: String, root: String)

    public var description: String {
        switch self {
        case .invalidKey(let key, let reason):
            return "invalid object key \(quoted(key)): \(reason)"
        case .invalidPageToken(let token):
            return "page token \(quoted(token)) was not returned by list; pass a nextPageToken unchanged"
        case .invalidArgument(let field, let reason):
            return "invalid \(field): \(reason)"
        case .invalidBucketName(let name, let reason):
            return "invalid bucket name \(quoted(name)): \(reason)"
        case .bucketNotFound(let bucket):
            return "bucket \(quoted(bucket)) does not exist"
        case .bucketNotEmpty(let bucket):
            return "bucket \(quoted(bucket)) is not empty: delete its objects first"
        case .objectNotFound(let bucket, let key, let generation):
            let which = generation.map { " generation \($0)" } ?? ""
            return "object \(quoted(key))\(which) not found in bucket \(quoted(bucket))"
        case .preconditionFailed(let bucket, let key, let condition, let current):
            let state = current.map { "its current generation is \($0)" } ?? "it does not exist"
            return "precondition \(condition) failed for \(quoted(key)) in bucket \(quoted(bucket)): \(state)"
        case .keyConflict(let bucket, let key, let reason):
            return "key \(quoted(key)) conflicts in bucket \(quoted(bucket)): \(reason)"
        case .keyEscapesBucket(let bucket, let key, let reason):
            return "key \(quoted(key)) would escape bucket \(quoted(bucket)): \(reason)"
        case .injectedFault(let operation, let bucket, let key):
            return "injected transient fault on \(operation) of \(quoted(key)) in bucket \(quoted(bucket))"
        case .io(let operation, let path, let code):
            return "\(operation) failed for \(path): \(String(cString: strerror(code)))"
        case .concurrentModification(let bucket, let key):
            return "object \(quoted(key)) in bucket \(quoted(bucket)) kept changing during the read; retry"
        case .notificationFailed(let bucket, let key, let topic, let reason):
            return "object \(quoted(key)) in bucket \(quoted(bucket)) was updated but the notification to topic \(quoted(topic)) failed: \(reason)"
        case .storeNotFound(let root):
            return "no object store in \(quoted(root)): \(quoted(root + "/objects.sqlite")) does not exist"
        case .storeNotInitialised(let path):
            return "the object store is not initialised yet: \(quoted(path)) has no tables (a process may be creating it "
                + "right now; try again)"
        case .indexOutOfDate(let bucket, let key):
            return "the file of \(quoted(key)) in bucket \(quoted(bucket)) differs from the index (changed by hand, "
                + "left by a killed writer, or a write is in progress); opened read-only, so it is not repaired: "
                + "the next command that opens the root to write (rehearse cloud serve, batch, run --keep …) repairs it"
        case .readOnly(let operation, let root):
            return "cannot \(operation): the object store in \(quoted(root)) was opened read-only for inspection"
        }
    }
}

func quoted(_ text: String) -> String {
    "\"" + text.unicodeScalars.map { $0.value < 0x20 || $0 == "\"" ? $0.escaped(asASCII: false) : String($0) }.joined() + "\""
}

