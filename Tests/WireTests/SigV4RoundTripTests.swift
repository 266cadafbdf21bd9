import LocalCloud
import Testing
import Wire

/// Requests signed by `SigV4Signer` verify with `SigV4Verifier`, whatever the key, path or query.
@Suite struct SigV4RoundTripTests {
    static let now = Instant(iso8601: "2026-11-30T12:34:56Z")!
    static let host = "127.0.0.1:4566"

    /// Signs a request with `credentials` and returns it as the server receives it.
    static func signed(_ credentials: SigV4Credentials, service: String = "s3", method: String = "PUT", rawPath: String,
                       rawQuery: String = "", headers: [(name: String, value: String)] = [], body: String = "",
                       at: Instant = now) -> SignedRequest {
        let signer = SigV4Signer(credentials: credentials, region: "eu-west-3", service: service)
        let added = signer.sign(method: method, host: host, rawPath: rawPath, rawQuery: rawQuery, headers: headers,
                                payloadSHA256: SigV4Fixture.sha256Hex(body), at: at)
        return SignedRequest(method: method, rawPath: rawPath, rawQuery: rawQuery, headers: headers + added,
                             payloadSHA256: SigV4Fixture.sha256Hex(body))
    }

    static let credentials = SigV4Credentials(accessKeyID: "rehearsal", secretAccessKey: "s3cr3t+/with spaces/ünïcødé=")

    @Test(arguments: [
        "bucket/plain.txt", "bucket/a b.txt", "bucket/1+1=2", "bucket/ünïcødé/日本語.txt", "bucket/emoji 🎉.json",
        "bucket/%percent%20literal", "bucket/~tilde!*'()&$@,;:", "bucket/dir//double/./dot/../x", "bucket/",
    ])
    func objectKeysRoundTripForS3AndSQS(key: String) throws {
        for service in ["s3", "sqs"] {
            let request = Self.signed(Self.credentials, service: service, rawPath: "/" + SigV4Fixture.encodedPath(key), body: "payload")
            let scope = try SigV4Verifier(credentials: [Self.credentials]).verify(request, now: Self.now)
            #expect(scope == SigV4Scope(accessKeyID: "rehearsal", date: "20261130", region: "eu-west-3", service: service))
        }
    }

    @Test(arguments: [
        "", "uploads", "a=1&a=0&b=&c", "prefix=a%20b&delimiter=%2F&list-type=2", "z=1&Z=2&a-b=3&a=4&a_b=5",
        "key=1%2B1&plus=a+b", "x=%E2%9C%93&y=✓", "continuation-token=abc%3D%3D&max-keys=1000", "a=1&&b=2&",
        "partNumber=1&uploadId=2~jyZszEoDF4u8dgSDef4oyftCyz-QpQa",
    ])
    func queriesRoundTrip(query: String) throws {
        let request = Self.signed(Self.credentials, method: "GET", rawPath: "/bucket", rawQuery: query)
        #expect(SigV4Verifier(credentials: [Self.credentials]).failure(request, now: Self.now) == nil)
    }

    @Test(arguments: ["AKIAIOSFODNN7EXAMPLE", "key with spaces", "ключ", "a+b=c"])
    func secretsRoundTrip(secret: String) throws {
        let credentials = SigV4Credentials(accessKeyID: "ID" + String(secret.count), secretAccessKey: secret)
        let request = Self.signed(credentials, rawPath: "/bucket/key", body: "x")
        let other = SigV4Credentials(accessKeyID: "someone-else", secretAccessKey: "other")
        #expect(try SigV4Verifier(credentials: [other, credentials]).verify(request, now: Self.now).accessKeyID == credentials.accessKeyID)
    }

    @Test func repeatedHeadersAndSpacesAreCanonicalisedAlike() throws {
        let headers = [("X-Amz-Meta-Note", "  first   value  "), ("Content-Type", "text/plain"), ("x-amz-meta-note", "second")]
        let request = Self.signed(Self.credentials, rawPath: "/bucket/key", headers: headers, body: "body")
        #expect(SigV4Verifier(credentials: [Self.credentials]).failure(request, now: Self.now) == nil)
        let reordered = request.setting("x-amz-meta-note", nil)
        var swapped = reordered
        swapped.headers.insert(("X-AMZ-META-NOTE", "first value"), at: 0)
        swapped.headers.append(("x-amz-meta-note", "second"))
        #expect(SigV4Verifier(credentials: [Self.credentials]).failure(swapped, now: Self.now) == nil)
    }

