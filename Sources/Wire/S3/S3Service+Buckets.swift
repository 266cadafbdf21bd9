import Foundation
import LocalCloud

/// ListBuckets, CreateBucket, HeadBucket, DeleteBucket, PutBucketVersioning and DeleteObjects.
extension S3Service {
    /// ListBuckets, in name order, with S3's `prefix`, and `max-buckets` (1–10,000) pages whose
    /// `ContinuationToken` (the last name returned, base64url) asks for the next one.
    func listBuckets(_ query: QueryParameters) throws(S3Error) -> WireResponse {
        let prefix = query["prefix"] ?? ""
        var limit = Int.max
        if let text = query["max-buckets"] {
            guard let value = Int(text), (1...10_000).contains(value) else {
                throw S3Error.invalidArgument("Argument max-buckets must be an integer between 1 and 10000: got \(text)")
            }
            limit = value
        }
        var after: String?
        if let token = query["continuation-token"] {
            guard let name = Self.bucketName(inToken: token) else {
                throw S3Error.invalidArgument("The continuation token provided is incorrect")
            }
            after = name
        }
        let names = try storeCall { try store.bucketNames() }.sorted()
            .filter { name in name.hasPrefix(prefix) && after.map { name > $0 } ?? true }
        let page = names.prefix(limit)
        // The store keeps no creation time for a bucket; the clock's epoch stands in, fixed.
        let buckets = page.map { ListAllMyBucketsResult.Bucket(Name: $0, CreationDate: WireTime.s3Timestamp(.epoch)) }
        let next = names.count > page.count ? page.last.map(Self.token(afterBucket:)) : nil
        return S3XML.response(ListAllMyBucketsResult(Buckets: .init(Bucket: buckets), ContinuationToken: next,
                                                     Prefix: query["prefix"]), root: "ListAllMyBucketsResult")
    }

    /// The continuation token that lists the buckets after `name`.
    private static func token(afterBucket name: String) -> String {
        Data(name.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    /// The bucket name a continuation token holds, nil for a token this service did not give.
    private static func bucketName(inToken token: String) -> String? {
        let base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard let data = Data(base64Encoded: base64), let name = String(data: data, encoding: .utf8), !name.isEmpty else { return nil }
        return name
    }

    func createBucket(_ bucket: String) throws(S3Error) -> WireResponse {
        try Self.validateNewBucketName(bucket)
        try storeCall { try store.createBucket(bucket) }
        return WireResponse(status: 200, headers: [("Location", "/" + bucket)])
    }

    /// S3's rules for a new bucket's name, stricter than the store's (which also serves buckets a
    /// scenario made): 3–63 characters of lowercase letters, digits, `.` and `-`, starting and
    /// ending with a letter or digit, no `..`, not shaped like an IP address, without a prefix or
    /// suffix S3 reserves (`xn--`, `sthree-`, `-s3alias`, `--ol-s3`, …).
    static func validateNewBucketName(_ name: String) throws(S3Error) {
        func invalid(_ reason: String) -> S3Error {
            S3Error("InvalidBucketName", status: 400, "The specified bucket is not valid: \(reason)", resource: name)
        }
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { throw invalid("a bucket name has 3–63 characters") }
        let isLetterOrDigit = { (byte: UInt8) in (97...122).contains(byte) || (48...57).contains(byte) }
        guard bytes.allSatisfy({ isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }) else {
            throw invalid("use only lowercase letters, digits, '.' and '-'")
        }
        guard isLetterOrDigit(bytes.first!), isLetterOrDigit(bytes.last!) else {
            throw invalid("a bucket name starts and ends with a letter or digit")
        }
        guard !name.contains("..") else { throw invalid("a bucket name has no two adjacent periods") }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !(octets.count == 4 && octets.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }) else {
            throw invalid("a bucket name is not formatted as an IP address")
        }
        for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] where name.hasPrefix(prefix) {
            throw invalid("the prefix \(prefix) is reserved by S3")
        }
        for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] where name.hasSuffix(suffix) {
            throw invalid("the suffix \(suffix) is reserved by S3")
        }
    }

    /// PutBucketVersioning: generations are always kept, so `Enabled` is accepted (and changes
    /// nothing); `Suspended` cannot be honoured.
    func putBucketVersioning(_ bucket: String, _ request: WireRequest) throws(S3Error) -> WireResponse {
        try requireBucket(bucket)
        let configuration = try S3XML.decode(VersioningConfigurationRequest.self, from: ObjectPayload.read(request))
        switch configuration.Status {
        case "Enabled"?: return WireResponse(status: 200)
        case "Suspended"?:
            throw S3Error("NotImplemented", status: 501, "A header you provided implies functionality that is not implemented: "
                              + "versioning cannot be suspended here (every bucket keeps its generations)", resource: bucket)
        default: throw S3Error.malformedXML("VersioningConfiguration's Status is Enabled or Suspended")
        }
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
        guard !document.Object.isEmpty else { throw S3Error.malformedXML("a DeleteObjects request names at least one key") }
        guard document.Object.count <= 1000 else {
            throw S3Error.malformedXML("a DeleteObjects request names at most 1000 keys, this one \(document.Object.count)")
        }
        var result = DeleteResult(Deleted: [], Error: [])
        for object in document.Object {
            do throws(S3Error) {
                _ = try deleteObject(bucket, object.Key, versionID: object.VersionId, ifMatch: object.ETag)
                result.Deleted.append(.init(Key: object.Key, VersionId: object.VersionId))
            } catch {
                result.Error.append(.init(Key: object.Key, Code: error.code, Message: error.message))
            }
        }
        if document.Quiet == true { result.Deleted = [] }
        return S3XML.response(result, root: "DeleteResult")
    }
}
