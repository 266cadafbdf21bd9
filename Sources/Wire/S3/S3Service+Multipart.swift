import Crypto
import Determinism
import Foundation
import LocalCloud

/// CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload and ListParts.
extension S3Service {
    /// S3's smallest part, except for the last one.
    static let minimumPartSize: Int64 = 5 * 1024 * 1024

    func createUpload(_ bucket: String, _ key: String, _ request: WireRequest) throws(S3Error) -> WireResponse {
        try requireBucket(bucket)
        try storeCall { try ObjectNaming.validate(key: key) }
        let upload = MultipartUploads.Upload(bucket: bucket, key: key,
                                             contentType: request.header("Content-Type") ?? Self.defaultContentType,
                                             userMetadata: try Self.userMetadata(request))
        let id = try storeCall { try uploads.start(upload) }
        return S3XML.response(InitiateMultipartUploadResult(Bucket: bucket, Key: key, UploadId: id),
                              root: "InitiateMultipartUploadResult")
    }

    func uploadPart(_ bucket: String, _ key: String, uploadID: String, _ request: WireRequest) throws(S3Error) -> WireResponse {
        let upload = try uploads.upload(uploadID)
        try Self.requireTarget(upload, bucket, key, uploadID)
        guard let text = request.query["partNumber"], let number = Int(text), (1...10_000).contains(number) else {
            throw S3Error.invalidArgument("Part number must be an integer between 1 and 10000, inclusive")
        }
        let data = try ObjectPayload.read(request)
        let part = try storeCall { try uploads.store(data, number: number, upload: uploadID) }
        return WireResponse(status: 200, headers: [("ETag", "\"\(part.etag)\"")])
    }

    func completeUpload(_ bucket: String, _ key: String, uploadID: String, _ request: WireRequest) throws(S3Error) -> WireResponse {
        let upload = try uploads.upload(uploadID)
        try Self.requireTarget(upload, bucket, key, uploadID)
        let requested = try S3XML.decode(CompleteMultipartUploadRequest.self, from: ObjectPayload.read(request)).Part
        let stored = Dictionary(try storeCall { try uploads.parts(of: uploadID) }.map { ($0.number, $0) }) { first, _ in first }
        guard !requested.isEmpty else { throw S3Error.malformedXML("CompleteMultipartUpload names no parts") }
        guard zip(requested, requested.dropFirst()).allSatisfy({ $0.PartNumber < $1.PartNumber }) else {
            throw S3Error("InvalidPartOrder", status: 400, "The list of parts was not in ascending order. "
                              + "Parts must be ordered by part number.")
        }
        var data = Data()
        var digests = Data()
        var sizes: [Int64] = []
        for (index, entry) in requested.enumerated() {
            guard let part = stored[entry.PartNumber], ObjectConditions.unquoted(entry.ETag) == part.etag else {
                throw S3Error("InvalidPart", status: 400, "One or more of the specified parts could not be found. The part may not "
                                  + "have been uploaded, or the specified entity tag may not match the part's entity tag: part \(entry.PartNumber)")
            }
            if index < requested.count - 1 && part.size < Self.minimumPartSize {
                throw S3Error("EntityTooSmall", status: 400, "Your proposed upload is smaller than the minimum allowed object size: "
                                  + "part \(part.number) has \(part.size) bytes, and every part but the last needs 5 MiB")
            }
            let bytes = try storeCall { try uploads.data(of: part.number, upload: uploadID) }
            data.append(bytes)
            sizes.append(Int64(bytes.count))
            digests.append(Data(Insecure.MD5.hash(data: bytes)))
        }
        let etag = Hex.string(Insecure.MD5.hash(data: digests)) + "-\(requested.count)"
        var userMetadata = upload.userMetadata
        userMetadata[ObjectParts.metadataKey] = ObjectParts.metadataValue(sizes)
        let options = PutOptions(contentType: upload.contentType, userMetadata: userMetadata,
                                 preconditions: try writeConditions(bucket, key, request), etag: etag)
        let metadata = try storeCall { try store.put(data, bucket: bucket, key: key, options: options) }
        uploads.remove(uploadID)
        // An absolute URL, as S3 answers (path-style here: this endpoint has no virtual hosts).
        let location = "http://\(request.header("Host") ?? "localhost")/\(bucket)/"
            + AWSPercentEncoding.encode(key.utf8, keepingSlashes: true)
        var response = S3XML.response(CompleteMultipartUploadResult(Location: location, Bucket: bucket, Key: key,
                                                                    ETag: "\"\(etag)\""),
                                      root: "CompleteMultipartUploadResult")
        response.headers.append(("x-amz-version-id", String(metadata.generation)))
        return response
    }

    func abortUpload(_ bucket: String, _ key: String, uploadID: String) throws(S3Error) -> WireResponse {
        let upload = try uploads.upload(uploadID)
        try Self.requireTarget(upload, bucket, key, uploadID)
        uploads.remove(uploadID)
        return WireResponse(status: 204)
    }

    func listParts(_ bucket: String, _ key: String, uploadID: String, _ query: QueryParameters) throws(S3Error) -> WireResponse {
        let upload = try uploads.upload(uploadID)
        try Self.requireTarget(upload, bucket, key, uploadID)
        let marker = Int(query["part-number-marker"] ?? "") ?? 0
        let maxParts = min(Int(query["max-parts"] ?? "") ?? 1000, 1000)
        let after = try storeCall { try uploads.parts(of: uploadID) }.filter { $0.number > marker }
        let page = after.prefix(maxParts)
        let result = ListPartsResult(
            Bucket: bucket, Key: key, UploadId: uploadID, PartNumberMarker: marker,
            NextPartNumberMarker: page.last?.number ?? 0, MaxParts: maxParts, IsTruncated: after.count > page.count,
            Part: page.map { .init(PartNumber: $0.number, LastModified: WireTime.s3Timestamp($0.uploaded), ETag: "\"\($0.etag)\"", Size: $0.size) })
        return S3XML.response(result, root: "ListPartsResult")
    }

    /// An upload id is good only for the bucket and key it was started for.
    private static func requireTarget(_ upload: MultipartUploads.Upload, _ bucket: String, _ key: String, _ id: String) throws(S3Error) {
        guard upload.bucket == bucket && upload.key == key else {
            throw S3Error("NoSuchUpload", status: 404, "The specified upload does not exist: \(id) belongs to another key.", resource: id)
        }
    }
}
