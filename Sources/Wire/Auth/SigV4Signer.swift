import LocalCloud

/// Signs requests with AWS Signature Version 4, as boto3 and the AWS SDKs do: the client side of
/// `SigV4Verifier`, for the benchmark client and drivers that talk to S3 or SQS endpoints.
public struct SigV4Signer: Sendable {
    /// The key that signs.
    public var credentials: SigV4Credentials
    /// The region signed for, e.g. `us-east-1`.
    public var region: String
    /// The service signed for, e.g. `s3` or `sqs`; `s3` changes the canonical path (signed as
    /// sent) and adds `x-amz-content-sha256`.
    public var service: String

    public init(credentials: SigV4Credentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Headers a signature leaves out, as botocore does: hop-by-hop headers and others that
    /// proxies and HTTP clients add or rewrite. The signer's own headers are replaced, not signed.
    private static let unsignedHeaders: Set<String> = [
        "authorization", "x-amz-date", "x-amz-content-sha256",
        "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// Signs a request and returns the headers to add to it: `Host` (when `headers` has none),
    /// `X-Amz-Date`, `x-amz-content-sha256` (service `s3` only) and `Authorization`.
    ///
    /// - Parameters:
    ///   - host: the `Host` header's value (`host` or `host:port`), signed when `headers` has no `Host`.
    ///   - rawPath: the path exactly as it will be sent, already percent-encoded (`/bucket/a%20b.txt`).
    ///   - rawQuery: the query after `?` exactly as it will be sent, empty for none.
    ///   - headers: the other headers to be sent; all are signed except `User-Agent`, `Expect` and
    ///     hop-by-hop headers. Any `Authorization`, `X-Amz-Date` or `x-amz-content-sha256` here is
    ///     left unsigned: the caller sends the returned ones instead.
    ///   - payloadSHA256: the body's lower-case hex SHA-256, or `UNSIGNED-PAYLOAD` (S3 only).
    ///   - at: the signing time; the server must be within 15 minutes of it.
    public func sign(method: String, host: String, rawPath: String, rawQuery: String,
                     headers: [(name: String, value: String)], payloadSHA256: String, at: Instant) -> [(name: String, value: String)] {
        let amzDate = AmzDate.string(at)
        let scope = scope(amzDate: amzDate)
        var added: [(name: String, value: String)] = []
        if !headers.contains(where: { $0.name.lowercased() == "host" }) { added.append(("Host", host)) }
        added.append(("X-Amz-Date", amzDate))
        if service == "s3" { added.append(("x-amz-content-sha256", payloadSHA256)) }
        let signed = headers.filter { !Self.unsignedHeaders.contains($0.name.lowercased()) } + added
        let signedNames = Set(signed.map { $0.name.lowercased() }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonical = CanonicalRequest(method: method, uri: CanonicalRequest.uri(rawPath: rawPath, service: service),
                                         query: CanonicalQuery.canonical(rawQuery), headers: signed,
                                         signedHeaders: signedNames, payloadHash: payloadSHA256)
        let signature = signature(canonical, amzDate: amzDate, scope: scope)
        let authorization = "\(SigV4Signature.algorithm) Credential=\(scope.credential), "
            + "SignedHeaders=\(signedNames.joined(separator: ";")), Signature=\(signature)"
        return added + [("Authorization", authorization)]
    }

    /// The query of a presigned URL for a request with no headers but `Host` and no body:
    /// `rawQuery` (as given, first) followed by the `X-Amz-*` parameters and `X-Amz-Signature`.
    /// Anyone with the URL can make the request for `expires` seconds from `at`.
    ///
    /// - Parameters:
    ///   - host: the `Host` header the request will carry (`host` or `host:port`).
    ///   - rawPath: the path exactly as it will be sent, already percent-encoded.
    ///   - rawQuery: the request's own query exactly as it will be sent, empty for none.
    ///   - expires: seconds the URL stays valid, 1…604800 (seven days).
    public func presignedQuery(method: String, host: String, rawPath: String, rawQuery: String,
                               expires: Int, at: Instant) -> String {
        precondition((1...PresignedParameters.maximumExpires).contains(expires),
                     "expires must be 1…\(PresignedParameters.maximumExpires) seconds, not \(expires)")
        let amzDate = AmzDate.string(at)
        let scope = scope(amzDate: amzDate)
        let parameters = [
            ("X-Amz-Algorithm", SigV4Signature.algorithm), ("X-Amz-Credential", scope.credential), ("X-Amz-Date", amzDate),
            ("X-Amz-Expires", String(expires)), ("X-Amz-SignedHeaders", "host"),
        ]
        let authQuery = parameters.map { "\($0.0)=\(AWSPercentEncoding.encode($0.1.utf8))" }.joined(separator: "&")
        let query = rawQuery.isEmpty ? authQuery : rawQuery + "&" + authQuery
        let canonical = CanonicalRequest(method: method, uri: CanonicalRequest.uri(rawPath: rawPath, service: service),
                                         query: CanonicalQuery.canonical(query), headers: [("host", host)],
                                         signedHeaders: ["host"],
                                         payloadHash: service == "s3" ? PayloadHash.unsigned : PayloadHash.emptyBody)
        return query + "&X-Amz-Signature=" + signature(canonical, amzDate: amzDate, scope: scope)
    }

    private func scope(amzDate: String) -> SigV4Scope {
        SigV4Scope(accessKeyID: credentials.accessKeyID, date: String(amzDate.prefix(8)), region: region, service: service)
    }

    private func signature(_ canonical: CanonicalRequest, amzDate: String, scope: SigV4Scope) -> String {
        let key = credentials.signingKey(date: scope.date, region: scope.region, service: scope.service)
        return SigV4Signature.sign(SigV4Signature.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonical), key: key)
    }
}
