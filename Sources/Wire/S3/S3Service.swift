import Foundation
import LocalCloud

/// S3's REST API, path-style (`/bucket/key`), over an `ObjectStore`: a plain function from a
/// (verified) request to a response, so the HTTP server, tests and benches share it.
///
/// Object versions are the store's generations: `versionId` is a generation number. What differs
/// from AWS is listed in docs/wire.md.
public final class S3Service: Sendable {
    let store: any ObjectStore
    let uploads: MultipartUploads
    let clock: any CloudClock

    /// Serves `store`; multipart uploads in progress keep their parts under `uploadsFolder`.
    public init(store: any ObjectStore, uploadsFolder: URL, clock: any CloudClock) {
        self.store = store
        self.uploads = MultipartUploads(folder: uploadsFolder, clock: clock)
        self.clock = clock
    }

    /// Answers one request. Errors become S3's `<Error>` documents (HEAD answers carry no body).
    public func handle(_ request: WireRequest, requestID: String) -> WireResponse {
        var response: WireResponse
        do {
            response = try route(request)
        } catch {
            response = Self.errorResponse(error, requestID: requestID, method: request.method)
        }
        response.headers.append(("x-amz-request-id", requestID))
        return response
    }

    /// The `<Error>` answer for `error`.
    static func errorResponse(_ error: S3Error, requestID: String, method: String) -> WireResponse {
        var response = S3XML.response(
            S3ErrorDocument(Code: error.code, Message: error.message, Resource: error.resource, RequestId: requestID),
            root: "Error", status: error.status, namespaced: false)
        if method == "HEAD" { response.body = Data() }
        return response
    }

    private func route(_ request: WireRequest) throws(S3Error) -> WireResponse {
        let path = PercentDecoding.decode(request.rawPath.dropFirst(), plusIsSpace: false)
        let parts = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = String(parts[0])
        let key = parts.count > 1 ? String(parts[1]) : ""
        let query = request.query
        if let subresource = Self.unsupportedSubresources.first(where: query.has) {
            throw S3Error("NotImplemented", status: 501,
                          "?\(subresource) is not implemented by rehearse cloud serve (no ACLs, policies, lifecycle, tagging, encryption or object lock: see docs/wire.md)")
        }
        if bucket.isEmpty {
            guard request.method == "GET" else { throw Self.notAllowed(request.method) }
            return try listBuckets(query)
        }
        if key.isEmpty {
            switch request.method {
            case "PUT" where query.has("versioning"): return try putBucketVersioning(bucket, request)
            case "PUT": return try createBucket(bucket)
            case "HEAD": return try headBucket(bucket)
            case "DELETE": return try deleteBucket(bucket)
            case "POST" where query.has("delete"): return try deleteObjects(bucket, request)
            case "GET" where query.has("versioning"):
                try requireBucket(bucket)
                return S3XML.response(VersioningConfiguration(), root: "VersioningConfiguration")
            case "GET" where query.has("location"):
                try requireBucket(bucket)
                return WireResponse(status: 200, headers: [("Content-Type", "application/xml")], body: Data(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><LocationConstraint xmlns=\"\(S3XML.namespace)\"/>".utf8))
            case "GET" where query.has("versions"): return try listVersions(bucket, query)
            case "GET" where query.has("uploads"): throw S3Error("NotImplemented", status: 501,
                                                                 "ListMultipartUploads is not implemented by rehearse cloud serve")
            case "GET" where query["list-type"] == "2": return try listObjectsV2(bucket, query)
            case "GET": return try listObjectsV1(bucket, query)
            default: throw Self.notAllowed(request.method)
            }
        }
        let uploadID = query["uploadId"]
        switch request.method {
        case "PUT" where uploadID != nil: return try uploadPart(bucket, key, uploadID: uploadID!, request)
        case "PUT" where request.header("x-amz-copy-source") != nil: return try copyObject(bucket, key, request)
        case "PUT": return try putObject(bucket, key, request)
        case "GET" where uploadID != nil: return try listParts(bucket, key, uploadID: uploadID!, query)
        case "GET", "HEAD": return try getObject(bucket, key, request, includeBody: request.method == "GET")
        case "DELETE" where uploadID != nil: return try abortUpload(bucket, key, uploadID: uploadID!)
        case "DELETE": return try deleteObject(bucket, key, versionID: query["versionId"], ifMatch: request.header("If-Match"))
        case "POST" where query.has("uploads"): return try createUpload(bucket, key, request)
        case "POST" where uploadID != nil: return try completeUpload(bucket, key, uploadID: uploadID!, request)
        default: throw Self.notAllowed(request.method)
        }
    }

    /// S3's subresources (query parameters that name a configuration of a bucket or object,
    /// not the object itself) that this service does not keep. A request that names one gets
    /// `501 NotImplemented` whatever its method, so that `PUT ?acl` or `DELETE ?tagging` is never
    /// taken for a plain put or delete of the object or bucket.
    static let unsupportedSubresources = [
        "accelerate", "acl", "analytics", "attributes", "cors", "encryption", "intelligent-tiering", "inventory",
        "legal-hold", "lifecycle", "logging", "metadataTable", "metrics", "notification", "object-lock",
        "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment",
        "restore", "retention", "select", "select-type", "tagging", "torrent", "website",
    ]

    static func notAllowed(_ method: String) -> S3Error {
        S3Error("MethodNotAllowed", status: 405, "The specified method is not allowed against this resource: \(method)")
    }

    /// Runs a store call, turning its errors into S3's.
    func storeCall<Result>(_ body: () throws -> Result) throws(S3Error) -> Result {
        do {
            return try body()
        } catch let error as ObjectStoreError {
            throw S3Error(error)
        } catch let error as S3Error {
            throw error
        } catch {
            throw S3Error("InternalError", status: 500, "We encountered an internal error: \(error)")
        }
    }

    func requireBucket(_ bucket: String) throws(S3Error) {
        guard try storeCall({ try store.bucketNames() }).contains(bucket) else { throw S3Error.noSuchBucket(bucket) }
    }

    /// `versionId` as a generation.
    static func generation(_ versionID: String?) throws(S3Error) -> Int64? {
        guard let versionID, versionID != "null" else { return nil }
        guard let generation = Int64(versionID), generation > 0 else {
            throw S3Error.invalidArgument("Invalid version id specified: \(versionID) (versions here are generation numbers)")
        }
        return generation
    }

    /// The headers every object answer carries.
    /// `Cache-Control` for `cache-control`: a stored header's usual spelling.
    private static func storedHeaderName(_ lowercased: String) -> String {
        lowercased.hasPrefix("x-amz-") ? lowercased
            : lowercased.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: "-")
    }

    static func objectHeaders(_ metadata: ObjectMetadata) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("ETag", "\"\(metadata.etag)\""), ("Last-Modified", WireTime.httpDate(metadata.updated)),
            ("x-amz-version-id", String(metadata.generation)), ("Content-Type", metadata.contentType),
        ]
        for name in metadata.userMetadata.keys.sorted() {
            let value = metadata.userMetadata[name]!
            if name.hasPrefix(":") {
                let header = String(name.dropFirst())
                if storedHeaders.contains(header) { headers.append((storedHeaderName(header), value)) }
            } else {
                headers.append(("x-amz-meta-" + name, value))
            }
        }
        return headers
    }
}
