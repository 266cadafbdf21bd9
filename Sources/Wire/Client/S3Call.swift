import HTTPClient

/// One S3 request as the driver describes it, before it is signed: what it is for (named in
/// errors), the method, the bucket and key it addresses, its query, headers and body.
struct S3Call {
    /// The `ObjectStore` operation it serves (`put`, `get`, …), named in errors.
    var operation: String
    var method: String
    var bucket: String?
    var key: String?
    /// Query parameters in the order they are sent.
    var query: [(String, String)] = []
    /// Headers other than those the signer adds (`Host`, `X-Amz-Date`, `x-amz-content-sha256`,
    /// `Authorization`).
    var headers: [(name: String, value: String)] = []
    var body: [UInt8] = []
    /// The generation asked for, reported by a `NoSuchVersion` answer.
    var generation: Int64?
    /// The precondition the request carries, named by a `412` answer.
    var condition: String?
    /// The object's generation as the driver last saw it, reported by a `412` answer.
    var currentGeneration: Int64?

    /// What the request addresses, for messages: `s3://bucket/key`, `s3://bucket` or the endpoint.
    var resource: String {
        guard let bucket else { return "the bucket list" }
        return "s3://\(bucket)" + (key.map { "/\($0)" } ?? "")
    }
}
