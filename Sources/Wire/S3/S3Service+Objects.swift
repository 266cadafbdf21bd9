import Foundation
import LocalCloud

/// PutObject, GetObject, HeadObject, DeleteObject and CopyObject.
extension S3Service {
    /// What S3 records when a write names no content type.
    static let defaultContentType = "binary/octet-stream"

    func putObject(_ bucket: String, _ key: String, _ request: WireRequest) throws(S3Error) -> WireResponse {
        let data = try ObjectPayload.read(request)
        let preconditions = try writeConditions(bucket, key, request)
        let options = PutOptions(contentType: request.header("Content-Type") ?? Self.defaultContentType,
                                 userMetadata: try Self.userMetadata(request), preconditions: preconditions)
        let metadata = try storeCall { try store.put(data, bucket: bucket, key: key, options: options) }
        return WireResponse(status: 200, headers: [("ETag", "\"\(metadata.etag)\""), ("x-amz-version-id", String(metadata.generation))])
    }

    /// A conditional write's preconditions: `If-None-Match: *` (only if absent) and `If-Match`
    /// (only if the current ETag matches: the generation seen is then required, so a change in
    /// between also fails).
    func writeConditions(_ bucket: String, _ key: String, _ request: WireRequest) throws(S3Error) -> Preconditions {
        var preconditions = Preconditions()
        if let ifNoneMatch = request.header("If-None-Match") {
            guard ifNoneMatch.trimmingCharacters(in: .whitespaces) == "*" else {
                throw S3Error("NotImplemented", status: 501, "A header you provided implies functionality that is not implemented: "
                                  + "If-None-Match on a write takes only *")
            }
            preconditions = .doesNotExist
        }
        if let ifMatch = request.header("If-Match") {
            let current = try storeCall { try store.head(bucket: bucket, key: key, generation: nil) }
            guard ObjectConditions.matches(ifMatch, etag: current.etag) else {
                throw S3Error(ObjectStoreError.preconditionFailed(bucket: bucket, key: key, condition: "If-Match", currentGeneration: nil))
            }
            preconditions.ifGenerationMatch = current.generation
        }
        return preconditions
    }

    func getObject(_ bucket: String, _ key: String, _ request: WireRequest, includeBody: Bool) throws(S3Error) -> WireResponse {
        let generation = try Self.generation(request.query["versionId"])
        let partNumber = try ObjectParts.requestedPart(request.query["partNumber"], range: request.header("Range"))
        // One read: the bytes and the metadata they were written with, judged together.
        let object: StoredObject? = includeBody ? try storeCall { try store.get(bucket: bucket, key: key, generation: generation) } : nil
        let metadata: ObjectMetadata
        if let object {
            metadata = object.metadata
        } else {
            metadata = try storeCall { try store.head(bucket: bucket, key: key, generation: generation) }
        }
        switch ObjectConditions(request).evaluate(metadata) {
        case .notModified:
            return WireResponse(status: 304, headers: [("ETag", "\"\(metadata.etag)\""),
                                                       ("Last-Modified", WireTime.httpDate(metadata.updated))])
        case .preconditionFailed:
            throw S3Error(ObjectStoreError.preconditionFailed(bucket: bucket, key: key, condition: "If-Match", currentGeneration: nil))
        case .proceed: break
        }
        var headers = Self.objectHeaders(metadata) + [("Accept-Ranges", "bytes")]
        for (parameter, header) in Self.responseOverrides {
            guard let value = request.query[parameter] else { continue }
            headers.removeAll { $0.name.lowercased() == header.lowercased() }
            headers.append((header, value))
        }
        let range: ByteRange?
        if let partNumber {
            // As S3: a part is read as a range (206), and an object from a multipart upload
            // says how many parts it has.
            let parts = ObjectParts(userMetadata: metadata.userMetadata, size: metadata.size)
            range = try parts.range(ofPart: partNumber)
            if parts.isMultipart { headers.append(("x-amz-mp-parts-count", String(parts.sizes.count))) }
        } else {
            range = try ByteRange.parse(request.header("Range"), size: metadata.size)
        }
        if let range { headers.append(("Content-Range", range.contentRange(size: metadata.size))) }
        let status = range == nil ? 200 : 206
        guard let object else {
            let length = range.map { $0.last - $0.first + 1 } ?? metadata.size
            return WireResponse(status: status, headers: headers + [("Content-Length", String(length))])
        }
        let body = range.map { object.data.subdata(in: Int($0.first)..<Int($0.last + 1)) } ?? object.data
        return WireResponse(status: status, headers: headers, body: body)
    }

    /// DeleteObject; with `ifMatch` (an `If-Match` list) a conditional delete, as S3 does it:
    /// 412 when the object's ETag is not named (also if it changes in between), 404 when there is
    /// no object.
    func deleteObject(_ bucket: String, _ key: String, versionID: String?, ifMatch: String?) throws(S3Error) -> WireResponse {
        var generation = try Self.generation(versionID)
        if let ifMatch {
            let current = try storeCall { try store.head(bucket: bucket, key: key, generation: generation) }
            guard ObjectConditions.matches(ifMatch, etag: current.etag) else {
                throw S3Error(ObjectStoreError.preconditionFailed(bucket: bucket, key: key, condition: "If-Match", currentGeneration: nil))
            }
            generation = current.generation
        }
        try storeCall {
            do {
                try store.delete(bucket: bucket, key: key, preconditions: Preconditions(ifGenerationMatch: generation))
            } catch ObjectStoreError.objectNotFound where ifMatch == nil {
                // S3 answers 204 for a key that is not there.
            } catch let error as ObjectStoreError where ifMatch != nil {
                throw error
            } catch ObjectStoreError.preconditionFailed {
                throw S3Error("NotImplemented", status: 501,
                              "deleting a noncurrent version (\(generation ?? 0)) is not supported: only the current one can be deleted")
            }
        }
        var headers: [(name: String, value: String)] = []
        if let versionID { headers.append(("x-amz-version-id", versionID)) }
        return WireResponse(status: 204, headers: headers)
    }

