/// The payload-hash line of a canonical request: the body's lower-case hex SHA-256, or one of
/// the literal names S3 accepts in `x-amz-content-sha256` instead of a hash.
enum PayloadHash {
    /// The body is not signed (presigned URLs, and uploads that opt out).
    static let unsigned = "UNSIGNED-PAYLOAD"
    /// The SHA-256 of an empty body.
    static let emptyBody = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The names `x-amz-content-sha256` may carry instead of a hash.
    private static let literals: Set<String> = [
        unsigned,
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
        "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
        "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
        "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
    ]

    /// Whether `value` is 64 hex digits (either case), that is, a SHA-256 rather than a literal.
    static func isHash(_ value: String) -> Bool {
        value.utf8.count == 64 && value.utf8.allSatisfy { Self.isHexDigit($0) }
    }

    /// Whether `value` is a hash or one of the literal names.
    static func isValid(_ value: String) -> Bool {
        isHash(value) || literals.contains(value)
    }

    /// A sentence listing what `x-amz-content-sha256` may hold, for error messages.
    static var validValues: String {
        "the body's SHA-256 as 64 hex digits or one of " + literals.sorted().joined(separator: ", ")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
