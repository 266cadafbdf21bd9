import Crypto

/// An AWS access key: the public ID a request names and the secret that signs it.
public struct SigV4Credentials: Sendable, Hashable {
    /// The public half, e.g. `AKIAIOSFODNN7EXAMPLE`; requests name it in their credential scope.
    public var accessKeyID: String
    /// The secret half, e.g. `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`; never sent on the wire.
    public var secretAccessKey: String

    public init(accessKeyID: String, secretAccessKey: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }

    /// The signing key for one day, region and service: HMAC-SHA256 chained over
    /// `"AWS4" + secret`, the date (`yyyyMMdd`), the region, the service and `aws4_request`.
    /// Chunked uploads (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) sign each chunk with it too.
    public func signingKey(date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secretAccessKey)".utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key))
        }
        return key
    }
}
