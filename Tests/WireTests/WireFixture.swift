import Crypto
import Determinism
import Foundation
import JSON
import LocalCloud
import Wire

/// A fresh sandbox on a virtual clock behind a `WireGateway`, and a client that signs what it
/// sends with Signature V4 as an AWS SDK does.
final class WireFixture: Sendable {
    let root: URL
    let clock = VirtualClock(start: Instant(iso8601: "2026-03-02T09:00:00Z")!)
    let sandbox: CloudSandbox
    let gateway: WireGateway
    static let host = "127.0.0.1:4566"

    init(allowAnonymous: Bool = false, clientsMoveClock: Bool = true) throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("wire-\(UUID().uuidString)")
        sandbox = try CloudSandbox(root: root, clock: clock)
        gateway = WireGateway(sandbox: sandbox, allowAnonymous: allowAnonymous, signatureClock: clock, clientsMoveClock: clientsMoveClock)
    }

    /// Sends an unsigned request to an admin endpoint; the body is parsed as JSON.
    func admin(_ method: String, _ path: String, _ body: String = "") async -> (status: Int, json: JSONValue) {
        let response = await gateway.handle(WireRequest(method: method, target: path, headers: [("Host", Self.host)], body: Data(body.utf8)))
        return (response.status, (try? JSONParser.parse(String(decoding: response.body, as: UTF8.self))) ?? .null)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Sends an S3 request signed with the default `test`/`test` pair (or `secret`).
    func s3(_ method: String, _ target: String, headers: [(name: String, value: String)] = [], body: Data = Data(),
            secret: String = "test", signed: Bool = true, signedFor service: String = "s3") async -> WireResponse {
        await send(method, target, service: service, headers: headers, body: body, secret: secret, signed: signed)
    }

    /// Sends an SQS JSON request for `operation` with `input`.
    func sqs(_ operation: String, _ input: JSONValue, secret: String = "test") async -> (status: Int, json: JSONValue) {
        let response = await send("POST", "/", service: "sqs", headers: [
            ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS." + operation),
        ], body: Data(input.canonicalText.utf8), secret: secret, signed: true)
        let json = (try? JSONParser.parse(String(decoding: response.body, as: UTF8.self))) ?? .null
        return (response.status, json)
    }

    private func send(_ method: String, _ target: String, service: String, headers: [(name: String, value: String)], body: Data,
                      secret: String, signed: Bool) async -> WireResponse {
        var request = WireRequest(method: method, target: target, headers: headers + [("Host", Self.host)], body: body)
        if signed {
            let signer = SigV4Signer(credentials: SigV4Credentials(accessKeyID: "test", secretAccessKey: secret),
                                     region: "us-east-1", service: service)
            request.headers += signer.sign(method: method, host: Self.host, rawPath: request.rawPath, rawQuery: request.rawQuery,
                                           headers: request.headers, payloadSHA256: Hex.string(SHA256.hash(data: body)), at: clock.now)
        }
        return await gateway.handle(request)
    }
}

extension WireResponse {
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The `<Code>` of an S3 error document.
    var s3ErrorCode: String? {
        guard let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>") else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    var array: [JSONValue] {
        guard case .array(let items) = self else { return [] }
        return items
    }
}
