import Crypto
import Determinism
import Foundation
import HTTPClient
import LocalCloud

/// put, get, head, delete and copy.
extension S3ObjectStore {
    @discardableResult
    public func put(_ data: Data, bucket: String, key: String, options: PutOptions) throws -> ObjectMetadata {
        guard options.etag == nil else {
            throw S3ObjectStoreError.unsupported(operation: "put", endpoint: endpoint.description,
                                                 reason: "S3 computes an object's ETag itself; PutOptions.etag cannot be stored")
        }
        try requireKey(key)
        var call = S3Call(operation: "put", method: "PUT", bucket: bucket, key: key)
        if let contentType = options.contentType { call.headers.append(("Content-Type", contentType)) }
        call.headers += Self.metadataHeaders(options.userMetadata)
        let inParts = data.count > Self.multipartThreshold
        // A large put is checked with a HEAD first too: one that cannot land fails before its
        // parts are sent (and moto ignores If-Match on CompleteMultipartUpload).
        try addConditions(options.preconditions, to: &call, checkFirst: inParts)
        let response: HTTPResponse, etag: String
        if inParts {
            (response, etag) = try putInParts(data, call)
        } else {
            call.body = Array(data)
            response = try sendWrite(call)
            etag = response.header("ETag").map(S3Generations.unquoted) ?? md5Hex(data)
        }
        let updated = response.header("Date").flatMap(WireTime.parseHTTPDate) ?? SystemClock().now
        return ObjectMetadata(bucket: bucket, key: key, generation: generation(versionID: response.header("x-amz-version-id"), etag: etag, bucket: bucket),
                              size: Int64(data.count), etag: etag, contentType: options.contentType ?? "binary/octet-stream",
                              userMetadata: options.userMetadata, created: updated, updated: updated, isCurrent: true)
    }

