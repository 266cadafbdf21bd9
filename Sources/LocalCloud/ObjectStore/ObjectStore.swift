import Foundation

/// An object store in the style of S3 or Google Cloud Storage: buckets of objects addressed by
/// key, with generations, conditional writes and prefix listing.
///
/// Every operation is synchronous and throws `ObjectStoreError`. Implementations are safe to use
/// from several threads and, for the embedded driver, from several processes at once.
public protocol ObjectStore: AnyObject, Sendable {
    /// Creates the bucket if it does not exist yet.
    func createBucket(_ name: String) throws

    /// The names of all buckets, sorted.
    func bucketNames() throws -> [String]

    /// Deletes an empty bucket (kept noncurrent generations go with it).
    /// Throws `ObjectStoreError.bucketNotEmpty` while it holds an object.
    func deleteBucket(_ name: String) throws

    /// Stores `data` as a new generation of `key`, if `options.preconditions` hold.
    @discardableResult
    func put(_ data: Data, bucket: String, key: String, options: PutOptions) throws -> ObjectMetadata

    /// The bytes and metadata of the current generation, or of `generation` if given.
    func get(bucket: String, key: String, generation: Int64?) throws -> StoredObject

    /// The metadata of the current generation, or of `generation` if given.
    func head(bucket: String, key: String, generation: Int64?) throws -> ObjectMetadata

    /// Deletes the current generation (kept as a noncurrent one if the store keeps history).
    func delete(bucket: String, key: String, preconditions: Preconditions) throws

    /// Copies an object (its current generation, or `source.generation`) to a new generation of
    /// the destination, keeping content type and user metadata. Preconditions apply to the
    /// destination.
    @discardableResult
    func copy(from source: ObjectLocation, to destination: ObjectLocation, preconditions: Preconditions) throws
        -> ObjectMetadata

    /// One page of the bucket's objects in lexicographic (UTF-8 byte) key order.
    func list(bucket: String, options: ListOptions) throws -> ObjectListing

    /// Every stored generation of `key`, newest first (the current one, if any, has `isCurrent`).
    func generations(bucket: String, key: String) throws -> [ObjectMetadata]
}

extension ObjectStore {
    /// Stores `data` at `key` with no preconditions and a guessed content type.
    @discardableResult
    public func put(_ data: Data, bucket: String, key: String) throws -> ObjectMetadata {
        try put(data, bucket: bucket, key: key, options: PutOptions())
    }

    /// The current generation's bytes and metadata.
    public func get(bucket: String, key: String) throws -> StoredObject {
        try get(bucket: bucket, key: key, generation: nil)
    }

    /// The current generation's metadata.
    public func head(bucket: String, key: String) throws -> ObjectMetadata {
        try head(bucket: bucket, key: key, generation: nil)
    }

    /// Deletes the current generation unconditionally.
    public func delete(bucket: String, key: String) throws {
        try delete(bucket: bucket, key: key, preconditions: Preconditions())
    }

    /// Lists the whole bucket (first page of up to 1000 keys) with no prefix or delimiter.
    public func list(bucket: String) throws -> ObjectListing {
        try list(bucket: bucket, options: ListOptions())
    }

    /// Every current object whose key starts with `prefix`, in key order: `list` page after
    /// page until there is no next page.
    public func listAll(bucket: String, prefix: String) throws -> [ObjectMetadata] {
        var objects: [ObjectMetadata] = []
        var token: String?
        repeat {
            let page = try list(bucket: bucket, options: ListOptions(prefix: prefix, pageToken: token))
            objects += page.objects
            token = page.nextPageToken
        } while token != nil
        return objects
    }
}

/// Where an object is: bucket, key and optionally one generation.
public struct ObjectLocation: Hashable, Sendable {
    public var bucket: String
    public var key: String
    /// A specific generation, or nil for the current one.
    public var generation: Int64?

    public init(bucket: String, key: String, generation: Int64? = nil) {
        self.bucket = bucket
        self.key = key
        self.generation = generation
    }
}

/// Conditions on the current generation that a write or delete requires, as in GCS.
public struct Preconditions: Hashable, Sendable {
    /// The current generation must be this one; 0 means "the object must not exist".
    public var ifGenerationMatch: Int64?
    /// The current generation must not be this one; 0 means "the object must exist".
    public var ifGenerationNotMatch: Int64?

