import Crypto
import Foundation
import LocalCloud
import Testing
import Wire

/// S3's REST API through the gateway, signed as an SDK signs, against a real sandbox folder.
@Suite("S3 over the wire")
struct S3ServiceTests {
    @Test("a put is readable over the wire and in the store, with its ETag, metadata and version")
    func putAndGet() async throws {
        let cloud = try WireFixture()
        #expect(await cloud.s3("PUT", "/data").status == 200)
        let body = Data("hello world".utf8)
        let put = await cloud.s3("PUT", "/data/in/a%20b%2Bc.txt", headers: [("x-amz-meta-Team", "ml"), ("Content-Type", "text/plain")],
                                 body: body)
        #expect(put.status == 200)
        #expect(put.header("ETag") == "\"5eb63bbbe01eeed093cb22bb8f5acdc3\"")
        let stored = try cloud.sandbox.objects.get(bucket: "data", key: "in/a b+c.txt")
        #expect(stored.data == body)
        #expect(stored.metadata.userMetadata == ["team": "ml"])
        #expect(put.header("x-amz-version-id") == String(stored.metadata.generation))
        let get = await cloud.s3("GET", "/data/in/a%20b%2Bc.txt")
        #expect(get.status == 200 && get.body == body)
        #expect(get.header("x-amz-meta-team") == "ml" && get.header("Content-Type") == "text/plain")
        let head = await cloud.s3("HEAD", "/data/in/a%20b%2Bc.txt")
        #expect(head.status == 200 && head.body.isEmpty && head.header("Content-Length") == "11")
    }

