import Foundation
import LocalCloud
import Testing
import Wire

/// Every way verification fails, and what it says.
@Suite struct SigV4FailureTests {
    static let now = SigV4RoundTripTests.now
    static let credentials = SigV4RoundTripTests.credentials
    static let verifier = SigV4Verifier(credentials: [credentials])

    static func signed(method: String = "GET", rawPath: String = "/bucket/key", rawQuery: String = "",
                       headers: [(name: String, value: String)] = [("Range", "bytes=0-9")], body: String = "",
                       service: String = "s3") -> SignedRequest {
        SigV4RoundTripTests.signed(credentials, service: service, method: method, rawPath: rawPath, rawQuery: rawQuery,
                                   headers: headers, body: body)
    }

    /// The canonical request the server computed, from the mismatch of a verifier with another secret.
    static func serverCanonicalRequest(_ request: SignedRequest) -> String? {
        let wrong = SigV4Verifier(credentials: [SigV4Credentials(accessKeyID: credentials.accessKeyID, secretAccessKey: "wrong")])
        guard case .signatureMismatch(let canonical, _)? = wrong.failure(request, now: now) else { return nil }
        return canonical
    }

    static func presigned(expires: Int = 60, query: String = "") -> SignedRequest {
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "s3")
        let presigned = signer.presignedQuery(method: "GET", host: SigV4RoundTripTests.host, rawPath: "/bucket/key",
                                              rawQuery: query, expires: expires, at: now)
        return SignedRequest(method: "GET", rawPath: "/bucket/key", rawQuery: presigned,
                             headers: [("Host", SigV4RoundTripTests.host)], payloadSHA256: nil)
    }

    @Test func anonymousRequestIsMissing() {
        let request = SignedRequest(method: "GET", rawPath: "/bucket/key", rawQuery: "versionId=1",
                                    headers: [("Host", "localhost")], payloadSHA256: AWSExample.emptySHA256)
        #expect(Self.verifier.failure(request, now: Self.now) == .missing)
        #expect(SigV4Failure.missing.description.contains("no Authorization header"))
    }

    @Test func signatureVersion2PresignedURLIsNamedSo() {
        let request = SignedRequest(method: "GET", rawPath: "/bucket/key",
                                    rawQuery: "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1798000000&Signature=frJIUN8DYpKDtOLCwo%2F%2FyllqDzg%3D",
                                    headers: [("Host", "localhost")], payloadSHA256: AWSExample.emptySHA256)
        guard case .malformed(let reason)? = Self.verifier.failure(request, now: Self.now) else {
            Issue.record("expected a malformed authorization naming Signature Version 2")
            return
        }
        #expect(reason.contains("Signature Version 2") && reason.contains("s3v4"))
    }

    @Test func tamperedRequestsDoNotMatch() {
        let request = Self.signed()
        var tampered: [SignedRequest] = [
            request.setting("Range", "bytes=0-99"), request.setting("Host", "evil.example"),
        ]
        var method = request; method.method = "DELETE"; tampered.append(method)
        var path = request; path.rawPath = "/bucket/other"; tampered.append(path)
        var query = request; query.rawQuery = "versionId=1"; tampered.append(query)
        for changed in tampered {
            guard case .signatureMismatch? = Self.verifier.failure(changed, now: Self.now) else {
                Issue.record("expected a signature mismatch for \(changed.method) \(changed.rawPath)?\(changed.rawQuery)")
                continue
            }
        }
        // An unsigned header may change freely.
        #expect(Self.verifier.failure(request.setting("User-Agent", "other"), now: Self.now) == nil)
    }

    @Test func wrongSecretReportsWhatTheServerSigned() throws {
        let request = Self.signed(rawQuery: "b=2&a=1")
        let wrong = SigV4Verifier(credentials: [SigV4Credentials(accessKeyID: Self.credentials.accessKeyID, secretAccessKey: "nope")])
        let failure = wrong.failure(request, now: Self.now)
        guard case .signatureMismatch(let canonical, let stringToSign)? = failure else {
            Issue.record("expected a signature mismatch, got \(String(describing: failure))")
            return
        }
        #expect(canonical == """
            GET
            /bucket/key
            a=1&b=2
            host:127.0.0.1:4566
            range:bytes=0-9
            x-amz-content-sha256:\(AWSExample.emptySHA256)
            x-amz-date:20261130T123456Z

            host;range;x-amz-content-sha256;x-amz-date
            \(AWSExample.emptySHA256)
            """)
        #expect(stringToSign.hasPrefix("AWS4-HMAC-SHA256\n20261130T123456Z\n20261130/eu-west-3/s3/aws4_request\n"))
        #expect(failure?.description.contains(canonical) == true)
    }

    @Test(arguments: [
        ("a=1&a=0&b=&c", "a=0&a=1&b=&c="),
        ("prefix=a%20b&x=%7e%2f", "prefix=a%20b&x=~%2F"),
        ("plus=a+b&q=%2B", "plus=a%2Bb&q=%2B"),
        ("z=1&Z=2&a-b=3&a=4", "Z=2&a=4&a-b=3&z=1"),
        ("k=%E2%9C%93&raw=✓&bad=%zz", "bad=%25zz&k=%E2%9C%93&raw=%E2%9C%93"),
    ])
    func queryIsCanonicalised(raw: String, canonical: String) throws {
        let lines = try #require(Self.serverCanonicalRequest(Self.signed(rawQuery: raw))).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2] == canonical[...])
    }

    @Test func pathIsSignedAsSentForS3AndNormalisedAndEncodedAgainForOtherServices() throws {
        let raw = "/bucket/a%20b/./c//d/../e+f"
        let s3 = try #require(Self.serverCanonicalRequest(Self.signed(rawPath: raw)))
        #expect(s3.split(separator: "\n")[1] == raw[...])
        let sqs = try #require(Self.serverCanonicalRequest(Self.signed(rawPath: raw, service: "sqs")))
        #expect(sqs.split(separator: "\n")[1] == "/bucket/a%2520b/c/e%2Bf")
    }

    @Test func unknownAccessKeyIsNamed() {
        let stranger = SigV4Credentials(accessKeyID: "AKIASTRANGER", secretAccessKey: "x")
        let request = SigV4RoundTripTests.signed(stranger, rawPath: "/bucket/key")
        let failure = Self.verifier.failure(request, now: Self.now)
        #expect(failure == .unknownAccessKey("AKIASTRANGER"))
        #expect(failure?.description.contains("AKIASTRANGER") == true)
    }

    @Test func skewedHeaderTimeIsRejected() {
        let request = Self.signed()
        for minutes in [-16, 16, 60 * 24] {
            let failure = Self.verifier.failure(request, now: Self.now.advanced(by: .seconds(minutes * 60)))
            guard case .expired(let reason)? = failure else {
                Issue.record("expected expired at \(minutes) minutes, got \(String(describing: failure))")
                continue
            }
            #expect(reason.contains("2026-11-30T12:34:56Z"))
            #expect(reason.contains("15 minutes"))
        }
    }

    @Test func presignedURLExpiresAfterItsSecondsAndIsNotValidBeforeItsDate() {
        let request = Self.presigned(expires: 60)
        #expect(Self.verifier.failure(request, now: Self.now.advanced(by: .seconds(60))) == nil)
        guard case .expired(let reason)? = Self.verifier.failure(request, now: Self.now.advanced(by: .seconds(61))) else {
            Issue.record("expected expired one second after X-Amz-Expires")
            return
        }
        #expect(reason.contains("expired at 2026-11-30T12:35:56Z"))
        guard case .expired(let early)? = Self.verifier.failure(request, now: Self.now.advanced(by: .seconds(-16 * 60))) else {
            Issue.record("expected a presigned URL 16 minutes early to be rejected")
            return
        }
        #expect(early.contains("not valid yet"))
    }

    @Test func presignedURLWithTamperedQueryDoesNotMatch() {
        var request = Self.presigned(query: "versionId=1")
        request.rawQuery = request.rawQuery.replacingOccurrences(of: "versionId=1", with: "versionId=2")
        guard case .signatureMismatch? = Self.verifier.failure(request, now: Self.now) else {
            Issue.record("expected a signature mismatch")
            return
        }
        var longer = Self.presigned(expires: 60)
        longer.rawQuery = longer.rawQuery.replacingOccurrences(of: "X-Amz-Expires=60", with: "X-Amz-Expires=600")
        guard case .signatureMismatch? = Self.verifier.failure(longer, now: Self.now) else {
            Issue.record("expected a signature mismatch for a lengthened X-Amz-Expires")
            return
        }
    }

    @Test func bodyNotMatchingContentSHA256IsRejected() {
        var request = Self.signed(method: "PUT", headers: [], body: "the body")
        #expect(Self.verifier.failure(request, now: Self.now) == nil)
        request.payloadSHA256 = SigV4Fixture.sha256Hex("another body")
        #expect(Self.verifier.failure(request, now: Self.now) == .contentSHA256Mismatch)
        request.payloadSHA256 = nil
        #expect(Self.verifier.failure(request, now: Self.now) == nil)
    }

    /// Each malformed authorization names the part that is wrong.
    @Test(arguments: [
        ("AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", "Signature Version 2"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request, Signature=\(String(repeating: "0", count: 64))",
         "no SignedHeaders"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request, SignedHeaders=host;x-amz-date",
         "no Signature"),
        ("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=\(String(repeating: "0", count: 64))", "no Credential"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3, SignedHeaders=host;x-amz-date, Signature=\(String(repeating: "0", count: 64))",
         "ACCESS_KEY_ID/yyyyMMdd/REGION/SERVICE/aws4_request"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/2026-11-30/eu-west-3/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(String(repeating: "0", count: 64))",
         "the date \"2026-11-30\""),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request, SignedHeaders=x-amz-date, Signature=\(String(repeating: "0", count: 64))",
         "does not include host"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request, SignedHeaders=Host;x-amz-date, Signature=\(String(repeating: "0", count: 64))",
         "lower-case header names"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=XYZ",
         "Signature \"XYZ\" is not 64 lower-case hex digits"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261129/eu-west-3/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(String(repeating: "0", count: 64))",
         "credential's date 20261129 is not the date of the request time 20261130T123456Z"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request, SignedHeaders=host, Signature=\(String(repeating: "0", count: 64))",
         "SignedHeaders does not include x-amz-date"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(String(repeating: "0", count: 64)), Extra=1",
         "unknown field \"Extra\""),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request, Bogus, SignedHeaders=host;x-amz-date, Signature=\(String(repeating: "0", count: 64))",
         "\"Bogus\" where a Name=value field belongs"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request,Credential=rehearsal/20261130/eu-west-3/s3/aws4_request",
         "Credential= twice"),
        ("AWS4-HMAC-SHA256 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(String(repeating: "0", count: 64)), ",
         "\"\" where a Name=value field belongs"),
        ("  AWS4-HMAC-SHA1 Credential=rehearsal/20261130/eu-west-3/s3/aws4_request", "the scheme \"AWS4-HMAC-SHA1\""),
    ])
    func malformedAuthorizationHeaderIsNamed(authorization: String, expected: String) throws {
        let request = SignedRequest(method: "GET", rawPath: "/bucket/key",
                                    headers: [("Host", "h"), ("X-Amz-Date", "20261130T123456Z"), ("Authorization", authorization)],
                                    payloadSHA256: AWSExample.emptySHA256)
        let reason = try #require(Self.verifier.malformedReason(request, now: Self.now))
        #expect(reason.contains(expected), "\(reason)")
    }

    @Test func malformedTimesAndPayloadHashesAreNamed() throws {
        let request = Self.signed()
        let cases: [(SignedRequest, String)] = [
            (request.setting("X-Amz-Date", "2026-11-30T12:34:56Z"), "X-Amz-Date \"2026-11-30T12:34:56Z\" is not a time like"),
            (request.setting("X-Amz-Date", nil), "neither an X-Amz-Date nor a Date header"),
            (request.setting("X-Amz-Date", nil).setting("Date", "yesterday"), "Date \"yesterday\" is not an RFC 1123 date"),
            (request.setting("x-amz-content-sha256", "abc"), "x-amz-content-sha256 is \"abc\""),
            (request.setting("x-amz-content-sha256", nil).settingPayload(nil), "no x-amz-content-sha256 header"),
        ]
        for (changed, expected) in cases {
            let reason = try #require(Self.verifier.malformedReason(changed, now: Self.now))
            #expect(reason.contains(expected), "\(reason)")
        }
        var repeated = request
        repeated.headers.append(("authorization", "again"))
        #expect(try #require(Self.verifier.malformedReason(repeated, now: Self.now)).contains("2 authorization headers"))
    }

    @Test func malformedPresignedQueryIsNamed() throws {
        let request = Self.presigned()
        let cases: [(String, String, String)] = [
            ("X-Amz-Expires=60", "X-Amz-Expires=0", "X-Amz-Expires \"0\" is not a whole number of seconds from 1 to 604800"),
            ("X-Amz-Expires=60", "X-Amz-Expires=604801", "from 1 to 604800"),
            ("X-Amz-Expires=60&", "", "no X-Amz-Expires query parameter"),
            ("X-Amz-Date=20261130T123456Z&", "", "no X-Amz-Date query parameter"),
            ("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256", "X-Amz-Algorithm is \"AWS4-ECDSA-P256-SHA256\""),
            ("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=x-amz-date", "X-Amz-SignedHeaders \"x-amz-date\" does not include host"),
            ("X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261130T123456Z", "X-Amz-Date twice"),
            ("%2F20261130%2F", "%2F20261129%2F", "credential's date 20261129"),
        ]
        for (from, to, expected) in cases {
            var changed = request
            changed.rawQuery = request.rawQuery.replacingOccurrences(of: from, with: to)
            #expect(changed.rawQuery != request.rawQuery)
            let reason = try #require(Self.verifier.malformedReason(changed, now: Self.now))
            #expect(reason.contains(expected), "\(reason)")
        }
        let both = request.setting("Authorization", "AWS4-HMAC-SHA256 Credential=x")
        #expect(try #require(Self.verifier.malformedReason(both, now: Self.now)).contains("both an Authorization header and X-Amz-*"))
    }

    @Test func everyFailureDescribesItself() {
        let failures: [SigV4Failure] = [
            .missing, .malformed("SignedHeaders is empty"), .unknownAccessKey("AKID"),
            .signatureMismatch(canonicalRequest: "GET\n/", stringToSign: "AWS4-HMAC-SHA256"), .expired("the URL expired"),
            .contentSHA256Mismatch,
        ]
        for failure in failures { #expect(!failure.description.isEmpty) }
        #expect(SigV4Failure.malformed("SignedHeaders is empty").description.contains("SignedHeaders is empty"))
        #expect(SigV4Failure.contentSHA256Mismatch.description.contains("x-amz-content-sha256"))
    }
}

extension SignedRequest {
    fileprivate func settingPayload(_ hash: String?) -> SignedRequest {
        var copy = self
        copy.payloadSHA256 = hash
        return copy
    }
}
