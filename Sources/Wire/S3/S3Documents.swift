import XMLCoder

// The XML documents S3 reads and writes, as XMLCoder types. Element names are S3's, so the
// properties are capitalised as on the wire.
// swiftlint:disable identifier_name

/// `<Owner>`: one fixed owner, as a single-account emulator has.
struct S3Owner: Codable {
    var ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"
    var DisplayName = "rehearsal"
}

/// ListBuckets' answer.
struct ListAllMyBucketsResult: Encodable {
    struct Bucket: Encodable {
        var Name: String
        var CreationDate: String
    }
    struct Buckets: Encodable { var Bucket: [Bucket] }
    var Owner = S3Owner()
    var Buckets: Buckets
    /// The token of the next page, when there is one.
    var ContinuationToken: String?
    /// The `prefix` asked for, echoed.
    var Prefix: String?
}

/// One object in a listing.
struct S3ListedObject: Encodable {
    var Key: String
    var LastModified: String
    var ETag: String
    var Size: Int64
    /// Always in ListObjects (V1); in ListObjectsV2 only with `fetch-owner=true`.
    var Owner: S3Owner?
    var StorageClass = "STANDARD"
}

/// A rolled-up prefix in a listing.
struct S3CommonPrefix: Encodable { var Prefix: String }

/// ListObjectsV2's answer (and ListObjects', with the marker fields instead of the tokens).
struct ListBucketResult: Encodable {
    var Name: String
    var Prefix: String
    var Marker: String?
    var NextMarker: String?
    var ContinuationToken: String?
    var NextContinuationToken: String?
    var StartAfter: String?
    var KeyCount: Int?
    var MaxKeys: Int
    var Delimiter: String?
    var EncodingType: String?
    var IsTruncated: Bool
    var Contents: [S3ListedObject]
    var CommonPrefixes: [S3CommonPrefix]
}

/// ListObjectVersions' answer.
struct ListVersionsResult: Encodable {
    struct Version: Encodable {
        var Key: String
        var VersionId: String
        var IsLatest: Bool
        var LastModified: String
        var ETag: String
        var Size: Int64
        var StorageClass = "STANDARD"
        var Owner = S3Owner()
    }
    var Name: String
    var Prefix: String
    var KeyMarker: String
    var VersionIdMarker: String
    var NextKeyMarker: String?
    var NextVersionIdMarker: String?
    var MaxKeys: Int
    var Delimiter: String?
    var EncodingType: String?
    var IsTruncated: Bool
    var Version: [Version]
    var CommonPrefixes: [S3CommonPrefix]
}

/// DeleteObjects' request.
struct DeleteRequest: Decodable {
    struct Object: Decodable {
        var Key: String
        var VersionId: String?
        /// Delete only if the object's ETag is this (a conditional delete).
        var ETag: String?
    }
    var Object: [Object]
    var Quiet: Bool?
}

/// DeleteObjects' answer.
struct DeleteResult: Encodable {
    struct Deleted: Encodable {
        var Key: String
        var VersionId: String?
    }
    struct Failure: Encodable {
        var Key: String
        var Code: String
        var Message: String
    }
    var Deleted: [Deleted]
    var Error: [Failure]
}

/// CopyObject's answer.
struct CopyObjectResult: Encodable {
    var ETag: String
    var LastModified: String
}

/// CreateMultipartUpload's answer.
struct InitiateMultipartUploadResult: Encodable {
    var Bucket: String
    var Key: String
    var UploadId: String
}

/// CompleteMultipartUpload's request.
struct CompleteMultipartUploadRequest: Decodable {
    struct Part: Decodable {
        var PartNumber: Int
        var ETag: String
    }
    var Part: [Part]
}

/// CompleteMultipartUpload's answer.
struct CompleteMultipartUploadResult: Encodable {
    var Location: String
    var Bucket: String
    var Key: String
    var ETag: String
}

/// ListParts' answer.
struct ListPartsResult: Encodable {
    struct Part: Encodable {
        var PartNumber: Int
        var LastModified: String
        var ETag: String
        var Size: Int64
    }
    var Bucket: String
    var Key: String
    var UploadId: String
    var PartNumberMarker: Int
    var NextPartNumberMarker: Int
    var MaxParts: Int
    var IsTruncated: Bool
    var Part: [Part]
    var StorageClass = "STANDARD"
}

/// GetBucketVersioning's answer: generations are always kept, so versioning is on.
struct VersioningConfiguration: Encodable { var Status = "Enabled" }

/// PutBucketVersioning's request.
struct VersioningConfigurationRequest: Decodable {
    var Status: String?
    var MfaDelete: String?
}

/// The error document.
struct S3ErrorDocument: Encodable {
    var Code: String
    var Message: String
    var Resource: String?
    var RequestId: String
}
// swiftlint:enable identifier_name
