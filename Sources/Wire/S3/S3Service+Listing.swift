import LocalCloud

/// ListObjectsV2, ListObjects (V1) and ListObjectVersions.
extension S3Service {
    /// The listing parameters every list call shares.
    struct ListParameters {
        var prefix: String
        var delimiter: String?
        var maxKeys: Int
        /// `encoding-type=url`: keys and prefixes in the answer are URL-encoded (AWS SDKs ask for it).
        var urlEncoded: Bool

        init(_ query: QueryParameters) throws(S3Error) {
            prefix = query["prefix"] ?? ""
            delimiter = query["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
            if let text = query["max-keys"] {
                guard let value = Int(text), value >= 0 else {
                    throw S3Error.invalidArgument("Provided max-keys not an integer or within integer range: \(text)")
                }
                maxKeys = min(value, 1000)
            } else {
                maxKeys = 1000
            }
            switch query["encoding-type"] {
            case nil: urlEncoded = false
            case "url"?: urlEncoded = true
            case let other?: throw S3Error.invalidArgument("Invalid Encoding Method specified in Request: \(other)")
            }
        }

        /// `text` as the answer writes it: URL-encoded, everything but the unreserved characters
        /// and `/` as `%XX` (so `+` and spaces survive an SDK's form decoding).
        func encoded(_ text: String) -> String { urlEncoded ? AWSPercentEncoding.encode(text.utf8, keepingSlashes: true) : text }
        func encoded(optional text: String?) -> String? { text.map { encoded($0) } }
    }

    func listObjectsV2(_ bucket: String, _ query: QueryParameters) throws(S3Error) -> WireResponse {
        let parameters = try ListParameters(query)
        let token = query["continuation-token"]
        let startAfter = query["start-after"]
        let listing = try page(bucket, parameters, startAfter: startAfter, token: token)
        let result = ListBucketResult(
            Name: bucket, Prefix: parameters.encoded(parameters.prefix), ContinuationToken: token,
            NextContinuationToken: listing.nextPageToken, StartAfter: parameters.encoded(optional: startAfter),
            KeyCount: listing.objects.count + listing.commonPrefixes.count, MaxKeys: parameters.maxKeys,
            Delimiter: parameters.encoded(optional: parameters.delimiter), EncodingType: parameters.urlEncoded ? "url" : nil,
            IsTruncated: listing.nextPageToken != nil,
            Contents: listing.objects.map { listed($0, parameters, owner: query["fetch-owner"] == "true") },
            CommonPrefixes: listing.commonPrefixes.map { S3CommonPrefix(Prefix: parameters.encoded($0)) })
        return S3XML.response(result, root: "ListBucketResult")
    }

    func listObjectsV1(_ bucket: String, _ query: QueryParameters) throws(S3Error) -> WireResponse {
        let parameters = try ListParameters(query)
        let marker = query["marker"]
        let listing = try page(bucket, parameters, startAfter: marker.flatMap { $0.isEmpty ? nil : $0 }, token: nil)
        let truncated = listing.nextPageToken != nil
        let last = [listing.objects.last?.key, listing.commonPrefixes.last].compactMap { $0 }.max { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let result = ListBucketResult(
            Name: bucket, Prefix: parameters.encoded(parameters.prefix), Marker: parameters.encoded(marker ?? ""),
            NextMarker: truncated ? parameters.encoded(optional: last) : nil, MaxKeys: parameters.maxKeys,
            Delimiter: parameters.encoded(optional: parameters.delimiter), EncodingType: parameters.urlEncoded ? "url" : nil,
            IsTruncated: truncated, Contents: listing.objects.map { listed($0, parameters, owner: true) },
            CommonPrefixes: listing.commonPrefixes.map { S3CommonPrefix(Prefix: parameters.encoded($0)) })
        return S3XML.response(result, root: "ListBucketResult")
    }

    func listVersions(_ bucket: String, _ query: QueryParameters) throws(S3Error) -> WireResponse {
        let parameters = try ListParameters(query)
        let keyMarker = query["key-marker"].flatMap { $0.isEmpty ? nil : $0 }
        var result = ListVersionsResult(
            Name: bucket, Prefix: parameters.encoded(parameters.prefix), KeyMarker: parameters.encoded(keyMarker ?? ""),
            VersionIdMarker: query["version-id-marker"] ?? "", MaxKeys: parameters.maxKeys,
            Delimiter: parameters.encoded(optional: parameters.delimiter), EncodingType: parameters.urlEncoded ? "url" : nil,
            IsTruncated: false, Version: [], CommonPrefixes: [])
        // Whole keys at a time: a key's versions are never split across pages. Keys and common
        // prefixes are taken in key order, so a page ends after the last of either it holds
        // (the next key marker), and the next page starts after it.
        guard parameters.maxKeys > 0 else {  // none at all, as S3 answers
            try requireBucket(bucket)
            return S3XML.response(result, root: "ListVersionsResult")
        }
        var token: String?
        var startAfter = keyMarker
        var taken = 0
        var lastKey: String?
        pages: repeat {
            let listing = try page(bucket, parameters, startAfter: startAfter, token: token, maxKeys: 1000)
            let entries = (listing.objects.map { (key: $0.key, isObject: true) } + listing.commonPrefixes.map { (key: $0, isObject: false) })
                .sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for entry in entries {
                let versions = entry.isObject ? try storeCall { try store.generations(bucket: bucket, key: entry.key) } : []
                let count = entry.isObject ? versions.count : 1
                if taken + count > parameters.maxKeys && taken > 0 {
                    result.IsTruncated = true
                    result.NextKeyMarker = parameters.encoded(optional: lastKey)
                    break pages
                }
                if entry.isObject {
                    result.Version += versions.sorted { $0.generation > $1.generation }.map { version in
                        .init(Key: parameters.encoded(version.key), VersionId: String(version.generation), IsLatest: version.isCurrent,
                              LastModified: WireTime.s3Timestamp(version.updated), ETag: "\"\(version.etag)\"", Size: version.size)
                    }
                } else {
                    result.CommonPrefixes.append(S3CommonPrefix(Prefix: parameters.encoded(entry.key)))
                }
                taken += count
                lastKey = entry.key
            }
            token = listing.nextPageToken
            startAfter = nil
        } while token != nil
        return S3XML.response(result, root: "ListVersionsResult")
    }

    /// One page of the store's listing (none at all when `max-keys` is 0, as S3 answers).
    private func page(_ bucket: String, _ parameters: ListParameters, startAfter: String?, token: String?, maxKeys: Int? = nil)
        throws(S3Error) -> ObjectListing
    {
        let limit = maxKeys ?? parameters.maxKeys
        guard limit > 0 else {
            try requireBucket(bucket)
            return ObjectListing(objects: [], commonPrefixes: [], nextPageToken: nil)
        }
        let options = ListOptions(prefix: parameters.prefix, delimiter: parameters.delimiter, startAfter: startAfter,
                                  pageToken: token, maxKeys: limit)
        return try storeCall { try store.list(bucket: bucket, options: options) }
    }

    /// A listed object, with the owner when `owner` (as S3: always in V1, on request in V2).
    private func listed(_ metadata: ObjectMetadata, _ parameters: ListParameters, owner: Bool) -> S3ListedObject {
        S3ListedObject(Key: parameters.encoded(metadata.key), LastModified: WireTime.s3Timestamp(metadata.updated),
                       ETag: "\"\(metadata.etag)\"", Size: metadata.size, Owner: owner ? S3Owner() : nil)
    }
}
