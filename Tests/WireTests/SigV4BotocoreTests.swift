import Foundation
import LocalCloud
import Testing
import Wire

/// Cross-checks with a real AWS client: botocore signs requests (through its S3 and SQS clients,
/// with the checksum and SDK headers they add) and presigned URLs; the verifier must accept them
/// and the signer must write the very same signatures.
@Suite(.enabled(if: BotocoreCapture.isAvailable, "botocore is not installed for python3 (pip install botocore)"))
struct SigV4BotocoreTests {
    /// The time the script pins botocore's clock to, plus a few seconds.
    static let now = Instant(iso8601: "2026-11-30T12:35:00Z")!
    static let credentials = SigV4Credentials(accessKeyID: "rehearsal", secretAccessKey: "s3cr3t+/with spaces/ünïcødé=")

    @Test func verifierAcceptsEveryBotocoreRequest() throws {
        let captured = try BotocoreCapture.captured.get()
        #expect(captured.count == 11)
        let verifier = SigV4Verifier(credentials: [Self.credentials])
        for request in captured {
            let failure = verifier.failure(request.signedRequest, now: Self.now)
            #expect(failure == nil, "\(request.name): \(failure.map(String.init(describing:)) ?? "")")
        }
    }

    @Test func verifierRejectsTamperedBotocoreRequests() throws {
        let verifier = SigV4Verifier(credentials: [Self.credentials])
        for request in try BotocoreCapture.captured.get() {
            var tampered = request.signedRequest
            tampered.rawPath += "x"
            guard case .signatureMismatch? = verifier.failure(tampered, now: Self.now) else {
                Issue.record("\(request.name): a changed path still verified")
                continue
            }
        }
    }

    @Test func signerWritesBotocoresHeaderSignatures() throws {
        let headerSigned = try BotocoreCapture.captured.get().filter { $0.header("X-Amz-Date") != nil }
        #expect(headerSigned.count == 6)
        for request in headerSigned {
            let authorization = try #require(request.header("Authorization"))
            let service = authorization.contains("/s3/aws4_request") ? "s3" : "sqs"
            let signedNames = authorization.split(separator: " ").first { $0.hasPrefix("SignedHeaders=") }
                .map { $0.dropFirst("SignedHeaders=".count).dropLast().split(separator: ";").map(String.init) } ?? []
            let headers = request.headerPairs.filter {
                signedNames.contains($0.name.lowercased()) && !["x-amz-date", "x-amz-content-sha256"].contains($0.name.lowercased())
            }
            let signer = SigV4Signer(credentials: Self.credentials, region: "eu-west-3", service: service)
            let added = signer.sign(method: request.method, host: "127.0.0.1:4566", rawPath: request.path, rawQuery: request.query,
                                    headers: headers, payloadSHA256: request.header("X-Amz-Content-SHA256") ?? request.sha256,
                                    at: Instant(iso8601: "2026-11-30T12:34:56Z")!)
            #expect(added.last?.value == authorization, "\(request.name)")
        }
    }

    @Test func signerWritesBotocoresPresignedURLs() throws {
        let presigned = try BotocoreCapture.captured.get().filter { $0.name.hasPrefix("presigned") }
        #expect(presigned.count == 3)
        let signer = SigV4Signer(credentials: Self.credentials, region: "eu-west-3", service: "s3")
        for request in presigned {
            let own = request.query.components(separatedBy: "X-Amz-Algorithm=").first.map { String($0.dropLast()) } ?? ""
            let expires = request.query.contains("X-Amz-Expires=60&") ? 60 : 300
            let query = signer.presignedQuery(method: request.method, host: "127.0.0.1:4566", rawPath: request.path, rawQuery: own,
                                              expires: expires, at: Instant(iso8601: "2026-11-30T12:34:56Z")!)
            #expect(query == request.query, "\(request.name)")
        }
    }
}