    public init(ifGenerationMatch: Int64? = nil, ifGenerationNotMatch: Int64? = nil) {
        self.ifGenerationMatch = ifGenerationMatch
        self.ifGenerationNotMatch = ifGenerationNotMatch
    }

    /// Only succeed if the object does not exist yet.
    public static let doesNotExist = Preconditions(ifGenerationMatch: 0)
}

/// Options for `ObjectStore.put`.
public struct PutOptions: Hashable, Sendable {
    /// The MIME type; nil guesses one from the key's extension.
    public var contentType: String?
    /// Free-form string metadata stored with the generation.
    public var userMetadata: [String: String]
    public var preconditions: Preconditions
    /// The ETag to record instead of the MD5 of the bytes: a multipart upload's
    /// `<md5 of the part md5s>-<parts>`.
    public var etag: String?

    public init(contentType: String? = nil, userMetadata: [String: String] = [:],
                preconditions: Preconditions = Preconditions(), etag: String? = nil) {
        self.contentType = contentType
        self.userMetadata = userMetadata
        self.preconditions = preconditions
        self.etag = etag
    }
}

/// The metadata of one generation of an object.
public struct ObjectMetadata: Hashable, Sendable, Codable {
    public var bucket: String
    public var key: String
    /// Increases with every write to the store; unique across all its objects.
    public var generation: Int64
    /// Size in bytes.
    public var size: Int64
    /// The lowercase hex MD5 of the bytes, as in an S3 ETag for a single-part upload (or the
    /// ETag the writer gave, `PutOptions.etag`).
    public var etag: String
    public var contentType: String
    public var userMetadata: [String: String]
    /// When the key was first created (kept across overwrites while the object exists).
    public var created: Instant
    /// When this generation was written.
    public var updated: Instant
    /// Whether this is the live generation (false for kept noncurrent generations).
    public var isCurrent: Bool

    /// Metadata as a driver outside this module (such as Wire's `S3ObjectStore`) reports it.
    public init(bucket: String, key: String, generation: Int64, size: Int64, etag: String, contentType: String,
                userMetadata: [String: String], created: Instant, updated: Instant, isCurrent: Bool) {
        self.bucket = bucket
        self.key = key
        self.generation = generation
        self.size = size
        self.etag = etag
        self.contentType = contentType
        self.userMetadata = userMetadata
        self.created = created
        self.updated = updated
        self.isCurrent = isCurrent
    }
}

/// An object's bytes with their metadata.
public struct StoredObject: Hashable, Sendable {
    public var metadata: ObjectMetadata
    public var data: Data

    public init(metadata: ObjectMetadata, data: Data) {
        self.metadata = metadata
        self.data = data
    }
}

/// Options for `ObjectStore.list`.
public struct ListOptions: Hashable, Sendable {
    /// Only keys starting with this.
    public var prefix: String
    /// If set (usually "/"), keys with the delimiter after the prefix are rolled up into
    /// `commonPrefixes` (the key up to and including the first delimiter after the prefix).
    public var delimiter: String?
    /// Only keys after this one (exclusive). With a `delimiter`, when this is itself a common
    /// prefix of the listing (`photos/`, as a page ending in it names it), the keys under it
    /// are skipped too: they rolled up into it.
    public var startAfter: String?
    /// The `nextPageToken` of a previous page, to continue from there.
    public var pageToken: String?
    /// The most objects plus common prefixes in one page (1…1000 are typical); less than 1 is
    /// an `ObjectStoreError.invalidArgument`.
    public var maxKeys: Int

    public init(prefix: String = "", delimiter: String? = nil, startAfter: String? = nil,
                pageToken: String? = nil, maxKeys: Int = 1000) {
        self.prefix = prefix
        self.delimiter = delimiter
        self.startAfter = startAfter
        self.pageToken = pageToken
        self.maxKeys = maxKeys
    }
}

/// One page of a listing.
public struct ObjectListing: Hashable, Sendable {
    /// Objects in key order.
    public var objects: [ObjectMetadata]
    /// Rolled-up key prefixes, in order (only with a delimiter).
    public var commonPrefixes: [String]
    /// Pass as `ListOptions.pageToken` to get the next page; nil on the last page.
    public var nextPageToken: String?

    public init(objects: [ObjectMetadata], commonPrefixes: [String], nextPageToken: String?) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.nextPageToken = nextPageToken
    }
}