    public func get(bucket: String, key: String, generation: Int64?) throws -> StoredObject {
        try requireKey(key)
        guard let generation else {
            let response = try sendMapped(S3Call(operation: "get", method: "GET", bucket: bucket, key: key))
            return StoredObject(metadata: metadata(response, bucket: bucket, key: key, size: Int64(response.body.count)),
                                data: Data(response.body))
        }
        let (current, versionID) = try locate(bucket: bucket, key: key, generation: generation, operation: "get")
        var call = S3Call(operation: "get", method: "GET", bucket: bucket, key: key, generation: generation)
        if let versionID { call.query = [("versionId", versionID)] }
        if let current, versionID == nil {
            // The current generation, by its ETag: a change since the HEAD is not returned as it.
            call.headers.append(("If-Match", "\"\(current.etag)\""))
            call.condition = "generation \(generation)"
        }
        let response: HTTPResponse
        do {
            response = try send(call)
        } catch let failure as S3Failure where failure.status == 412 {
            throw ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: generation)
        } catch let failure as S3Failure {
            throw failure.mapped
        }
        var object = metadata(response, bucket: bucket, key: key, size: Int64(response.body.count))
        object.isCurrent = current?.generation == object.generation
        guard object.generation == generation else {
            throw ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: generation)
        }
        return StoredObject(metadata: object, data: Data(response.body))
    }

    public func head(bucket: String, key: String, generation: Int64?) throws -> ObjectMetadata {
        try requireKey(key)
        guard let generation else { return try headCurrent(bucket: bucket, key: key, operation: "head") }
        let (current, versionID) = try locate(bucket: bucket, key: key, generation: generation, operation: "head")
        guard let versionID else { return current! }
        let response = try sendMapped(S3Call(operation: "head", method: "HEAD", bucket: bucket, key: key,
                                             query: [("versionId", versionID)], generation: generation))
        var object = metadata(response, bucket: bucket, key: key, size: nil)
        object.isCurrent = current?.generation == object.generation
        return object
    }

    public func delete(bucket: String, key: String, preconditions: Preconditions) throws {
        try requireKey(key)
        // S3 answers 204 for a key that is not there; the protocol says objectNotFound.
        let current = try headCurrent(bucket: bucket, key: key, operation: "delete")
        var call = S3Call(operation: "delete", method: "DELETE", bucket: bucket, key: key)
        if preconditions != Preconditions() {
            try check(preconditions, current: current, bucket: bucket, key: key)
            call.condition = Self.describe(preconditions)
            call.currentGeneration = current.generation
            call.headers.append(("If-Match", "\"\(current.etag)\""))
            if rule(bucket) == .versions, preconditions.ifGenerationMatch != nil {
                // On version-id servers, deleting by version id deletes only that generation.
                call.query = [("versionId", String(current.generation))]
            }
        }
        do {
            _ = try send(call)
        } catch let failure as S3Failure where failure.status == 412 || (failure.status == 501 && !call.query.isEmpty) {
            throw ObjectStoreError.preconditionFailed(bucket: bucket, key: key, condition: call.condition ?? "If-Match",
                                                      currentGeneration: nil)
        } catch let failure as S3Failure {
            throw failure.mapped
        }
    }

    @discardableResult
    public func copy(from source: ObjectLocation, to destination: ObjectLocation, preconditions: Preconditions) throws
        -> ObjectMetadata
    {
        try requireKey(destination.key)
        let original = try head(bucket: source.bucket, key: source.key, generation: source.generation)
        var copySource = endpoint.rawPath(bucket: source.bucket, key: source.key).dropFirst(endpoint.basePath.count)
        if source.generation != nil, rule(source.bucket) == .versions { copySource += "?versionId=\(original.generation)" }
        var call = S3Call(operation: "copy", method: "PUT", bucket: destination.bucket, key: destination.key)
        call.headers = [("x-amz-copy-source", String(copySource)), ("x-amz-copy-source-if-match", "\"\(original.etag)\""),
                        ("x-amz-metadata-directive", "REPLACE"), ("Content-Type", original.contentType)]
        call.headers += Self.metadataHeaders(original.userMetadata)
        // moto ignores conditional headers on CopyObject: check first there too.
        try addConditions(preconditions, to: &call, checkFirst: true)
        let response = try sendWrite(call)
        // CopyObject may answer 200 with an error document.
        if let failure = try? decode(S3ClientDocuments.ErrorDocument.self, response, call) {
            throw S3Failure(call: call, endpoint: endpoint.description, status: 500, code: failure.Code, message: failure.Message ?? "").mapped
        }
        let result = try decode(S3ClientDocuments.CopyObjectResult.self, response, call)
        let etag = result.ETag.map(S3Generations.unquoted) ?? original.etag
        let updated = result.LastModified.flatMap(Instant.init(iso8601:)) ?? SystemClock().now
        return ObjectMetadata(bucket: destination.bucket, key: destination.key,
                              generation: generation(versionID: response.header("x-amz-version-id"), etag: etag, bucket: destination.bucket),
                              size: original.size, etag: etag, contentType: original.contentType,
                              userMetadata: original.userMetadata, created: updated, updated: updated, isCurrent: true)
    }

    // MARK: Helpers

    /// The current generation's metadata (a HEAD).
    func headCurrent(bucket: String, key: String, operation: String) throws -> ObjectMetadata {
        let response = try sendMapped(S3Call(operation: operation, method: "HEAD", bucket: bucket, key: key))
        return metadata(response, bucket: bucket, key: key, size: nil)
    }

    /// Where generation `generation` of `key` is: the current generation's metadata (nil when
    /// there is no current one) and, when it is not the current one, the version id to ask for.
    /// - Throws: `objectNotFound` when it is not there; `S3ObjectStoreError.unsupported` when
    ///   it is not current and the bucket's generations are content generations.
    private func locate(bucket: String, key: String, generation: Int64, operation: String) throws
        -> (current: ObjectMetadata?, versionID: String?)
    {
        var current: ObjectMetadata?
        do {
            current = try headCurrent(bucket: bucket, key: key, operation: operation)
        } catch ObjectStoreError.objectNotFound {
            current = nil
        }
        if let current, current.generation == generation {
            return (current, rule(bucket) == .versions ? String(generation) : nil)
        }
        switch rule(bucket) {
        case .versions?:
            return (current, String(generation))
        case .content?:
            throw S3ObjectStoreError.unsupported(
                operation: operation, endpoint: endpoint.description,
                reason: "generation \(generation) of s3://\(bucket)/\(key) is not the current one"
                    + (current.map { " (\($0.generation))" } ?? " (there is none)")
                    + ", and the bucket keeps no numbered generations (its version ids are not numbers: versioning is off, "
                    + "or the ids are opaque), so only the current generation can be read")
        case nil:
            // Nothing said which rule the bucket follows: there is no current object.
            throw ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: generation)
        }
    }

    /// Adds the headers that make a write conditional on `preconditions`: `If-None-Match: *`
    /// for "must not exist"; otherwise (or always, with `checkFirst`) the conditions are checked
    /// against the current object and the write is made conditional on its ETag (or on its
    /// absence).
    private func addConditions(_ preconditions: Preconditions, to call: inout S3Call, checkFirst: Bool = false) throws {
        guard preconditions != Preconditions() else { return }
        let bucket = call.bucket!, key = call.key!
        call.condition = Self.describe(preconditions)
        if !checkFirst, preconditions.ifGenerationMatch == 0, preconditions.ifGenerationNotMatch == nil {
            call.headers.append(("If-None-Match", "*"))
            return
        }
        var current: ObjectMetadata?
        do {
            current = try headCurrent(bucket: bucket, key: key, operation: call.operation)
        } catch ObjectStoreError.objectNotFound {
            current = nil
        }
        try check(preconditions, current: current, bucket: bucket, key: key)
        call.currentGeneration = current?.generation
        if let current {
            call.headers.append(("If-Match", "\"\(current.etag)\""))
        } else {
            call.headers.append(("If-None-Match", "*"))
        }
    }

    /// Throws `preconditionFailed` unless `preconditions` hold for `current` (nil: no object).
    private func check(_ preconditions: Preconditions, current: ObjectMetadata?, bucket: String, key: String) throws {
        var holds = true
        if let match = preconditions.ifGenerationMatch {
            holds = holds && (match == 0 ? current == nil : current?.generation == match)
        }
        if let notMatch = preconditions.ifGenerationNotMatch {
            holds = holds && (notMatch == 0 ? current != nil : current?.generation != notMatch)
        }
        guard holds else {
            throw ObjectStoreError.preconditionFailed(bucket: bucket, key: key, condition: Self.describe(preconditions),
                                                      currentGeneration: current?.generation)
        }
    }

    /// Sends a write; a conditional one whose object vanished in between (`NoSuchKey` to an
    /// `If-Match`) failed its precondition.
    func sendWrite(_ call: S3Call) throws -> HTTPResponse {
        do {
            return try send(call)
        } catch let failure as S3Failure where call.condition != nil && failure.code == "NoSuchKey" {
            throw ObjectStoreError.preconditionFailed(bucket: call.bucket!, key: call.key!, condition: call.condition!,
                                                      currentGeneration: nil)
        } catch let failure as S3Failure {
            throw failure.mapped
        }
    }

    /// The generation of an object an answer describes, by the bucket's rule (`S3Generations`);
    /// records the rule the answer followed.
    func generation(versionID: String?, etag: String, bucket: String) -> Int64 {
        if let generation = S3Generations.versionGeneration(versionID) {
            observe(.versions, bucket: bucket)
            return generation
        }
        observe(.content, bucket: bucket)
        return S3Generations.contentGeneration(etag: etag)
    }

    /// The metadata in a GET or HEAD answer's headers.
    func metadata(_ response: HTTPResponse, bucket: String, key: String, size: Int64?) -> ObjectMetadata {
        let etag = S3Generations.unquoted(response.header("ETag") ?? "")
        var userMetadata: [String: String] = [:]
        for (name, value) in response.headers where name.lowercased().hasPrefix("x-amz-meta-") {
            userMetadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        let updated = response.header("Last-Modified").flatMap(WireTime.parseHTTPDate)
            ?? response.header("Date").flatMap(WireTime.parseHTTPDate) ?? SystemClock().now
        return ObjectMetadata(bucket: bucket, key: key,
                              generation: generation(versionID: response.header("x-amz-version-id"), etag: etag, bucket: bucket),
                              size: size ?? response.header("Content-Length").flatMap { Int64($0) } ?? 0, etag: etag,
                              contentType: response.header("Content-Type") ?? "binary/octet-stream",
                              userMetadata: userMetadata, created: updated, updated: updated, isCurrent: true)
    }

    /// `x-amz-meta-*` headers for user metadata, in name order.
    static func metadataHeaders(_ metadata: [String: String]) -> [(name: String, value: String)] {
        metadata.keys.sorted().map { ("x-amz-meta-" + $0, metadata[$0]!) }
    }

    /// A precondition as error messages name it: `ifGenerationMatch=0`.
    static func describe(_ preconditions: Preconditions) -> String {
        [preconditions.ifGenerationMatch.map { "ifGenerationMatch=\($0)" },
         preconditions.ifGenerationNotMatch.map { "ifGenerationNotMatch=\($0)" }].compactMap { $0 }.joined(separator: ", ")
    }

    /// S3 has no empty keys: `/<bucket>/` would address the bucket.
    func requireKey(_ key: String) throws {
        guard !key.isEmpty else { throw ObjectStoreError.invalidKey(key: key, reason: "a key cannot be empty") }
    }
}

/// The lowercase hex MD5 of `data`, the ETag of a single put (used when an answer carries none).
private func md5Hex(_ data: Data) -> String {
    Hex.string(Insecure.MD5.hash(data: data))
}
