import LocalCloud

/// The `X-Amz-*` query parameters of a presigned URL:
/// `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Date=…&X-Amz-Expires=…&X-Amz-SignedHeaders=…&X-Amz-Signature=…`.
struct PresignedParameters {
    let claim: SigV4Claim
    /// `X-Amz-Date` as sent, `yyyyMMdd'T'HHmmss'Z'`.
    let amzDate: String
    /// `X-Amz-Date` as a time: when the URL starts being valid.
    let signedAt: Instant
    /// `X-Amz-Expires`: how many seconds (1…604800, a week) after `signedAt` the URL is valid.
    let expires: Int

    /// The longest validity AWS allows a presigned URL: seven days.
    static let maximumExpires = 604_800

    /// The parameters whose presence makes a request a presigned one.
    static let markers: Set<String> = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature"]

    /// Reads and checks the parameters of `rawQuery`.
    init(rawQuery: String) throws(SigV4Failure) {
        var found: [String: String] = [:]
        for (name, value) in CanonicalQuery.parameters(rawQuery) where name.hasPrefix("X-Amz-") {
            guard found[name] == nil else { throw .malformed("the query has \(name) twice") }
            found[name] = value
        }
        func required(_ name: String) throws(SigV4Failure) -> String {
            guard let value = found[name] else { throw .malformed("the presigned URL has no \(name) query parameter") }
            return value
        }
        let algorithm = try required("X-Amz-Algorithm")
        guard algorithm == SigV4Signature.algorithm else {
            throw .malformed("X-Amz-Algorithm is \"\(algorithm)\"; expected \(SigV4Signature.algorithm)")
        }
        claim = try SigV4Claim(credential: try required("X-Amz-Credential"), signedHeaders: try required("X-Amz-SignedHeaders"),
                               signature: try required("X-Amz-Signature"), fieldPrefix: "X-Amz-")
        amzDate = try required("X-Amz-Date")
        guard let signedAt = AmzDate.parse(amzDate) else {
            throw .malformed("X-Amz-Date \"\(amzDate)\" is not a time like 20130524T000000Z (yyyyMMdd'T'HHmmss'Z', UTC)")
        }
        self.signedAt = signedAt
        let expiresText = try required("X-Amz-Expires")
        guard let expires = Int(expiresText), expiresText.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              (1...Self.maximumExpires).contains(expires)
        else {
            throw .malformed("X-Amz-Expires \"\(expiresText)\" is not a whole number of seconds from 1 to \(Self.maximumExpires) (7 days)")
        }
        self.expires = expires
    }
}
