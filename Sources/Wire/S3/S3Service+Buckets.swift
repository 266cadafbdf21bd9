import Foundation
import LocalCloud

/// ListBuckets, CreateBucket, HeadBucket, DeleteBucket and DeleteObjects.
extension S3Service {
    func listBuckets() throws(S3Error) -> WireResponse {
        let names = try storeCall { try store.bucketNames() }
        // The store keeps no creation time for a bucket; the clock's epoch stands in, fixed.
        let buckets = names.map { ListAllMyBucketsResult.Bucket(Name: $0, CreationDate: WireTime.s3Timestamp(.epoch)) }
        return S3XML.response(ListAllMyBucketsResult(Buckets: .init(Bucket: buckets)), root: "ListAllMyBucketsResult")
    }

    func createBucket(_ bucket: String) throws(S3Error) -> WireResponse {
        try storeCall { try store.createBucket(bucket) }
        return WireResponse(status: 200, headers: [("Location", "/" + bucket)])
    }

    func headBucket(_ bucket: String) throws(S3Error) -> WireResponse {
        try requireBucket(bucket)
        return WireResponse(status: 200, headers: [("x-amz-bucket-region", "us-east-1")])
    }

    func deleteBucket(_ bucket: String) throws(S3Error) -> WireResponse {
        try requireBucket(bucket)
        try storeCall { try store.deleteBucket(bucket) }
        return WireResponse(status: 204)
    }

    func deleteObjects(_ bucket: String, _ request: WireRequest) throws(S3Error) -> WireResponse {
        try requireBucket(bucket)
        let body = try ObjectPayload.read(request)
        let document = try S3XML.decode(DeleteRequest.self, from: body)
        guard document.Object.count <= 1000 else {
            throw S3Error.malformedXML("a DeleteObjects request names at most 1000 keys, this one \(document.Object.count)")
        }
        var result = DeleteResult(Deleted: [], Error: [])
        for object in document.Object {
            do throws(S3Error) {
                _ = try deleteObject(bucket, object.Key, versionID: object.VersionId)
                result.Deleted.append(.init(Key: object.Key, VersionId: object.VersionId))
            } catch {
                result.Error.append(.init(Key: object.Key, Code: error.code, Message: error.message))
            }
        }
        if document.Quiet == true { result.Deleted = [] }
        return S3XML.response(result, root: "DeleteResult")
    }
}
