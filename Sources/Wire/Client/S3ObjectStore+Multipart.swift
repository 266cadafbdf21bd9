import Foundation
import HTTPClient
import LocalCloud

/// Large puts as S3 multipart uploads.
extension S3ObjectStore {
    /// Puts larger than this go up in parts, as boto3's and the AWS CLI's do by default: S3
    /// takes at most 5 GiB in one PUT, and a part that fails is sent again on its own.
    public static let multipartThreshold = 8 << 20

    /// The size of each part but the last of an upload of `size` bytes: 8 MiB, or whole MiBs
    /// enough that the upload needs no more than S3's 10,000 parts.
    static func partSize(forUploadOf size: Int) -> Int {
        let mebibyte = 1 << 20
        let fewest = (size + 9_999) / 10_000
        return max(multipartThreshold, (fewest + mebibyte - 1) / mebibyte * mebibyte)
    }

    /// Uploads `data` for `call` (a PutObject with its content type, metadata and condition
    /// headers) in parts: CreateMultipartUpload with the content type and metadata, one
    /// UploadPart per part, then CompleteMultipartUpload carrying the conditions, so the object
    /// appears whole, or not at all. Any failure after the upload was created aborts it (best
    /// effort) and is rethrown. Returns the completion's answer and the object's ETag
    /// (`<md5 of the parts' md5s>-N`, unquoted).
    func putInParts(_ data: Data, _ call: S3Call) throws -> (HTTPResponse, String) {
        let conditionNames: Set<String> = ["if-match", "if-none-match"]
        var create = S3Call(operation: call.operation, method: "POST", bucket: call.bucket, key: call.key, query: [("uploads", "")])
        create.headers = call.headers.filter { !conditionNames.contains($0.name.lowercased()) }
        let created = try sendMapped(create)
        let uploadID = try decode(S3ClientDocuments.InitiateMultipartUploadResult.self, created, create).UploadId
        do {
            let size = Self.partSize(forUploadOf: data.count)
            var parts: [(number: Int, etag: String)] = []
            for (index, start) in stride(from: 0, to: data.count, by: size).enumerated() {
                let number = index + 1
                let part = S3Call(operation: call.operation, method: "PUT", bucket: call.bucket, key: call.key,
                                  query: [("partNumber", String(number)), ("uploadId", uploadID)],
                                  body: Array(data[data.startIndex + start..<data.startIndex + min(start + size, data.count)]))
                guard let etag = try sendMapped(part).header("ETag") else {
                    throw S3ObjectStoreError.requestFailed(operation: call.operation, endpoint: endpoint.description,
                                                           resource: call.resource, reason: "UploadPart \(number) was answered without an ETag")
                }
                parts.append((number, etag))
            }
            var complete = S3Call(operation: call.operation, method: "POST", bucket: call.bucket, key: call.key,
                                  query: [("uploadId", uploadID)])
            complete.headers = call.headers.filter { conditionNames.contains($0.name.lowercased()) }
            complete.condition = call.condition
            complete.currentGeneration = call.currentGeneration
            complete.body = Array(Self.completionDocument(parts).utf8)
            let response = try sendWrite(complete)
            // CompleteMultipartUpload may answer 200 with an error document.
            if let failure = try? decode(S3ClientDocuments.ErrorDocument.self, response, complete) {
                throw S3Failure(call: complete, endpoint: endpoint.description, status: 500, code: failure.Code,
                                message: failure.Message ?? "").mapped
            }
            let result = try decode(S3ClientDocuments.CompleteMultipartUploadResult.self, response, complete)
            return (response, S3Generations.unquoted(result.ETag))
        } catch {
            _ = try? send(S3Call(operation: call.operation, method: "DELETE", bucket: call.bucket, key: call.key,
                                 query: [("uploadId", uploadID)]))
            throw error
        }
    }

    /// CompleteMultipartUpload's body: each part's number and ETag (as the part's answer quoted it).
    private static func completionDocument(_ parts: [(number: Int, etag: String)]) -> String {
        let entries = parts.map { "<Part><PartNumber>\($0.number)</PartNumber><ETag>\(xmlEscaped($0.etag))</ETag></Part>" }
        return "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\(entries.joined())</CompleteMultipartUpload>"
    }

    private static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
