/// A request's query parameters, percent-decoded (`+` is a space, as S3 and SQS read it).
public struct QueryParameters: Sendable {
    /// Name-value pairs in the order sent.
    public let pairs: [(name: String, value: String)]

    public init(raw: String) {
        pairs = raw.split(separator: "&").map { part in
            let halves = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (PercentDecoding.decode(Substring(halves[0])), halves.count > 1 ? PercentDecoding.decode(halves[1]) : "")
        }
    }

    /// The first value of `name`, or nil when it is absent.
    public subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Whether `name` is present (with or without a value).
    public func has(_ name: String) -> Bool { pairs.contains { $0.name == name } }
}

/// Percent-decoding of URL paths and queries.
public enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as a space when `plusIsSpace`). A malformed escape is kept
    /// as it is; bytes that are not UTF-8 become U+FFFD.
    public static func decode(_ text: Substring, plusIsSpace: Bool = true) -> String {
        String(decoding: AWSPercentEncoding.decode(text, plusIsSpace: plusIsSpace), as: UTF8.self)
    }
}
