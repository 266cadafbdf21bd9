import Foundation
import HTTPClient
import LocalCloud
import Synchronization

/// An `ObjectStore` on any S3-compatible endpoint — AWS S3, MinIO, moto, `rehearse cloud serve` —
/// over the project's libcurl `HTTPClient`, with path-style requests signed with Signature V4
/// (`x-amz-content-sha256` is the payload's SHA-256).
///
/// What the protocol asks and S3 cannot give is either emulated on S3's own conditional
/// requests, or refused with `S3ObjectStoreError.unsupported`; never faked:
/// - **Generations** follow `S3Generations`: a bucket whose version ids are decimal integers
///   (`rehearse cloud serve`) has real generations, history included; any other bucket has
///   *content generations* (a fingerprint of the ETag), and there reading a noncurrent
///   generation or listing generations is refused.
/// - **Preconditions** on writes: `ifGenerationMatch: 0` is `If-None-Match: *`; any other
///   generation precondition reads the current object (HEAD), checks the condition, and makes
///   the write conditional on that object's ETag (`If-Match`), so a change in between fails it
///   with `preconditionFailed`. (Two generations with the same bytes have the same ETag, so a
///   rewrite of identical bytes in that window is not noticed.) Deletes with preconditions send
///   `If-Match` too; servers that ignore it on DeleteObject leave a short window.
/// - **Metadata**: S3 keeps no creation time (`created` is the last-modified time); listings
///   carry no content type or user metadata on buckets with content generations (`head` the
///   object for them); a put's times come from the answer's `Date`.
/// - `PutOptions.etag` is refused: S3 computes ETags itself.
/// - **Large puts** (over `multipartThreshold`) are multipart uploads, completed with the put's
///   conditions, so the object appears whole or not at all.
///
/// Failed exchanges and answers without an `ObjectStoreError` equivalent throw
/// `S3ObjectStoreError.requestFailed`, naming the endpoint, bucket and key. Only `503` answers
/// and refused connections are retried (three attempts in all); `RetryingObjectStore` and the
/// caller handle the rest.
public final class S3ObjectStore: ObjectStore, Sendable {
    /// The endpoint requests go to, as given (`http://127.0.0.1:4566`).
    public let endpointURL: String
    /// The region requests are signed for.
    public let region: String

    let endpoint: S3Endpoint
    let signer: SigV4Signer
    let sessionToken: String?
    /// Idle clients (each owns one keep-alive connection); a call takes one or makes one.
    private let clients = Mutex<[HTTPClient]>([])
    /// The generation rule each bucket's answers followed last.
    private let rules = Mutex<[String: S3Generations.Rule]>([:])

    /// A store on `endpoint`, signing for `region` with `credentials` (and sending
    /// `sessionToken` as `x-amz-security-token`, signed, when there is one).
    /// - Throws: `S3ObjectStoreError.configuration` for an endpoint that is not an http(s) URL.
    public init(endpoint: String, region: String = "us-east-1", credentials: SigV4Credentials,
                sessionToken: String? = nil) throws {
        self.endpoint = try S3Endpoint(endpoint)
        endpointURL = endpoint
        self.region = region
        signer = SigV4Signer(credentials: credentials, region: region, service: "s3")
        self.sessionToken = sessionToken.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A store configured as the AWS CLI and SDKs are: credentials, region and endpoint from
    /// `environment` and the shared files it points to, as `S3ClientConfiguration` finds them
    /// (`endpoint` first, if given).
    /// - Throws: `S3ObjectStoreError.configuration` naming what is missing or malformed.
    public static func fromEnvironment(endpoint: String? = nil,
                                       environment: [String: String] = ProcessInfo.processInfo.environment) throws -> S3ObjectStore {
        let configuration = try S3ClientConfiguration.resolve(endpoint: endpoint, environment: environment)
        return try S3ObjectStore(endpoint: configuration.endpoint, region: configuration.region,
                                 credentials: configuration.credentials, sessionToken: configuration.sessionToken)
    }

    // MARK: Buckets

    public func createBucket(_ name: String) throws {
        var call = S3Call(operation: "createBucket", method: "PUT", bucket: name)
        if region != "us-east-1" {
            call.body = Array(("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>\(region)</LocationConstraint></CreateBucketConfiguration>").utf8)
        }
        do {
            _ = try send(call)
        } catch let failure as S3Failure where failure.code == "BucketAlreadyOwnedByYou" {
            return
        } catch let failure as S3Failure {
            throw failure.mapped
        }
    }

    public func bucketNames() throws -> [String] {
        let response = try sendMapped(S3Call(operation: "bucketNames", method: "GET"))
        let document = try decode(S3ClientDocuments.ListAllMyBucketsResult.self, response, S3Call(operation: "bucketNames", method: "GET"))
        return (document.Buckets?.Bucket ?? []).map(\.Name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    public func deleteBucket(_ name: String) throws {
        _ = try sendMapped(S3Call(operation: "deleteBucket", method: "DELETE", bucket: name))
        _ = rules.withLock { $0.removeValue(forKey: name) }
    }

    // MARK: Generation rules

    /// The rule `bucket`'s answers followed last, nil before the first answer about an object.
    func rule(_ bucket: String) -> S3Generations.Rule? {
        rules.withLock { $0[bucket] }
    }

    /// Records which rule an answer about an object in `bucket` followed.
    func observe(_ rule: S3Generations.Rule, bucket: String) {
        rules.withLock { $0[bucket] = rule }
    }

    // MARK: Clients

    /// Runs `body` with an idle client (made when none is idle), then keeps it for the next call.
    func withClient<T>(_ body: (HTTPClient) throws -> T) rethrows -> T {
        let client = clients.withLock { $0.popLast() } ?? HTTPClient()
        defer { clients.withLock { if $0.count < 16 { $0.append(client) } } }
        return try body(client)
    }
}
