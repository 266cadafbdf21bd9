/// The canonical request of Signature V4: the text both sides hash and sign, so the signature
/// covers the method, path, query, the signed headers and the payload hash.
///
///     METHOD\nCANONICAL_URI\nCANONICAL_QUERY\nname:value\n…\n\nsigned;header;names\nPAYLOAD_HASH
struct CanonicalRequest {
    /// The canonical request itself.
    let text: String

    /// Builds the canonical request. `signedHeaders` are lower-case names in the order they are
    /// listed; each line holds every value of that header in `headers` (names in any case),
    /// trimmed with inner runs of spaces collapsed, joined by `,` (empty when absent).
    init(method: String, uri: String, query: String, headers: [(name: String, value: String)],
         signedHeaders: [String], payloadHash: String) {
        var lines = [method, uri, query]
        for name in signedHeaders {
            let values = headers.filter { HeaderName.matches($0.name, name) }.map { Self.trimAll($0.value) }
            lines.append("\(name):\(values.joined(separator: ","))")
        }
        lines.append("")
        lines.append(signedHeaders.joined(separator: ";"))
        lines.append(payloadHash)
        text = lines.joined(separator: "\n")
    }

    /// The canonical URI of `rawPath` (percent-encoded as sent). S3 signs the path exactly as
    /// sent; every other service signs it with dot segments and empty segments removed and then
    /// encoded once more (so `%20` is signed as `%2520`), as botocore does.
    static func uri(rawPath: String, service: String) -> String {
        guard !rawPath.isEmpty else { return "/" }
        guard service != "s3" else { return rawPath }
        return AWSPercentEncoding.encode(normalized(rawPath).utf8, keepingSlashes: true)
    }

    /// `path` without `.` and empty segments and with `..` applied (RFC 3986 section 5.2.4,
    /// plus AWS's removal of repeated slashes); keeps a leading and a trailing slash.
    private static func normalized(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/") where segment != "." {
            if segment == ".." { _ = segments.popLast() } else { segments.append(segment) }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !segments.isEmpty ? "/" : ""
        let joined = leading + segments.joined(separator: "/") + trailing
        return joined.isEmpty ? "/" : joined
    }

    /// The value with leading and trailing whitespace removed and inner runs collapsed to one space.
    private static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).joined(separator: " ")
    }
}
