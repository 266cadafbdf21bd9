/// Who signed a request and for what: the credential scope of a verified Signature V4 request.
public struct SigV4Scope: Sendable, Hashable {
    /// The access key that signed the request.
    public var accessKeyID: String
    /// The signing day in UTC, `yyyyMMdd` (e.g. `20261130`).
    public var date: String
    /// The region the request was signed for, e.g. `us-east-1`.
    public var region: String
    /// The service the request was signed for, e.g. `s3` or `sqs`.
    public var service: String

    public init(accessKeyID: String, date: String, region: String, service: String) {
        self.accessKeyID = accessKeyID
        self.date = date
        self.region = region
        self.service = service
    }

    /// `date/region/service/aws4_request`, the scope line of the string to sign.
    var credentialScope: String { "\(date)/\(region)/\(service)/aws4_request" }

    /// `accessKeyID/date/region/service/aws4_request`, as `Credential=` and `X-Amz-Credential` carry it.
    var credential: String { "\(accessKeyID)/\(credentialScope)" }

    /// Parses a `Credential=` or `X-Amz-Credential` value; `field` names it in errors.
    init(credential: String, field: String) throws(SigV4Failure) {
        let expected = "expected ACCESS_KEY_ID/yyyyMMdd/REGION/SERVICE/aws4_request"
        let parts = credential.fields(separatedBy: UInt8(ascii: "/"))
        guard parts.count >= 5 else {
            throw .malformed("\(field) \"\(credential)\" has \(parts.count) part(s) separated by '/'; \(expected)")
        }
        let tail = parts.suffix(4)
        let accessKeyID = parts.dropLast(4).joined(separator: "/")
        let (date, region, service, terminator) = (tail[tail.startIndex], tail[tail.startIndex + 1],
                                                   tail[tail.startIndex + 2], tail[tail.startIndex + 3])
        guard terminator == "aws4_request" else {
            throw .malformed("\(field) \"\(credential)\" ends in \"\(terminator)\", not \"aws4_request\"; \(expected)")
        }
        guard !accessKeyID.isEmpty else { throw .malformed("\(field) \"\(credential)\" has no access key ID; \(expected)") }
        guard date.utf8.count == 8, date.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw .malformed("\(field) \"\(credential)\" has the date \"\(date)\"; \(expected)")
        }
        guard !region.isEmpty else { throw .malformed("\(field) \"\(credential)\" has an empty region; \(expected)") }
        guard !service.isEmpty else { throw .malformed("\(field) \"\(credential)\" has an empty service; \(expected)") }
        self.init(accessKeyID: accessKeyID, date: date, region: region, service: service)
    }
}
