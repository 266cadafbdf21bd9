import LocalCloud

/// An S3 error answer (status, `<Code>` and `<Message>`) to one call, before it is mapped to the
/// error a caller sees (`mapped`).
struct S3Failure: Error {
    var call: S3Call
    var endpoint: String
    var status: Int
    /// The error document's `<Code>`, empty when the answer had no body (HEAD).
    var code: String
    var message: String

    /// The `ObjectStoreError` this answer means, or an `S3ObjectStoreError` when there is none.
    var mapped: any Error {
        let bucket = call.bucket ?? ""
        let key = call.key ?? ""
        switch (code, status) {
        case ("NoSuchBucket", _):
            return ObjectStoreError.bucketNotFound(bucket: bucket)
        case ("NoSuchKey", _):
            return ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: nil)
        case ("NoSuchVersion", _):
            return ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: call.generation)
        case ("PreconditionFailed", _), (_, 412):
            return ObjectStoreError.preconditionFailed(bucket: bucket, key: key, condition: call.condition ?? "If-Match",
                                                       currentGeneration: call.currentGeneration)
        case ("BucketNotEmpty", _):
            return ObjectStoreError.bucketNotEmpty(bucket: bucket)
        case ("InvalidBucketName", _):
            return ObjectStoreError.invalidBucketName(name: bucket, reason: message.isEmpty ? "refused by the endpoint" : message)
        case ("NotImplemented", _), (_, 501):
            return S3ObjectStoreError.unsupported(operation: call.operation, endpoint: endpoint,
                                                  reason: "the endpoint answered 501 \(code) for \(call.resource): \(message)")
        case ("", 404):
            // A HEAD answer has no body to say which is missing.
            return call.key == nil ? ObjectStoreError.bucketNotFound(bucket: bucket)
                : ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: call.generation)
        default:
            let what = code.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(code)"
            return S3ObjectStoreError.requestFailed(operation: call.operation, endpoint: endpoint, resource: call.resource,
                                                    reason: message.isEmpty ? what : "\(what): \(message)")
        }
    }
}
