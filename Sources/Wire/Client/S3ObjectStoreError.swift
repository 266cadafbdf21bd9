/// Why an `S3ObjectStore` call failed when `ObjectStoreError` has no case for it: the backend
/// lacks what the call needs, the endpoint could not be reached or answered something the
/// driver cannot map, or the driver was configured wrongly. Each description names the endpoint,
/// and the bucket and key when there are any.
///
/// Everything with an `ObjectStoreError` equivalent is thrown as that instead (`NoSuchKey` is
/// `objectNotFound`, `PreconditionFailed` is `preconditionFailed`, `NoSuchBucket`,
/// `BucketNotEmpty`, `InvalidBucketName`…), so code written against `ObjectStore` catches the
/// same errors from every driver.
public enum S3ObjectStoreError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The backend cannot do what the call asks, and the driver refuses rather than pretend:
    /// reading a noncurrent generation, or listing generations, where version ids are not
    /// numbers; a caller-chosen ETag; a `501 NotImplemented` answer.
    case unsupported(operation: String, endpoint: String, reason: String)
    /// No answer (connection refused, timeout, TLS…), or an answer with no `ObjectStoreError`
    /// equivalent (`AccessDenied`, `SignatureDoesNotMatch`, `InternalError` …).
    case requestFailed(operation: String, endpoint: String, resource: String, reason: String)
    /// The driver cannot be built as configured: a missing credential, a malformed endpoint URL.
    case configuration(String)

    public var description: String {
        switch self {
        case .unsupported(let operation, let endpoint, let reason):
            "\(operation) is not supported by the S3 endpoint \(endpoint): \(reason)"
        case .requestFailed(let operation, let endpoint, let resource, let reason):
            "\(operation) of \(resource) at \(endpoint) failed: \(reason)"
        case .configuration(let problem):
            "cannot use the S3 store: \(problem)"
        }
    }
}
