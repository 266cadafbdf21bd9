import Crypto
import Foundation

/// How an `S3ObjectStore` turns what S3 says about an object into the `generation` number the
/// `ObjectStore` protocol speaks, and which of the two rules a bucket follows.
///
/// - **Version generations.** When an answer's version id (`x-amz-version-id`, a listing's
///   `VersionId`) is a decimal integer above 0 — as `rehearse cloud serve` gives, whose version
///   ids *are* the store's generations — that integer is the generation. Every write makes a new
///   one and noncurrent ones can be read back.
/// - **Content generations.** Otherwise (no versioning, as moto, MinIO and AWS buckets have by
///   default; or opaque version ids, as a versioned AWS or MinIO bucket has), the generation is
///   a fingerprint of the ETag: the first 53 bits of the SHA-256 of the ETag's text (1 if that
///   is 0; 53 bits, so that it survives JSON readers that hold numbers as doubles). It changes whenever the bytes change, but rewriting the same bytes keeps it, and
///   only the current generation can be read. Generation preconditions still work — they are
///   checked against the current ETag and enforced by the server with `If-Match` — so a job that
///   records input generations and flips a manifest with `ifGenerationMatch` runs unchanged.
enum S3Generations {
    /// Which rule a bucket's answers follow, as last seen.
    enum Rule: Sendable, Equatable {
        /// Version ids are decimal integers: they are the generations.
        case versions
        /// No usable version ids: generations are ETag fingerprints.
        case content
    }

    /// The generation a version id names, or nil when it is absent, `null` or not a decimal
    /// integer above 0.
    static func versionGeneration(_ versionID: String?) -> Int64? {
        guard let versionID, !versionID.isEmpty, versionID.utf8.allSatisfy({ (48...57).contains($0) }),
              let value = Int64(versionID), value > 0
        else { return nil }
        return value
    }

    /// The content generation of an ETag (quotes and a weak `W/` mark ignored): never 0, which
    /// preconditions read as "does not exist".
    static func contentGeneration(etag: String) -> Int64 {
        let digest = SHA256.hash(data: Data(unquoted(etag).utf8))
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        let generation = Int64(value & (1 << 53 - 1))
        return generation == 0 ? 1 : generation
    }

    /// An ETag without its quotes (and without a weak `W/` mark).
    static func unquoted(_ tag: String) -> String {
        var text = Substring(tag)
        if text.hasPrefix("W/") { text = text.dropFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = text.dropFirst().dropLast() }
        return String(text)
    }
}
