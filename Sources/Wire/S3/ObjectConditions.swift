import Foundation
import LocalCloud

/// S3's conditional request headers on reads (`If-Match`, `If-None-Match`, `If-Modified-Since`,
/// `If-Unmodified-Since`), judged against an object's metadata as S3 judges them.
struct ObjectConditions {
    var ifMatch: String?
    var ifNoneMatch: String?
    var ifModifiedSince: Instant?
    var ifUnmodifiedSince: Instant?

    /// The conditions of a request (the `x-amz-copy-source-if-…` ones with `prefix`).
    init(_ request: WireRequest, prefix: String = "") {
        ifMatch = request.header(prefix + "If-Match")
        ifNoneMatch = request.header(prefix + "If-None-Match")
        ifModifiedSince = request.header(prefix + "If-Modified-Since").flatMap(WireTime.parseHTTPDate)
        ifUnmodifiedSince = request.header(prefix + "If-Unmodified-Since").flatMap(WireTime.parseHTTPDate)
    }

    enum Outcome: Equatable {
        case proceed
        /// 304: the client's copy is current.
        case notModified
        /// 412.
        case preconditionFailed
    }

    /// What S3 answers for `metadata`: If-Match wins over If-Unmodified-Since, and If-None-Match
    /// over If-Modified-Since (RFC 9110 §13.2.2). Times compare at whole seconds, as HTTP dates have.
    func evaluate(_ metadata: ObjectMetadata) -> Outcome {
        let modified = Instant(nanosecondsSinceEpoch: metadata.updated.secondsSinceEpoch * 1_000_000_000)
        if let ifMatch {
            if !Self.matches(ifMatch, etag: metadata.etag) { return .preconditionFailed }
        } else if let ifUnmodifiedSince, modified > ifUnmodifiedSince {
            return .preconditionFailed
        }
        if let ifNoneMatch {
            if Self.matches(ifNoneMatch, etag: metadata.etag) { return .notModified }
        } else if let ifModifiedSince, modified <= ifModifiedSince {
            return .notModified
        }
        return .proceed
    }

    /// Whether an `If-Match`-style list (`"etag"`, `etag`, `*`, comma-separated) names `etag`.
    static func matches(_ header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == "*" || unquoted(trimmed) == etag
        }
    }

    /// An ETag without its quotes (and without a weak `W/` mark).
    static func unquoted(_ tag: some StringProtocol) -> String {
        var text = Substring(tag)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = text.dropFirst().dropLast() }
        return String(text)
    }
}
