import Crypto
import Determinism
import LocalCloud
import Wire

/// The credentials, time and host of AWS's published S3 Signature V4 examples
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html).
enum AWSExample {
    static let credentials = SigV4Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                              secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let time = Instant(iso8601: "2013-05-24T00:00:00Z")!
    static let host = "examplebucket.s3.amazonaws.com"
    static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let verifier = SigV4Verifier(credentials: [credentials])
}

/// Small helpers of the Signature V4 tests.
enum SigV4Fixture {
    /// Lower-case hex SHA-256 of `text`'s UTF-8.
    static func sha256Hex(_ text: String) -> String {
        Hex.string(SHA256.hash(data: Array(text.utf8)))
    }

    /// `text` percent-encoded as AWS SDKs encode an S3 key in a path: unreserved characters and `/` stay.
    static func encodedPath(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF")
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.append(Character(Unicode.Scalar(byte)))
            default:
                encoded += "%\(digits[Int(byte >> 4)])\(digits[Int(byte & 0x0F)])"
            }
        }
        return encoded
    }
}

extension SigV4Verifier {
    /// The failure `verify` throws, or nil when the request verifies.
    func failure(_ request: SignedRequest, now: Instant) -> SigV4Failure? {
        do {
            _ = try verify(request, now: now)
            return nil
        } catch {
            return error
        }
    }

    /// The message of a `malformed` failure, or nil for any other outcome.
    func malformedReason(_ request: SignedRequest, now: Instant) -> String? {
        guard case .malformed(let reason)? = failure(request, now: now) else { return nil }
        return reason
    }
}

extension SignedRequest {
    /// This request with every header named `name` (any case) replaced by one with `value`, or
    /// removed when `value` is nil.
    func setting(_ name: String, _ value: String?) -> SignedRequest {
        var copy = self
        copy.headers.removeAll { $0.name.lowercased() == name.lowercased() }
        if let value { copy.headers.append((name, value)) }
        return copy
    }

    /// The first value of header `name` (any case).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