    @Test func signerSignsEveryHeaderButHopByHopOnes() {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "sqs")
        let added = signer.sign(method: "POST", host: "ignored", rawPath: "/", rawQuery: "",
                                headers: [("Host", "localhost:4566"), ("Content-Type", "application/x-amz-json-1.0"),
                                          ("X-Amz-Target", "AmazonSQS.SendMessage"), ("User-Agent", "bench"),
                                          ("Connection", "keep-alive"), ("X-Amz-Date", "stale")],
                                payloadSHA256: SigV4Fixture.sha256Hex("{}"), at: Self.now)
        #expect(added.map(\.name) == ["X-Amz-Date", "Authorization"])
        #expect(added[0].value == "20261130T123456Z")
        #expect(added[1].value.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target, "))
        #expect(added[1].value.hasPrefix("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/us-east-1/sqs/aws4_request, "))
    }

    @Test func unsignedPayloadRoundTrips() throws {
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "s3")
        let added = signer.sign(method: "PUT", host: Self.host, rawPath: "/bucket/big", rawQuery: "", headers: [],
                                payloadSHA256: "UNSIGNED-PAYLOAD", at: Self.now)
        let request = SignedRequest(method: "PUT", rawPath: "/bucket/big", headers: added, payloadSHA256: SigV4Fixture.sha256Hex("anything"))
        #expect(SigV4Verifier(credentials: [Self.credentials]).failure(request, now: Self.now) == nil)
    }

    @Test(arguments: ["", "response-content-type=text%2Fplain&versionId=3"])
    func presignedURLsRoundTrip(query: String) throws {
        for service in ["s3", "sqs"] {
            let signer = SigV4Signer(credentials: Self.credentials, region: "eu-west-3", service: service)
            let path = "/bucket/" + SigV4Fixture.encodedPath("a b+ü.txt")
            let presigned = signer.presignedQuery(method: "GET", host: Self.host, rawPath: path, rawQuery: query,
                                                  expires: 300, at: Self.now)
            #expect(presigned.hasPrefix(query))
            let request = SignedRequest(method: "GET", rawPath: path, rawQuery: presigned,
                                        headers: [("Host", Self.host), ("User-Agent", "curl")], payloadSHA256: AWSExample.emptySHA256)
            let verifier = SigV4Verifier(credentials: [Self.credentials])
            #expect(try verifier.verify(request, now: Self.now.advanced(by: .seconds(300))).service == service)
        }
    }

    @Test func headerTimesWithin15MinutesVerify() {
        let request = Self.signed(Self.credentials, rawPath: "/bucket/key")
        let verifier = SigV4Verifier(credentials: [Self.credentials])
        for minutes in [-15, -14, 0, 14, 15] {
            #expect(verifier.failure(request, now: Self.now.advanced(by: .seconds(minutes * 60))) == nil)
        }
    }

    /// Some clients (URLSearchParams, `aws4fetch`) sign a space as `%20` but send it as `+`; AWS
    /// accepts that, and so does the verifier.
    @Test func plusSentForASignedSpaceVerifies() {
        var request = Self.signed(Self.credentials, method: "GET", rawPath: "/bucket", rawQuery: "prefix=a%20b")
        request.rawQuery = "prefix=a+b"
        #expect(SigV4Verifier(credentials: [Self.credentials]).failure(request, now: Self.now) == nil)
    }

    /// The `Date` header gives the time when there is no `X-Amz-Date`, in any RFC 1123 zone
    /// (botocore writes `-0000`). Signatures computed with botocore's `S3SigV4Auth`.
    @Test(arguments: [
        ("Mon, 30 Nov 2026 12:34:56 GMT", "51ad85866b8a398d0c889bf6e399d551c780e2f8a1e258a7e94e27865d67ebf7"),
        ("Mon, 30 Nov 2026 12:34:56 -0000", "47fe56d8d170859e71697a17c5edd52950a4876672fd8261dde897a207ab5590"),
        ("Mon, 30 Nov 2026 13:34:56 +0100", "cda6039bdcb47ee18b6308d7ea61395b4facf95d9293a2472e869f681fb2df97"),
    ])
    func dateHeaderGivesTheTime(date: String, signature: String) {
        let request = SignedRequest(
            method: "GET", rawPath: "/bucket/key",
            headers: [
                ("Host", Self.host), ("Date", date), ("x-amz-content-sha256", AWSExample.emptySHA256),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request, "
                    + "SignedHeaders=date;host;x-amz-content-sha256, Signature=\(signature)"),
            ],
            payloadSHA256: AWSExample.emptySHA256)
        #expect(SigV4Verifier(credentials: [Self.credentials]).failure(request, now: Self.now) == nil)
    }
}