/// Runs botocore in a python3 child process.
enum BotocoreCapture {
    /// The `python3` on PATH.
    static let python: URL? = (ProcessInfo.processInfo.environment["PATH"] ?? "")
        .split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent("python3") }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// Whether python3 is on PATH and can import botocore.
    static let isAvailable: Bool = (try? run("import botocore")) != nil

    /// A request as botocore would have sent it.
    struct Captured: Decodable {
        let name, method, path, query, sha256: String
        let headers: [[String]]

        var signedRequest: SignedRequest {
            SignedRequest(method: method, rawPath: path, rawQuery: query, headers: headerPairs, payloadSHA256: sha256)
        }

        var headerPairs: [(name: String, value: String)] { headers.map { ($0[0], $0[1]) } }

        func header(_ name: String) -> String? {
            headers.first { $0[0].lowercased() == name.lowercased() }?[1]
        }
    }

    /// The requests the capture script makes (run once, for every test): S3 and SQS calls through botocore clients (sent to a
    /// `before-send` hook instead of the network), presigned URLs, and two requests signed with a
    /// `Date` header, all at 2026-11-30T12:34:56Z.
    static let captured = Result { try JSONDecoder().decode([Captured].self, from: run(captureScript)) }

    /// Runs `python3 -c script` and returns its standard output.
    /// - Throws: when python3 is missing or the script fails, with its standard error.
    static func run(_ script: String) throws -> Data {
        guard let python else { throw BotocoreError(description: "python3 is not on PATH") }
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let messages = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BotocoreError(description: "python3 exited with \(process.terminationStatus): \(String(decoding: messages, as: UTF8.self))")
        }
        return data
    }

    struct BotocoreError: Error, CustomStringConvertible {
        let description: String
    }

    static let captureScript = #"""
        import datetime, hashlib, json
        from urllib.parse import urlsplit
        import botocore.auth, botocore.session
        from botocore.auth import S3SigV4Auth, SigV4Auth
        from botocore.awsrequest import AWSRequest, AWSResponse
        from botocore.config import Config
        from botocore.credentials import Credentials

        # Every signature is made at this fixed time, so the test needs no clock.
        botocore.auth.get_current_datetime = lambda *args, **kwargs: datetime.datetime(2026, 11, 30, 12, 34, 56)
        ACCESS, SECRET, ENDPOINT = "rehearsal", "s3cr3t+/with spaces/ünïcødé=", "http://127.0.0.1:4566"
        out = []

        def body_bytes(body):
            if body is None: return b""
            if isinstance(body, str): return body.encode()
            if isinstance(body, (bytes, bytearray)): return bytes(body)
            position = body.tell(); data = body.read(); body.seek(position); return data

        def record(name, method, url, headers, body):
            parts = urlsplit(url)
            pairs = [[k, v.decode() if isinstance(v, bytes) else v] for k, v in headers.items()]
            if not any(k.lower() == "host" for k, _ in pairs): pairs.append(["Host", parts.netloc])
            out.append({"name": name, "method": method, "path": parts.path, "query": parts.query, "headers": pairs,
                        "sha256": hashlib.sha256(body_bytes(body)).hexdigest()})

        class Empty:
            def stream(self, **kwargs): yield b""

        def client(service):
            c = botocore.session.get_session().create_client(
                service, region_name="eu-west-3", endpoint_url=ENDPOINT, aws_access_key_id=ACCESS,
                aws_secret_access_key=SECRET, config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}))
            def capture(request, **kwargs):
                record(kwargs["event_name"].split(".")[-1], request.method, request.url, request.headers, request.body)
                return AWSResponse(request.url, 200, {}, Empty())
            c.meta.events.register("before-send", capture)
            return c

        def attempt(call):
            try: call()
            except Exception: pass  # the empty fake response may not parse; the request is captured already

        s3 = client("s3")
        attempt(lambda: s3.put_object(Bucket="bucket", Key="dir/a b+c ü ~!*'().txt", Body=b"hello world"))
        attempt(lambda: s3.list_objects_v2(Bucket="bucket", Prefix="a b+c/ü", Delimiter="/", StartAfter="x=y&z"))
        attempt(lambda: s3.get_object(Bucket="bucket", Key="plain", Range="bytes=0-9"))
        attempt(lambda: s3.delete_objects(Bucket="bucket", Delete={"Objects": [{"Key": "a"}, {"Key": "b c"}]}))
        sqs = client("sqs")
        attempt(lambda: sqs.send_message(QueueUrl=ENDPOINT + "/000000000000/jobs", MessageBody="hello ü"))
        attempt(lambda: sqs.receive_message(QueueUrl=ENDPOINT + "/000000000000/jobs", MaxNumberOfMessages=10))
        for name, params in [("presigned-get", {"Bucket": "bucket", "Key": "dir/a b+c ü.txt"}),
                             ("presigned-get-query", {"Bucket": "bucket", "Key": "k", "ResponseContentDisposition": 'attachment; filename="x y+z.txt"'})]:
            url = s3.generate_presigned_url("get_object", Params=params, ExpiresIn=300)
            record(name, "GET", url, {}, b"")
        url = s3.generate_presigned_url("put_object", Params={"Bucket": "bucket", "Key": "up load"}, ExpiresIn=60)
        record("presigned-put", "PUT", url, {}, b"uploaded body")
        credentials = Credentials(ACCESS, SECRET)
        for name, auth, service in [("date-header-s3", S3SigV4Auth, "s3"), ("date-header-sqs", SigV4Auth, "sqs")]:
            request = AWSRequest("POST", ENDPOINT + "/", data=b'{"QueueName": "q"}', headers={"Date": "replaced by botocore"})
            auth(credentials, service, "eu-west-3").add_auth(request)
            record(name, request.method, request.url, request.headers, request.body)
        print(json.dumps(out))
        """#
}
