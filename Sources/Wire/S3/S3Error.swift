import LocalCloud

/// An S3 error: its code, HTTP status and message, answered as S3's `<Error>` document.
public struct S3Error: Error, Equatable, Sendable {
    public var code: String
    public var status: Int
    public var message: String
    /// The bucket or `bucket/key` the error is about, when there is one.
    public var resource: String?

    public init(_ code: String, status: Int, _ message: String, resource: String? = nil) {
        self.code = code
        self.status = status
        self.message = message
        self.resource = resource
    }

    static func noSuchBucket(_ bucket: String) -> S3Error {
        S3Error("NoSuchBucket", status: 404, "The specified bucket does not exist", resource: bucket)
    }

    static func invalidArgument(_ message: String) -> S3Error { S3Error("InvalidArgument", status: 400, message) }

    static func malformedXML(_ detail: String) -> S3Error {
        S3Error("MalformedXML", status: 400,
                "The XML you provided was not well-formed or did not validate against our published schema: \(detail)")
    }

    /// The S3 error for a store failure.
    init(_ error: ObjectStoreError) {
        switch error {
        case .bucketNotFound(let bucket): self = .noSuchBucket(bucket)
        case .objectNotFound(let bucket, let key, let generation):
            self = generation == nil
                ? S3Error("NoSuchKey", status: 404, "The specified key does not exist.", resource: "\(bucket)/\(key)")
                : S3Error("NoSuchVersion", status: 404, "The specified version does not exist.", resource: "\(bucket)/\(key)")
        case .preconditionFailed(let bucket, let key, _, _):
            self = S3Error("PreconditionFailed", status: 412, "At least one of the pre-conditions you specified did not hold",
                           resource: "\(bucket)/\(key)")
        case .bucketNotEmpty(let bucket):
            self = S3Error("BucketNotEmpty", status: 409, "The bucket you tried to delete is not empty", resource: bucket)
        case .invalidBucketName(let name, let reason):
            self = S3Error("InvalidBucketName", status: 400, "The specified bucket is not valid: \(reason)", resource: name)
        case .invalidKey, .keyConflict, .keyEscapesBucket, .invalidArgument, .invalidPageToken:
            self = .invalidArgument(error.description)
        case .injectedFault:
            self = S3Error("SlowDown", status: 503, "Please reduce your request rate. (\(error.description))")
        case .io, .concurrentModification, .notificationFailed, .storeNotFound, .storeNotInitialised, .indexOutOfDate, .readOnly:
            self = S3Error("InternalError", status: 500, "We encountered an internal error: \(error.description)")
        }
    }
}
