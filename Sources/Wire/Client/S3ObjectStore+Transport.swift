import Crypto
import Determinism
import Foundation
import HTTPClient
import LocalCloud
import XMLCoder

/// Signing, sending and reading answers.
extension S3ObjectStore {
    /// How many times a call is sent in all when it is answered `503` (S3's `SlowDown`: nothing
    /// was done) or its connection is refused (nothing was sent).
    static let attempts = 3

    /// Sends `call`, signed; returns a 2xx (or 304) answer.
    /// - Throws: `S3Failure` for an S3 error answer, `S3ObjectStoreError.requestFailed` when no
    ///   answer came.
    func send(_ call: S3Call) throws -> HTTPResponse {
        let rawPath = endpoint.rawPath(bucket: call.bucket, key: call.key)
        let rawQuery = S3Endpoint.rawQuery(call.query)
        let payloadHash = Hex.string(SHA256.hash(data: call.body))
        var headers = call.headers
        if let sessionToken { headers.append(("x-amz-security-token", sessionToken)) }
        let timeout = Duration.seconds(30 + call.body.count / (1 << 20))
        var attempt = 1
        while true {
            let signed = signer.sign(method: call.method, host: endpoint.host, rawPath: rawPath, rawQuery: rawQuery,
                                     headers: headers, payloadSHA256: payloadHash, at: SystemClock().now)
            let request = HTTPRequest(method: call.method, url: endpoint.url(rawPath: rawPath, rawQuery: rawQuery),
                                      headers: headers + signed, body: call.body, timeout: timeout)
            let response: HTTPResponse
            do {
                response = try withClient { try $0.send(request) }
            } catch HTTPClientError.cannotConnect where attempt < Self.attempts {
                attempt += 1
                usleep(UInt32(100_000 * attempt * attempt))
                continue
            } catch {
                throw S3ObjectStoreError.requestFailed(operation: call.operation, endpoint: endpoint.description,
                                                       resource: call.resource, reason: String(describing: error))
            }
            if (200..<300).contains(response.status) || response.status == 304 { return response }
            if response.status == 503 && attempt < Self.attempts {
                attempt += 1
                usleep(UInt32(100_000 * attempt * attempt))
                continue
            }
            let document = try? XMLDecoder().decode(S3ClientDocuments.ErrorDocument.self, from: Data(response.body))
            throw S3Failure(call: call, endpoint: endpoint.description, status: response.status,
                            code: document?.Code ?? "", message: document?.Message ?? "")
        }
    }

    /// `send`, with an error answer thrown as the error it means (`S3Failure.mapped`).
    func sendMapped(_ call: S3Call) throws -> HTTPResponse {
        do {
            return try send(call)
        } catch let failure as S3Failure {
            throw failure.mapped
        }
    }

    /// Reads an XML answer.
    func decode<Document: Decodable>(_ type: Document.Type, _ response: HTTPResponse, _ call: S3Call) throws -> Document {
        do {
            return try XMLDecoder().decode(type, from: Data(response.body))
        } catch {
            throw S3ObjectStoreError.requestFailed(operation: call.operation, endpoint: endpoint.description, resource: call.resource,
                                                   reason: "the answer is not the XML S3 sends (\(error)): \(response.text.prefix(200))")
        }
    }
}
