import LocalCloud

/// Checks AWS Signature Version 4 on requests to the sandbox's S3 and SQS endpoints, against a
/// fixed set of access keys: the server side of `SigV4Signer`, and of boto3, the AWS CLI and the
/// AWS SDKs.
public struct SigV4Verifier: Sendable {
    /// How far a header-signed request's time may be from the server's, either way (AWS's 15
    /// minutes); a presigned URL is accepted this long before its `X-Amz-Date` too.
    static let allowedSkew: Duration = .seconds(15 * 60)

    private let credentials: [String: SigV4Credentials]
    private let signingKeys = SigningKeyCache()

    /// A verifier that knows `credentials`; if an access key ID appears twice, the last one wins.
    public init(credentials: [SigV4Credentials]) {
        self.credentials = Dictionary(credentials.map { ($0.accessKeyID, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Verifies header-signed (`Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
    /// Signature=…`) and presigned (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`,
    /// `X-Amz-Expires`, `X-Amz-SignedHeaders` and `X-Amz-Signature` in the query) requests at
    /// time `now`, and returns the verified scope (access key, date, region, service). The caller
    /// checks that the service (and region, if it cares) is the one it serves.
    ///
    /// A header-signed request's time is its `X-Amz-Date` header, else its `Date` header; either
    /// must be signed and within 15 minutes of `now`. A presigned URL is valid from its
    /// `X-Amz-Date` (less the same 15 minutes) for `X-Amz-Expires` seconds. The payload hash
    /// signed is `x-amz-content-sha256` when the request has it, `UNSIGNED-PAYLOAD` for a
    /// presigned S3 request, else `payloadSHA256`. A query `+` is a literal plus sign; if the
    /// signature does not match that way, `+` is tried as a space, as AWS accepts both.
    /// - Throws: `SigV4Failure`, checked in this order: `missing`, `malformed`, `expired`,
    ///   `unknownAccessKey`, `signatureMismatch`, `contentSHA256Mismatch`.
    public func verify(_ request: SignedRequest, now: Instant) throws(SigV4Failure) -> SigV4Scope {
        let authorization = try request.single("authorization")
        let presigned = CanonicalQuery.parameters(request.rawQuery).contains { PresignedParameters.markers.contains($0.name) }
        switch (authorization, presigned) {
        case (nil, false):
            // A Signature Version 2 presigned URL (boto3's default for presigning without
            // signature_version="s3v4") is signed, just not in a way this server accepts.
            let names = Set(CanonicalQuery.parameters(request.rawQuery).map(\.name))
            if names.contains("AWSAccessKeyId") && names.contains("Signature") {
                throw .malformed("the URL is presigned with Signature Version 2 (AWSAccessKeyId, Signature), which this server does not "
                                 + "accept; presign with Signature V4 (boto3: Config(signature_version=\"s3v4\"))")
            }
            throw .missing
        case (.some, true):
            throw .malformed("the request has both an Authorization header and X-Amz-* signature query parameters; use one")
        case (let header?, false):
            return try verifyHeaderSigned(request, authorization: header, now: now)
        case (nil, true):
            return try verifyPresigned(request, now: now)
        }
    }

    private func verifyHeaderSigned(_ request: SignedRequest, authorization: String, now: Instant) throws(SigV4Failure) -> SigV4Scope {
        let claim = try SigV4Claim(authorizationHeader: authorization)
        let (amzDate, signedAt) = try requestTime(request, claim: claim)
        try checkScopeDate(claim, amzDate: amzDate)
        let payloadHash = try payloadHash(request, presignedS3: false)
        let skew = signedAt.duration(to: now)
        guard skew <= Self.allowedSkew && skew >= .zero - Self.allowedSkew else {
            throw .expired("the request time \(signedAt) is \(wholeSeconds(skew).magnitude) seconds from the server's time "
                + "\(now); at most \(wholeSeconds(Self.allowedSkew)) seconds (15 minutes) of skew are allowed")
        }
        try checkSignature(request, claim: claim, amzDate: amzDate, payloadHash: payloadHash, presigned: false)
        try checkContent(request)
        return claim.scope
    }

    private func verifyPresigned(_ request: SignedRequest, now: Instant) throws(SigV4Failure) -> SigV4Scope {
        let parameters = try PresignedParameters(rawQuery: request.rawQuery)
        let claim = parameters.claim
        try checkScopeDate(claim, amzDate: parameters.amzDate)
        let payloadHash = try payloadHash(request, presignedS3: claim.scope.service == "s3")
        let expiry = parameters.signedAt.advanced(by: .seconds(parameters.expires))
        guard now <= expiry else {
            throw .expired("the presigned URL expired at \(expiry) (X-Amz-Date \(parameters.amzDate) plus X-Amz-Expires "
                + "\(parameters.expires) seconds); the server's time is \(now)")
        }
        guard now >= parameters.signedAt.advanced(by: .zero - Self.allowedSkew) else {
            throw .expired("the presigned URL is not valid yet: it was signed for \(parameters.signedAt) (X-Amz-Date "
                + "\(parameters.amzDate)), more than 15 minutes after the server's time \(now)")
        }
        try checkSignature(request, claim: claim, amzDate: parameters.amzDate, payloadHash: payloadHash, presigned: true)
        try checkContent(request)
        return claim.scope
    }

    /// The request's time from `X-Amz-Date`, else `Date`, as `yyyyMMdd'T'HHmmss'Z'` and as an instant.
    private func requestTime(_ request: SignedRequest, claim: SigV4Claim) throws(SigV4Failure) -> (String, Instant) {
        if let value = try request.single("x-amz-date") {
            guard let instant = AmzDate.parse(value) else {
                throw .malformed("X-Amz-Date \"\(value)\" is not a time like 20130524T000000Z (yyyyMMdd'T'HHmmss'Z', UTC)")
            }
            guard claim.signedHeaders.contains("x-amz-date") else {
                throw .malformed("SignedHeaders does not include x-amz-date, which must be signed when it is sent")
            }
            return (value, instant)
        }
        if let value = try request.single("date") {
            guard let instant = AmzDate.parseHTTPDate(value) else {
                throw .malformed("Date \"\(value)\" is not an RFC 1123 date like Fri, 24 May 2013 00:00:00 GMT")
            }
            guard claim.signedHeaders.contains("date") else {
                throw .malformed("SignedHeaders does not include date, which must be signed when it gives the request time")
            }
            return (AmzDate.string(instant), instant)
        }
        throw .malformed("the request has neither an X-Amz-Date nor a Date header to give its time")
    }

    private func checkScopeDate(_ claim: SigV4Claim, amzDate: String) throws(SigV4Failure) {
        guard claim.scope.date == String(amzDate.prefix(8)) else {
            throw .malformed("the credential's date \(claim.scope.date) is not the date of the request time \(amzDate)")
        }
    }

    /// The payload-hash line: `x-amz-content-sha256`, else `UNSIGNED-PAYLOAD` for presigned S3,
    /// else the body's hash as the server computed it.
    private func payloadHash(_ request: SignedRequest, presignedS3: Bool) throws(SigV4Failure) -> String {
        if let given = try request.single("x-amz-content-sha256") {
            guard PayloadHash.isValid(given) else {
                throw .malformed("x-amz-content-sha256 is \"\(given)\"; expected \(PayloadHash.validValues)")
            }
            return given
        }
        if presignedS3 { return PayloadHash.unsigned }
        guard let computed = request.payloadSHA256 else {
            throw .malformed("the request has no x-amz-content-sha256 header giving the SHA-256 of its body")
        }
        return computed
    }

    private func checkSignature(_ request: SignedRequest, claim: SigV4Claim, amzDate: String, payloadHash: String,
                                presigned: Bool) throws(SigV4Failure) {
        let scope = claim.scope
        guard let credentials = credentials[scope.accessKeyID] else { throw .unknownAccessKey(scope.accessKeyID) }
        let authenticator = signingKeys.authenticator(for: credentials, scope: scope)
        let uri = CanonicalRequest.uri(rawPath: request.rawPath, service: scope.service)
        func attempt(plusIsSpace: Bool) -> (canonical: CanonicalRequest, stringToSign: String, matches: Bool) {
            let query = CanonicalQuery.canonical(request.rawQuery, excluding: presigned ? "X-Amz-Signature" : nil,
                                                 plusIsSpace: plusIsSpace)
            let canonical = CanonicalRequest(method: request.method, uri: uri, query: query, headers: request.headers,
                                             signedHeaders: claim.signedHeaders, payloadHash: payloadHash)
            let stringToSign = SigV4Signature.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical)
            return (canonical, stringToSign, SigV4Signature.matches(claim.signature, stringToSign, authenticator: authenticator))
        }
        let literal = attempt(plusIsSpace: false)
        if literal.matches { return }
        if request.rawQuery.contains("+"), attempt(plusIsSpace: true).matches { return }
        throw .signatureMismatch(canonicalRequest: literal.canonical.text, stringToSign: literal.stringToSign)
    }

    /// Throws when `x-amz-content-sha256` is a hash and the server's hash of the body differs.
    private func checkContent(_ request: SignedRequest) throws(SigV4Failure) {
        guard let given = try request.single("x-amz-content-sha256"), PayloadHash.isHash(given),
              let computed = request.payloadSHA256
        else { return }
        if given.lowercased() != computed.lowercased() { throw .contentSHA256Mismatch }
    }

    private func wholeSeconds(_ duration: Duration) -> Int64 { duration.components.seconds }
}
