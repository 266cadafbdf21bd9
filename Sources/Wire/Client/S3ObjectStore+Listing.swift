import Foundation
import HTTPClient
import LocalCloud

/// list (ListObjectsV2) and generations (ListObjectVersions).
extension S3ObjectStore {
    /// One page of ListObjectsV2. On a bucket with version generations each object is read with
    /// a HEAD, so the page has generations (and content types and user metadata) that `get`
    /// and preconditions accept; an object deleted in between is left out. On a bucket with
    /// content generations the page is the listing's own: content type empty, no user metadata.
    public func list(bucket: String, options: ListOptions) throws -> ObjectListing {
        guard options.maxKeys >= 1 else {
            throw ObjectStoreError.invalidArgument(field: "maxKeys", reason: "must be at least 1, not \(options.maxKeys)")
        }
        var call = S3Call(operation: "list", method: "GET", bucket: bucket)
        call.query = [("list-type", "2"), ("max-keys", String(min(options.maxKeys, 1000)))]
        if !options.prefix.isEmpty { call.query.append(("prefix", options.prefix)) }
        if let delimiter = options.delimiter, !delimiter.isEmpty { call.query.append(("delimiter", delimiter)) }
        if let startAfter = options.startAfter { call.query.append(("start-after", startAfter)) }
        if let token = options.pageToken { call.query.append(("continuation-token", token)) }
        let response: HTTPResponse
        do {
            response = try send(call)
        } catch let failure as S3Failure where options.pageToken != nil && failure.code == "InvalidArgument" {
            throw ObjectStoreError.invalidPageToken(options.pageToken!)
        } catch let failure as S3Failure {
            throw failure.mapped
        }
        let document = try decode(S3ClientDocuments.ListBucketResult.self, response, call)
        var objects = (document.Contents ?? []).map { listed in
            let etag = S3Generations.unquoted(listed.ETag ?? "")
            let updated = listed.LastModified.flatMap(Instant.init(iso8601:)) ?? .epoch
            return ObjectMetadata(bucket: bucket, key: listed.Key, generation: S3Generations.contentGeneration(etag: etag),
                                  size: listed.Size ?? 0, etag: etag, contentType: "", userMetadata: [:],
                                  created: updated, updated: updated, isCurrent: true)
        }
        if !objects.isEmpty, rule(bucket) != .content {
            // A listing carries no version ids: HEAD the objects when the bucket has (or may
            // have, before its first answer) version generations.
            var headed: [ObjectMetadata] = []
            for object in objects {
                do {
                    headed.append(try headCurrent(bucket: bucket, key: object.key, operation: "list"))
                } catch ObjectStoreError.objectNotFound {
                    continue
                }
                if rule(bucket) == .content { break }
            }
            if rule(bucket) == .versions { objects = headed }
        }
        let next = document.IsTruncated == true ? document.NextContinuationToken : nil
        return ObjectListing(objects: objects, commonPrefixes: (document.CommonPrefixes ?? []).map(\.Prefix), nextPageToken: next)
    }

    /// Every generation of `key`, newest first, from ListObjectVersions, each read with a HEAD.
    /// - Throws: `S3ObjectStoreError.unsupported` when the versions found have ids that are not
    ///   numbers (versioning off: `null`; opaque ids): such a bucket keeps no generations the
    ///   protocol can name.
    public func generations(bucket: String, key: String) throws -> [ObjectMetadata] {
        try requireKey(key)
        var versions: [S3ClientDocuments.ListVersionsResult.Version] = []
        var keyMarker: String?
        var versionMarker: String?
        pages: while true {
            var call = S3Call(operation: "generations", method: "GET", bucket: bucket, key: nil)
            call.query = [("versions", ""), ("prefix", key)]
            if let keyMarker { call.query.append(("key-marker", keyMarker)) }
            if let versionMarker { call.query.append(("version-id-marker", versionMarker)) }
            let document = try decode(S3ClientDocuments.ListVersionsResult.self, try sendMapped(call), call)
            for version in document.Version ?? [] {
                if version.Key.utf8.lexicographicallyPrecedes(key.utf8) { continue }
                if version.Key != key { break pages }
                versions.append(version)
            }
            guard document.IsTruncated == true, let next = document.NextKeyMarker, next.utf8.elementsEqual(key.utf8)
                    || next.utf8.lexicographicallyPrecedes(key.utf8)
            else { break }
            keyMarker = next
            versionMarker = document.NextVersionIdMarker
        }
        if let opaque = versions.first(where: { S3Generations.versionGeneration($0.VersionId) == nil }) {
            let id = opaque.VersionId ?? "none"
            throw S3ObjectStoreError.unsupported(
                operation: "generations", endpoint: endpoint.description,
                reason: "s3://\(bucket)/\(key) has version id \"\(id)\", not a number: "
                    + (id == "null" || id == "none" ? "the bucket's versioning is off, so it keeps no generations"
                       : "the bucket's version ids are opaque, so they cannot be named as generations")
                    + "; only the current generation can be read (head or get without a generation)")
        }
        var result: [ObjectMetadata] = []
        for version in versions {
            let generation = S3Generations.versionGeneration(version.VersionId)!
            do {
                let response = try sendMapped(S3Call(operation: "generations", method: "HEAD", bucket: bucket, key: key,
                                                     query: [("versionId", version.VersionId!)], generation: generation))
                var object = metadata(response, bucket: bucket, key: key, size: nil)
                object.isCurrent = version.IsLatest ?? false
                result.append(object)
            } catch ObjectStoreError.objectNotFound {
                continue  // trimmed since the listing
            }
        }
        return result.sorted { $0.generation > $1.generation }
    }
}