    func copyObject(_ bucket: String, _ key: String, _ request: WireRequest) throws(S3Error) -> WireResponse {
        let source = try Self.copySource(request.header("x-amz-copy-source")!)
        let metadata = try storeCall { try store.head(bucket: source.bucket, key: source.key, generation: source.generation) }
        guard ObjectConditions(request, prefix: "x-amz-copy-source-").evaluate(metadata) == .proceed else {
            throw S3Error(ObjectStoreError.preconditionFailed(bucket: source.bucket, key: source.key, condition: "copy source",
                                                              currentGeneration: nil))
        }
        let directive = request.header("x-amz-metadata-directive") ?? "COPY"
        guard directive == "COPY" || directive == "REPLACE" else {
            throw S3Error("InvalidArgument", status: 400, "Unknown metadata directive: \(directive) (COPY or REPLACE).")
        }
        let replace = directive == "REPLACE"
        if source.bucket == bucket && source.key == key && source.generation == nil && !replace {
            throw S3Error("InvalidRequest", status: 400, "This copy request is illegal because it is trying to copy an object to "
                              + "itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
        }
        let object = try storeCall { try store.get(bucket: source.bucket, key: source.key, generation: metadata.generation) }
        // A copy is written in one piece: it has no parts of its own.
        var options = PutOptions(contentType: metadata.contentType, userMetadata: metadata.userMetadata.filter { $0.key != ObjectParts.metadataKey },
                                 preconditions: try writeConditions(bucket, key, request))
        if replace {
            options.contentType = request.header("Content-Type") ?? Self.defaultContentType
            options.userMetadata = try Self.userMetadata(request)
        }
        let copied = try storeCall { try store.put(object.data, bucket: bucket, key: key, options: options) }
        var response = S3XML.response(CopyObjectResult(ETag: "\"\(copied.etag)\"", LastModified: WireTime.s3Timestamp(copied.updated)),
                                      root: "CopyObjectResult")
        response.headers += [("x-amz-version-id", String(copied.generation)),
                             ("x-amz-copy-source-version-id", String(metadata.generation))]
        return response
    }

    /// `x-amz-copy-source`: `[/]bucket/key[?versionId=N]`, percent-encoded.
    static func copySource(_ header: String) throws(S3Error) -> ObjectLocation {
        let parts = header.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var path = PercentDecoding.decode(parts[0], plusIsSpace: false)
        if path.hasPrefix("/") { path.removeFirst() }
        let halves = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard halves.count == 2, !halves[0].isEmpty, !halves[1].isEmpty else {
            throw S3Error.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey, got \(header)")
        }
        let versionID = parts.count > 1 ? QueryParameters(raw: String(parts[1]))["versionId"] : nil
        return ObjectLocation(bucket: String(halves[0]), key: String(halves[1]), generation: try generation(versionID))
    }

    /// The `x-amz-meta-*` headers, by their lowercased names without the prefix.
    /// A write's metadata to keep: its `x-amz-meta-*` headers by their lowercase names, and the
    /// standard headers S3 keeps with an object (`storedHeaders`) under `:<lowercase name>` — a
    /// name no `x-amz-meta-` header can give, as `:` is not allowed in header names.
    /// - Throws: `MetadataTooLarge` when the `x-amz-meta-*` names and values pass S3's 2 KB.
    static func userMetadata(_ request: WireRequest) throws(S3Error) -> [String: String] {
        var metadata: [String: String] = [:]
        var userBytes = 0
        for (name, value) in request.headers {
            let lowercased = name.lowercased()
            if lowercased.hasPrefix("x-amz-meta-") {
                let key = String(lowercased.dropFirst("x-amz-meta-".count))
                metadata[key] = value
                userBytes += key.utf8.count + value.utf8.count
            } else if storedHeaders.contains(lowercased) {
                metadata[":" + lowercased] = value
            }
        }
        guard userBytes <= 2048 else {
            throw S3Error("MetadataTooLarge", status: 400,
                          "Your metadata headers exceed the maximum allowed metadata size: \(userBytes) bytes of x-amz-meta-* names and values, at most 2048.")
        }
        return metadata
    }

    /// The standard headers S3 keeps with an object and answers GET and HEAD with.
    static let storedHeaders: Set = [
        "cache-control", "content-disposition", "content-encoding", "content-language", "expires", "x-amz-website-redirect-location",
    ]

    /// The `response-*` query parameters of a GET or HEAD and the headers they set in the answer.
    static let responseOverrides = [
        ("response-cache-control", "Cache-Control"), ("response-content-disposition", "Content-Disposition"),
        ("response-content-encoding", "Content-Encoding"), ("response-content-language", "Content-Language"),
        ("response-content-type", "Content-Type"), ("response-expires", "Expires"),
    ]
}
