// The XML documents the driver reads, as XMLCoder types. Element names are S3's, so the
// properties are capitalised as on the wire; elements a server may leave out are optional.
// swiftlint:disable identifier_name

enum S3ClientDocuments {
    /// An error answer's body.
    struct ErrorDocument: Decodable {
        var Code: String
        var Message: String?
    }

    /// ListBuckets' answer.
    struct ListAllMyBucketsResult: Decodable {
        struct Bucket: Decodable { var Name: String }
        struct Buckets: Decodable { var Bucket: [Bucket]? }
        var Buckets: Buckets?
    }

    /// One object of a ListObjectsV2 answer.
    struct ListedObject: Decodable {
        var Key: String
        var LastModified: String?
        var ETag: String?
        var Size: Int64?
    }

    struct CommonPrefix: Decodable { var Prefix: String }

    /// ListObjectsV2's answer.
    struct ListBucketResult: Decodable {
        var IsTruncated: Bool?
        var NextContinuationToken: String?
        var Contents: [ListedObject]?
        var CommonPrefixes: [CommonPrefix]?
    }

    /// ListObjectVersions' answer (delete markers are not read: they are never current objects
    /// the store could return).
    struct ListVersionsResult: Decodable {
        struct Version: Decodable {
            var Key: String
            var VersionId: String?
            var IsLatest: Bool?
            var LastModified: String?
            var ETag: String?
            var Size: Int64?
        }
        var IsTruncated: Bool?
        var NextKeyMarker: String?
        var NextVersionIdMarker: String?
        var Version: [Version]?
    }

    /// CreateMultipartUpload's answer.
    struct InitiateMultipartUploadResult: Decodable {
        var UploadId: String
    }

    /// CompleteMultipartUpload's answer.
    struct CompleteMultipartUploadResult: Decodable {
        var ETag: String
    }

    /// CopyObject's answer.
    struct CopyObjectResult: Decodable {
        var ETag: String?
        var LastModified: String?
    }
}