    @Test("Range, If-None-Match and If-Match on reads answer 206, 304 and 412; a range past the end is InvalidRange")
    func conditionalReads() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        let metadata = try cloud.sandbox.objects.put(Data("0123456789".utf8), bucket: "data", key: "digits")
        let range = await cloud.s3("GET", "/data/digits", headers: [("Range", "bytes=2-4")])
        #expect(range.status == 206 && range.text == "234" && range.header("Content-Range") == "bytes 2-4/10")
        #expect(await cloud.s3("GET", "/data/digits", headers: [("Range", "bytes=-3")]).text == "789")
        let past = await cloud.s3("GET", "/data/digits", headers: [("Range", "bytes=10-")])
        #expect(past.status == 416 && past.s3ErrorCode == "InvalidRange")
        #expect(await cloud.s3("GET", "/data/digits", headers: [("If-None-Match", "\"\(metadata.etag)\"")]).status == 304)
        let failed = await cloud.s3("GET", "/data/digits", headers: [("If-Match", "\"other\"")])
        #expect(failed.status == 412 && failed.s3ErrorCode == "PreconditionFailed")
    }

    @Test("conditional writes: If-None-Match: * refuses to overwrite, If-Match needs the current ETag")
    func conditionalWrites() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        #expect(await cloud.s3("PUT", "/data/k", headers: [("If-None-Match", "*")], body: Data("a".utf8)).status == 200)
        let again = await cloud.s3("PUT", "/data/k", headers: [("If-None-Match", "*")], body: Data("b".utf8))
        #expect(again.status == 412 && again.s3ErrorCode == "PreconditionFailed")
        let wrong = await cloud.s3("PUT", "/data/k", headers: [("If-Match", "\"nope\"")], body: Data("c".utf8))
        #expect(wrong.status == 412)
        let etag = try cloud.sandbox.objects.head(bucket: "data", key: "k").etag
        #expect(await cloud.s3("PUT", "/data/k", headers: [("If-Match", "\"\(etag)\"")], body: Data("d".utf8)).status == 200)
        #expect(try cloud.sandbox.objects.get(bucket: "data", key: "k").data == Data("d".utf8))
    }

    @Test("conditional deletes: If-Match (or a DeleteObjects entry's ETag) that misses is 412 and deletes nothing; a missing key is NoSuchKey")
    func conditionalDeletes() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        let etag = try cloud.sandbox.objects.put(Data("a".utf8), bucket: "data", key: "k").etag
        _ = try cloud.sandbox.objects.put(Data("b".utf8), bucket: "data", key: "other")
        let wrong = await cloud.s3("DELETE", "/data/k", headers: [("If-Match", "\"00000000000000000000000000000000\"")])
        #expect(wrong.status == 412 && wrong.s3ErrorCode == "PreconditionFailed")
        #expect(try cloud.sandbox.objects.get(bucket: "data", key: "k").data == Data("a".utf8), "still there")
        let missing = await cloud.s3("DELETE", "/data/absent", headers: [("If-Match", "*")])
        #expect(missing.status == 404 && missing.s3ErrorCode == "NoSuchKey")
        let batch = Data("""
            <Delete><Object><Key>k</Key><ETag>"nope"</ETag></Object><Object><Key>other</Key></Object></Delete>
            """.utf8)
        let answer = await cloud.s3("POST", "/data?delete", headers: [("Content-MD5", Data(Insecure.MD5.hash(data: batch)).base64EncodedString())], body: batch)
        #expect(answer.status == 200 && answer.text.contains("<Key>k</Key><Code>PreconditionFailed</Code>"), "\(answer.text)")
        #expect(answer.text.contains("<Deleted><Key>other</Key></Deleted>"))
        #expect(try cloud.sandbox.objects.get(bucket: "data", key: "k").data == Data("a".utf8))
        #expect(await cloud.s3("DELETE", "/data/k", headers: [("If-Match", "\"\(etag)\"")]).status == 204)
        #expect(throws: ObjectStoreError.self) { try cloud.sandbox.objects.head(bucket: "data", key: "k") }
    }

    @Test("what S3 refuses is refused: reserved bucket names, over 2 KB of user metadata, a DeleteObjects naming no key")
    func refusedInputs() async throws {
        let cloud = try WireFixture()
        for name in ["xn--abc", "sthree-x", "abc-s3alias", "abc--ol-s3"] {
            let created = await cloud.s3("PUT", "/" + name)
            #expect(created.status == 400 && created.s3ErrorCode == "InvalidBucketName", "\(name)")
        }
        #expect(try cloud.sandbox.objects.bucketNames().isEmpty)
        #expect(await cloud.s3("PUT", "/data").status == 200)
        let big = await cloud.s3("PUT", "/data/k", headers: [("x-amz-meta-big", String(repeating: "v", count: 2046))], body: Data("x".utf8))
        #expect(big.status == 400 && big.s3ErrorCode == "MetadataTooLarge")
        #expect(await cloud.s3("PUT", "/data/k", headers: [("x-amz-meta-big", String(repeating: "v", count: 2045))]).status == 200,
                "2048 bytes of name and value are allowed")
        let empty = Data("<Delete></Delete>".utf8)
        let none = await cloud.s3("POST", "/data?delete", headers: [("Content-MD5", Data(Insecure.MD5.hash(data: empty)).base64EncodedString())], body: empty)
        #expect(none.status == 400 && none.s3ErrorCode == "MalformedXML", "\(none.text)")
        for (body, said) in [("<Delete><Object><Key>k</Key></Object", "not well-formed XML"),
                             ("<Delete><Quiet>maybe</Quiet><Object><Key>k</Key></Object></Delete>", "&lt;Quiet&gt; is not true or false")] {
            let bad = await cloud.s3("POST", "/data?delete", headers: [("Content-MD5", Data(Insecure.MD5.hash(data: Data(body.utf8))).base64EncodedString())],
                                     body: Data(body.utf8))
            #expect(bad.status == 400 && bad.s3ErrorCode == "MalformedXML" && bad.text.contains(said), "\(bad.text)")
            #expect(!bad.text.contains("Domain=") && !bad.text.contains("DecodingError"), "\(bad.text)")
        }
    }

    @Test("a Content-MD5 that does not match the body is BadDigest, and nothing is stored")
    func badDigest() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        let wrong = Data(Insecure.MD5.hash(data: Data("other".utf8))).base64EncodedString()
        let response = await cloud.s3("PUT", "/data/k", headers: [("Content-MD5", wrong)], body: Data("body".utf8))
        #expect(response.status == 400 && response.s3ErrorCode == "BadDigest")
        #expect(throws: ObjectStoreError.self) { try cloud.sandbox.objects.head(bucket: "data", key: "k") }
    }

    @Test("missing buckets and keys are NoSuchBucket and NoSuchKey; a bucket with objects is not deleted")
    func errors() async throws {
        let cloud = try WireFixture()
        let noBucket = await cloud.s3("GET", "/nope/k")
        #expect(noBucket.status == 404 && noBucket.s3ErrorCode == "NoSuchBucket")
        try cloud.sandbox.objects.createBucket("data")
        let noKey = await cloud.s3("GET", "/data/missing")
        #expect(noKey.status == 404 && noKey.s3ErrorCode == "NoSuchKey")
        #expect(noKey.text.contains("<Resource>data/missing</Resource>"))
        _ = try cloud.sandbox.objects.put(Data("x".utf8), bucket: "data", key: "k")
        let notEmpty = await cloud.s3("DELETE", "/data")
        #expect(notEmpty.status == 409 && notEmpty.s3ErrorCode == "BucketNotEmpty")
        #expect(await cloud.s3("DELETE", "/data/k").status == 204)
        #expect(await cloud.s3("DELETE", "/data").status == 204)
        #expect(try cloud.sandbox.objects.bucketNames().isEmpty)
    }

    @Test("ACL, tagging, policy and other configuration calls are NotImplemented and leave objects and buckets as they were")
    func unsupportedSubresources() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        try cloud.sandbox.objects.createBucket("empty")
        _ = try cloud.sandbox.objects.put(Data("precious".utf8), bucket: "data", key: "k")
        let calls: [(method: String, path: String, body: String)] = [
            ("PUT", "/data/k?acl", ""), ("PUT", "/data/k?tagging", "<Tagging/>"), ("PUT", "/data/k?legal-hold", "<LegalHold/>"),
            ("DELETE", "/data/k?tagging", ""), ("GET", "/data/k?acl", ""), ("POST", "/data/k?restore", ""),
            ("DELETE", "/empty?policy", ""), ("GET", "/data?policy", ""), ("GET", "/data?lifecycle", ""), ("PUT", "/data?cors", "<x/>"),
        ]
        for call in calls {
            let answer = await cloud.s3(call.method, call.path, body: Data(call.body.utf8))
            #expect(answer.status == 501 && answer.s3ErrorCode == "NotImplemented", "\(call.method) \(call.path): \(answer.status)")
        }
        #expect(try cloud.sandbox.objects.get(bucket: "data", key: "k").data == Data("precious".utf8))
        #expect(try cloud.sandbox.objects.bucketNames() == ["data", "empty"])
    }

    @Test("ListObjectsV2 pages with continuation tokens, rolls up prefixes, URL-encodes keys and names the owner on request; V1 always names it")
    func listing() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        for key in ["a/1", "a/2", "b+c d", "z"] { _ = try cloud.sandbox.objects.put(Data(key.utf8), bucket: "data", key: key) }
        let first = await cloud.s3("GET", "/data?list-type=2&max-keys=2")
        #expect(first.text.contains("<KeyCount>2</KeyCount>") && first.text.contains("<IsTruncated>true</IsTruncated>"))
        let token = try #require(first.text.firstMatch(of: /<NextContinuationToken>([^<]+)<\/NextContinuationToken>/)?.1)
        let encodedToken = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let second = await cloud.s3("GET", "/data?list-type=2&max-keys=2&continuation-token=\(encodedToken)&encoding-type=url")
        #expect(second.text.contains("<Key>b%2Bc%20d</Key>") && second.text.contains("<Key>z</Key>"))
        #expect(second.text.contains("<IsTruncated>false</IsTruncated>"))
        let rolled = await cloud.s3("GET", "/data?list-type=2&delimiter=%2F")
        #expect(rolled.text.contains("<CommonPrefixes><Prefix>a/</Prefix></CommonPrefixes>"))
        #expect(!rolled.text.contains("<Key>a/1</Key>"))
        // The owner: in V2 only on request, always in V1.
        #expect(!first.text.contains("<Owner>"))
        let owned = await cloud.s3("GET", "/data?list-type=2&fetch-owner=true")
        #expect(owned.text.components(separatedBy: "<Owner><ID>").count == 5, "\(owned.text)")
        let v1 = await cloud.s3("GET", "/data?max-keys=1")
        #expect(v1.text.contains("<Size>3</Size><Owner><ID>") && v1.text.contains("<IsTruncated>true</IsTruncated>"), "\(v1.text)")
    }

    @Test("ListBuckets pages with max-buckets and continuation tokens, filters by prefix, and refuses a bad limit or token")
    func bucketPages() async throws {
        let cloud = try WireFixture()
        for name in ["logs-a", "logs-b", "logs-c", "data"] { try cloud.sandbox.objects.createBucket(name) }
        func names(_ text: String) -> [String] { text.matches(of: /<Name>([^<]+)<\/Name>/).map { String($0.1) } }
        #expect(names(await cloud.s3("GET", "/").text) == ["data", "logs-a", "logs-b", "logs-c"])
        let first = await cloud.s3("GET", "/?max-buckets=2&prefix=logs-")
        #expect(names(first.text) == ["logs-a", "logs-b"] && first.text.contains("<Prefix>logs-</Prefix>"), "\(first.text)")
        let token = try #require(first.text.firstMatch(of: /<ContinuationToken>([^<]+)<\/ContinuationToken>/)?.1)
        let second = await cloud.s3("GET", "/?max-buckets=2&prefix=logs-&continuation-token=\(token)")
        #expect(names(second.text) == ["logs-c"] && !second.text.contains("<ContinuationToken>"), "\(second.text)")
        #expect(await cloud.s3("GET", "/?max-buckets=0").s3ErrorCode == "InvalidArgument")
        #expect(await cloud.s3("GET", "/?continuation-token=%25%25").s3ErrorCode == "InvalidArgument")
    }

    @Test("multipart: parts complete into one object with S3's md5-of-md5s ETag; small middle parts are refused")
    func multipart() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        let start = await cloud.s3("POST", "/data/big?uploads")
        let uploadID = try #require(start.text.firstMatch(of: /<UploadId>([0-9a-f]+)<\/UploadId>/)?.1)
        let parts = [Data(repeating: 1, count: 5 * 1024 * 1024), Data(repeating: 2, count: 1000)]
        var etags: [String] = []
        for (index, part) in parts.enumerated() {
            let response = await cloud.s3("PUT", "/data/big?partNumber=\(index + 1)&uploadId=\(uploadID)", body: part)
            etags.append(try #require(response.header("ETag")))
        }
        let listed = await cloud.s3("GET", "/data/big?uploadId=\(uploadID)")
        #expect(listed.text.contains("<PartNumber>2</PartNumber>"))
        let complete = "<CompleteMultipartUpload>" + etags.enumerated().map {
            "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\($0.element)</ETag></Part>"
        }.joined() + "</CompleteMultipartUpload>"
        let done = await cloud.s3("POST", "/data/big?uploadId=\(uploadID)", body: Data(complete.utf8))
        #expect(done.status == 200, "\(done.text)")
        let digests = parts.reduce(into: Data()) { $0.append(contentsOf: Insecure.MD5.hash(data: $1)) }
        let expected = Insecure.MD5.hash(data: digests).map { String(format: "%02x", $0) }.joined() + "-2"
        let stored = try cloud.sandbox.objects.get(bucket: "data", key: "big")
        #expect(stored.metadata.etag == expected && stored.data == parts[0] + parts[1])
        #expect(await cloud.s3("GET", "/data/big?uploadId=\(uploadID)").s3ErrorCode == "NoSuchUpload")

        // Parts read back by number, as ranges, with the parts count; a copy has one part.
        let second = await cloud.s3("GET", "/data/big?partNumber=2")
        #expect(second.status == 206 && second.body == parts[1], "\(second.status)")
        #expect(second.header("Content-Range") == "bytes \(parts[0].count)-\(parts[0].count + 999)/\(parts[0].count + 1000)")
        #expect(second.header("x-amz-mp-parts-count") == "2")
        let head = await cloud.s3("HEAD", "/data/big?partNumber=1")
        #expect(head.status == 206 && head.header("Content-Length") == String(parts[0].count) && head.header("x-amz-mp-parts-count") == "2")
        #expect(await cloud.s3("GET", "/data/big").header("x-amz-mp-parts-count") == nil, "only a part read says the count")
        #expect(await cloud.s3("GET", "/data/big?partNumber=3").s3ErrorCode == "InvalidPartNumber")
        #expect(await cloud.s3("GET", "/data/big?partNumber=0").s3ErrorCode == "InvalidArgument")
        #expect(await cloud.s3("GET", "/data/big?partNumber=1", headers: [("Range", "bytes=0-1")]).s3ErrorCode == "InvalidRequest")
        #expect(await cloud.s3("GET", "/data/big").header("x-amz-meta-parts") == nil)
        _ = await cloud.s3("PUT", "/data/copy", headers: [("x-amz-copy-source", "/data/big")])
        let whole = await cloud.s3("GET", "/data/copy?partNumber=1")
        #expect(whole.status == 206 && whole.body == parts[0] + parts[1] && whole.header("x-amz-mp-parts-count") == nil)
        #expect(await cloud.s3("GET", "/data/copy?partNumber=2").status == 416)

        let small = await cloud.s3("POST", "/data/small?uploads")
        let smallID = try #require(small.text.firstMatch(of: /<UploadId>([0-9a-f]+)<\/UploadId>/)?.1)
        var smallTags: [String] = []
        for number in 1...2 {
            smallTags.append(try #require(await cloud.s3("PUT", "/data/small?partNumber=\(number)&uploadId=\(smallID)",
                                                          body: Data("tiny".utf8)).header("ETag")))
        }
        let refused = await cloud.s3("POST", "/data/small?uploadId=\(smallID)", body: Data(("<CompleteMultipartUpload>"
            + "<Part><PartNumber>1</PartNumber><ETag>\(smallTags[0])</ETag></Part>"
            + "<Part><PartNumber>2</PartNumber><ETag>\(smallTags[1])</ETag></Part></CompleteMultipartUpload>").utf8))
        #expect(refused.status == 400 && refused.s3ErrorCode == "EntityTooSmall")
    }

    @Test("copy keeps or replaces metadata; versionId reads an earlier generation")
    func copyAndVersions() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        let first = try cloud.sandbox.objects.put(Data("v1".utf8), bucket: "data", key: "k",
                                                  options: PutOptions(userMetadata: ["a": "1"]))
        _ = try cloud.sandbox.objects.put(Data("v2".utf8), bucket: "data", key: "k")
        #expect(await cloud.s3("GET", "/data/k?versionId=\(first.generation)").text == "v1")
        let copy = await cloud.s3("PUT", "/data/c", headers: [("x-amz-copy-source", "/data/k?versionId=\(first.generation)")])
        #expect(copy.status == 200 && copy.text.contains("<CopyObjectResult"))
        #expect(try cloud.sandbox.objects.get(bucket: "data", key: "c").metadata.userMetadata == ["a": "1"])
        let toItself = await cloud.s3("PUT", "/data/k", headers: [("x-amz-copy-source", "data/k")])
        #expect(toItself.status == 400 && toItself.s3ErrorCode == "InvalidRequest")
        let versions = await cloud.s3("GET", "/data?versions")
        #expect(versions.text.contains("<VersionId>\(first.generation)</VersionId><IsLatest>false</IsLatest>"))
    }

    @Test("paged with a delimiter, ListObjects (V1, by NextMarker) and ListObjectVersions (by NextKeyMarker) give each key and prefix once")
    func pagedListingsWithADelimiter() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        for key in ["a", "a-2/x", "a-2/y", "a-3", "b/1", "c", "d", "dir1/f", "dir2/f"] {
            try cloud.sandbox.objects.put(Data(key.utf8), bucket: "data", key: key)
        }
        func values(_ tag: String, _ text: String) -> [String] {
            text.matches(of: try! Regex("<\(tag)>([^<]*)</\(tag)>")).map { String($0.output[1].substring!) }
        }
        for (query, marker, nextMarker) in [("", "marker", "NextMarker"), ("versions&", "key-marker", "NextKeyMarker")] {
            var keys: [String] = [], prefixes: [String] = []
            var next: String?
            var pages = 0
            repeat {
                let page = await cloud.s3("GET", "/data?\(query)delimiter=%2F&max-keys=2" + (next.map { "&\(marker)=\($0)" } ?? ""))
                #expect(page.status == 200, "\(page.text)")
                keys += values("Key", page.text)
                prefixes += values("Prefix", page.text).filter { !$0.isEmpty }
                next = page.text.contains("<IsTruncated>true</IsTruncated>") ? values(nextMarker, page.text).first : nil
                pages += 1
            } while next != nil && pages < 10
            #expect(keys == ["a", "a-3", "c", "d"], "\(query)")
            #expect(prefixes == ["a-2/", "b/", "dir1/", "dir2/"], "\(query)")
        }
    }

    @Test("standard headers (Cache-Control, Content-Encoding, …) are kept, copied and answered; response-* parameters override them")
    func standardHeaders() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        let put = await cloud.s3("PUT", "/data/k", headers: [
            ("Cache-Control", "max-age=60"), ("Content-Encoding", "gzip"), ("Content-Disposition", "attachment; filename=\"x.txt\""),
            ("Content-Language", "de"), ("Expires", "Tue, 01 Jan 2030 00:00:00 GMT"), ("x-amz-meta-a", "1"),
        ], body: Data("hello".utf8))
        #expect(put.status == 200)
        func header(_ response: WireResponse, _ name: String) -> String? {
            response.headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        let got = await cloud.s3("GET", "/data/k")
        #expect(header(got, "Cache-Control") == "max-age=60" && header(got, "Content-Encoding") == "gzip")
        #expect(header(got, "Content-Disposition") == "attachment; filename=\"x.txt\"" && header(got, "Content-Language") == "de")
        #expect(header(got, "Expires") == "Tue, 01 Jan 2030 00:00:00 GMT" && header(got, "x-amz-meta-a") == "1")
        #expect(await cloud.s3("PUT", "/data/c", headers: [("x-amz-copy-source", "/data/k")]).status == 200)
        #expect(header(await cloud.s3("HEAD", "/data/c"), "Content-Encoding") == "gzip", "COPY keeps them")
        let overridden = await cloud.s3("GET", "/data/k?response-content-disposition=inline&response-content-type=text%2Fplain")
        #expect(header(overridden, "Content-Disposition") == "inline" && header(overridden, "Content-Type") == "text/plain")
        let bad = await cloud.s3("PUT", "/data/d", headers: [("x-amz-copy-source", "/data/k"), ("x-amz-metadata-directive", "FOO")])
        #expect(bad.status == 400 && bad.s3ErrorCode == "InvalidArgument")
    }

    @Test("unsigned requests, unknown keys and wrong secrets get S3's own 403s")
    func authentication() async throws {
        let cloud = try WireFixture()
        let unsigned = await cloud.s3("GET", "/", signed: false)
        #expect(unsigned.status == 403 && unsigned.s3ErrorCode == "AccessDenied")
        let version2 = await cloud.s3("GET", "/data/k?AWSAccessKeyId=test&Expires=1798000000&Signature=abc%3D", signed: false)
        #expect(version2.status == 400 && version2.s3ErrorCode == "AuthorizationQueryParametersError", "\(version2.text)")
        #expect(version2.text.contains("Signature Version 2") && !version2.text.contains("--allow-anonymous"), "\(version2.text)")
        let otherService = await cloud.s3("PUT", "/data", signedFor: "sqs")
        #expect(otherService.status == 400 && otherService.s3ErrorCode == "AuthorizationHeaderMalformed", "\(otherService.text)")
        #expect(otherService.text.contains("scoped to service &quot;sqs&quot;") || otherService.text.contains("scoped to service \"sqs\""),
                "\(otherService.text)")
        #expect(try cloud.sandbox.objects.bucketNames().isEmpty)
        let wrong = await cloud.s3("GET", "/", secret: "not-the-secret")
        #expect(wrong.status == 403 && wrong.s3ErrorCode == "SignatureDoesNotMatch")
        let open = try WireFixture(allowAnonymous: true)
        #expect(await open.s3("GET", "/", signed: false).status == 200)
        #expect(await open.s3("GET", "/", secret: "not-the-secret").status == 403)
    }

    @Test("a presigned GET works until it expires on the sandbox's clock")
    func presigned() async throws {
        let cloud = try WireFixture()
        try cloud.sandbox.objects.createBucket("data")
        _ = try cloud.sandbox.objects.put(Data("secret".utf8), bucket: "data", key: "k")
        let signer = SigV4Signer(credentials: WireGateway.defaultCredentials, region: "us-east-1", service: "s3")
        let query = signer.presignedQuery(method: "GET", host: WireFixture.host, rawPath: "/data/k", rawQuery: "", expires: 60,
                                          at: cloud.clock.now)
        let url = "/data/k?" + query
        #expect(await cloud.s3("GET", url, signed: false).text == "secret")
        cloud.clock.advance(by: .seconds(61))
        #expect(await cloud.s3("GET", url, signed: false).status == 403)
    }
}
