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
        // Written into one string (it is built for every request the server verifies).
        var text = ""
        text.reserveCapacity(256)
        for part in [method, uri, query] {
            text += part
            text += "\n"
        }
        for name in signedHeaders {
            text += name
            text += ":"
            var separator = ""
            for header in headers where HeaderName.matches(header.name, name) {
                text += separator
                Self.appendTrimmed(header.value, to: &text)
                separator = ","
            }
            text += "\n"
        }
        text += "\n"
        text += signedHeaders.joined(separator: ";")
        text += "\n"
        text += payloadHash
        self.text = text
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

    /// Appends the value with leading and trailing whitespace removed and inner runs collapsed
    /// to one space; most values have nothing to remove and are appended as they are.
    private static func appendTrimmed(_ value: String, to text: inout String) {
        if isTrimmed(value) {
            text += value
        } else {
            text += value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).joined(separator: " ")
        }
    }

    /// Whether `value` has no tab, CR or LF, no space at either end and no two spaces in a row.
    private static func isTrimmed(_ value: String) -> Bool {
        var previousIsSpace = true  // a leading space is a run too
        for byte in value.utf8 {
            let isSpace = byte == UInt8(ascii: " ")
            if (isSpace && previousIsSpace) || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
                return false
            }
            previousIsSpace = isSpace
        }
        return !previousIsSpace || value.isEmpty
    }
}
