import Crypto
import Determinism
import LocalCloud
import Testing
import Wire

/// AWS's published Signature V4 examples: the verifier accepts them and the signer reproduces them.
@Suite struct SigV4ExampleTests {
    /// "Deriving a signing key" in the IAM user guide's Signature V4 examples.
    @Test func signingKeyMatchesAWSDerivationExample() {
        let credentials = SigV4Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let key = credentials.signingKey(date: "20120215", region: "us-east-1", service: "iam")
        let hex = key.withUnsafeBytes { Hex.string($0) }
        #expect(hex == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    /// "Example: GET Object" (a ranged GET of /test.txt).
    static let getObject = SignedRequest(
        method: "GET", rawPath: "/test.txt",
        headers: [
            ("Host", AWSExample.host), ("Range", "bytes=0-9"), ("x-amz-content-sha256", AWSExample.emptySHA256),
            ("x-amz-date", "20130524T000000Z"),
            ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        ],
        payloadSHA256: AWSExample.emptySHA256)

    @Test func verifiesGetObjectExample() throws {
        let scope = try AWSExample.verifier.verify(Self.getObject, now: AWSExample.time)
        #expect(scope == SigV4Scope(accessKeyID: "AKIAIOSFODNN7EXAMPLE", date: "20130524", region: "us-east-1", service: "s3"))
    }

    @Test func signerReproducesGetObjectExample() {
        let signer = SigV4Signer(credentials: AWSExample.credentials, region: "us-east-1", service: "s3")
        let added = signer.sign(method: "GET", host: AWSExample.host, rawPath: "/test.txt", rawQuery: "",
                                headers: [("Range", "bytes=0-9")], payloadSHA256: AWSExample.emptySHA256, at: AWSExample.time)
        #expect(added.map(\.name) == ["Host", "X-Amz-Date", "x-amz-content-sha256", "Authorization"])
        #expect(added.last?.value == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// "get-header-value-trim" of AWS's Signature V4 test suite: header values are signed with
    /// leading and trailing spaces removed and inner runs of spaces collapsed, even in quotes.
    @Test func verifiesTrimmedHeaderValuesAsTheTestSuiteSigns() throws {
        let credentials = SigV4Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let request = SignedRequest(
            method: "GET", rawPath: "/",
            headers: [
                ("Host", "example.amazonaws.com"), ("My-Header1", " value1"), ("My-Header2", #" "a   b   c""#),
                ("X-Amz-Date", "20150830T123600Z"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                    + "SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                    + "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
            ],
            payloadSHA256: AWSExample.emptySHA256)
        let scope = try SigV4Verifier(credentials: [credentials]).verify(request, now: Instant(iso8601: "2015-08-30T12:36:00Z")!)
        #expect(scope.service == "service")
    }

    /// "Example: PUT Object": a `$` in the key, both `Date` and `x-amz-date`, a storage class.
    @Test func verifiesPutObjectExample() throws {
        let body = "Welcome to Amazon S3."
        let request = SignedRequest(
            method: "PUT", rawPath: "/test%24file.text",
            headers: [
                ("Host", AWSExample.host), ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-date", "20130524T000000Z"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"), ("x-amz-content-sha256", SigV4Fixture.sha256Hex(body)),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                    + "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
                    + "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"),
            ],
            payloadSHA256: SigV4Fixture.sha256Hex(body))
        #expect(AWSExample.verifier.failure(request, now: AWSExample.time) == nil)
    }

    /// "Example: GET Bucket Lifecycle" (a parameter without a value) and "Example: Get Bucket
    /// (List Objects)" (two parameters).
    @Test(arguments: [
        ("lifecycle", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
        ("max-keys=2&prefix=J", "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
    ])
    func verifiesBucketQueryExamples(query: String, signature: String) {
        let request = SignedRequest(
            method: "GET", rawPath: "/", rawQuery: query,
            headers: [
                ("Host", AWSExample.host), ("x-amz-date", "20130524T000000Z"), ("x-amz-content-sha256", AWSExample.emptySHA256),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                    + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=\(signature)"),
            ],
            payloadSHA256: AWSExample.emptySHA256)
        #expect(AWSExample.verifier.failure(request, now: AWSExample.time) == nil)
    }

    static let presignedQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256"
        + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"

    /// The presigned URL example of "Authenticating Requests: Using Query Parameters".
    @Test func verifiesPresignedExampleForItsWholeDay() throws {
        let request = SignedRequest(method: "GET", rawPath: "/test.txt", rawQuery: Self.presignedQuery,
                                    headers: [("Host", AWSExample.host)], payloadSHA256: nil)
        let scope = try AWSExample.verifier.verify(request, now: AWSExample.time)
        #expect(scope.accessKeyID == "AKIAIOSFODNN7EXAMPLE")
        #expect(AWSExample.verifier.failure(request, now: AWSExample.time.advanced(by: .seconds(86_400))) == nil)
    }

    @Test func signerReproducesPresignedExample() {
        let signer = SigV4Signer(credentials: AWSExample.credentials, region: "us-east-1", service: "s3")
        let query = signer.presignedQuery(method: "GET", host: AWSExample.host, rawPath: "/test.txt", rawQuery: "",
                                          expires: 86_400, at: AWSExample.time)
        #expect(query == Self.presignedQuery)
    }

    /// Vectors of AWS's Signature V4 test suite (service `service`, 20150830T123600Z), for a
    /// service other than S3, whose paths are normalised: `..`, `.` and repeated slashes.
    @Test(arguments: [
        ("/", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        ("/", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        ("/example1/example2/../..", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        ("//example//", "", "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
        ("/./example", "", "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"),
    ])
    func verifiesSignatureV4TestSuiteVectors(path: String, query: String, signature: String) {
        let credentials = SigV4Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        let request = SignedRequest(
            method: "GET", rawPath: path, rawQuery: query,
            headers: [
                ("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z"),
                ("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                    + "SignedHeaders=host;x-amz-date, Signature=\(signature)"),
            ],
            payloadSHA256: AWSExample.emptySHA256)
        let verifier = SigV4Verifier(credentials: [credentials])
        #expect(verifier.failure(request, now: Instant(iso8601: "2015-08-30T12:36:00Z")!) == nil)
    }
}
