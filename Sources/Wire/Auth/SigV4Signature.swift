import Crypto
import Determinism
import Foundation

/// The last two steps of Signature V4: the string to sign over a canonical request, and its
/// HMAC-SHA256 under the day's signing key, written or checked as 64 lower-case hex digits.
enum SigV4Signature {
    /// The only algorithm Signature V4 defines for HMAC keys.
    static let algorithm = "AWS4-HMAC-SHA256"

    /// `AWS4-HMAC-SHA256\n<amzDate>\n<date/region/service/aws4_request>\n<hex SHA-256 of the canonical request>`.
    static func stringToSign(amzDate: String, scope: SigV4Scope, canonicalRequest: CanonicalRequest) -> String {
        var text = canonicalRequest.text
        let hash = Hex.string(text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) })
        return "\(algorithm)\n\(amzDate)\n\(scope.credentialScope)\n\(hash)"
    }

    /// The signature of `stringToSign`, in lower-case hex.
    static func sign(_ stringToSign: String, key: SymmetricKey) -> String {
        Hex.string(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }

    /// Whether `signature` (64 lower-case hex digits, as `isWellFormed` checks) signs
    /// `stringToSign` under `authenticator` (an HMAC keyed with the signing key, nothing
    /// authenticated yet), compared in constant time.
    static func matches(_ signature: String, _ stringToSign: String, authenticator: HMAC<SHA256>) -> Bool {
        var signature = signature
        let bytes = signature.withUTF8 { digits in
            [UInt8](unsafeUninitializedCapacity: digits.count / 2) { bytes, count in
                for index in 0..<digits.count / 2 {
                    bytes[index] = hexValue(digits[2 * index]) << 4 | hexValue(digits[2 * index + 1])
                }
                count = digits.count / 2
            }
        }
        var mac = authenticator
        var text = stringToSign
        text.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return mac.finalize() == bytes  // MessageAuthenticationCode's == compares in constant time
    }

    /// Whether `signature` is 64 lower-case hex digits, the only spelling AWS writes.
    static func isWellFormed(_ signature: String) -> Bool {
        Hex.isDigits(signature.utf8, count: 64)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8 {
        digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : digit - UInt8(ascii: "a") + 10
    }
}
