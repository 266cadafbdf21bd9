/// Why a request failed Signature V4 verification. Each case maps to one AWS error code; the
/// description says what is wrong in words a client's developer can act on.
public enum SigV4Failure: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `Authorization` header and no `X-Amz-Algorithm` query parameter: an anonymous request.
    case missing
    /// The authorization is unreadable (S3 `AuthorizationHeaderMalformed` or
    /// `AuthorizationQueryParametersError`); the text says which part and why.
    case malformed(String)
    /// The access key ID is not one the verifier knows (S3 `InvalidAccessKeyId`, SQS
    /// `UnrecognizedClientException`).
    case unknownAccessKey(String)
    /// The signature is not the one the secret gives (`SignatureDoesNotMatch`); carries what the
    /// server signed, so a client can diff it against its own.
    case signatureMismatch(canonicalRequest: String, stringToSign: String)
    /// A presigned URL used outside its validity, or a request time more than 15 minutes from the
    /// server's (S3 `AccessDenied` or `RequestTimeTooSkewed`); the text gives both times.
    case expired(String)
    /// `x-amz-content-sha256` names a hash the body does not have (`XAmzContentSHA256Mismatch`).
    case contentSHA256Mismatch

    public var description: String {
        switch self {
        case .missing:
            return "the request is not signed: it has no Authorization header and no X-Amz-Algorithm query parameter"
        case .malformed(let reason):
            return "the request's Signature V4 authorization is malformed: \(reason)"
        case .unknownAccessKey(let accessKeyID):
            return "the access key ID \"\(accessKeyID)\" is not known to this server"
        case .signatureMismatch(let canonicalRequest, let stringToSign):
            return "the request signature does not match the one calculated with the secret key; check the key "
                + "and the signing method. The server's canonical request:\n\(canonicalRequest)\n"
                + "The server's string to sign:\n\(stringToSign)"
        case .expired(let reason):
            return reason
        case .contentSHA256Mismatch:
            return "the x-amz-content-sha256 header does not match the SHA-256 of the request body"
        }
    }
}
