import Crypto
import Determinism
import Foundation

/// The frame around every model artifact's body, whatever kind of model it holds:
///
/// ```
/// rehearsal-model/1 sha256=<64 hex digits> bytes=<body length>\n
/// <body>
/// ```
/// The model id is the SHA-256 of the body: same content, same id. Opening checks the header,
/// the length (truncation) and the hash (edits) before anything reads the body.
enum ArtifactEnvelope {
    static let magic = "rehearsal-model/"
    static let schemaVersion = 1

    /// Metrics can be NaN or infinite in principle; `ArtifactJSON` writes them as these strings.
    private static let nonFiniteDecoding = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")

    /// The artifact bytes around `body`, and the model id (the body's SHA-256).
    static func seal(_ body: [UInt8]) -> (bytes: [UInt8], id: String) {
        let id = Hex.string(SHA256.hash(data: body))
        let header = "\(magic)\(schemaVersion) sha256=\(id) bytes=\(body.count)\n"
        return (Array(header.utf8) + body, id)
    }

    /// The body of artifact bytes and the model id, after checking the header, length and hash.
    static func open(_ bytes: [UInt8]) throws -> (body: ArraySlice<UInt8>, id: String) {
        guard let newline = bytes.prefix(512).firstIndex(of: 0x0A) else { throw ModelArtifactError.notAnArtifact }
        let header = String(decoding: bytes[..<newline], as: UTF8.self)
        let fields = header.split(separator: " ")
        guard fields.count == 3, fields[0].hasPrefix(magic),
              fields[1].hasPrefix("sha256="), fields[2].hasPrefix("bytes="),
              let declaredLength = Int(fields[2].dropFirst("bytes=".count))
        else { throw ModelArtifactError.notAnArtifact }
        let version = String(fields[0].dropFirst(magic.count))
        guard version == String(schemaVersion) else { throw ModelArtifactError.unsupportedSchema(found: version) }
        let body = bytes[(newline + 1)...]
        guard body.count == declaredLength else {
            throw ModelArtifactError.wrongLength(declared: declaredLength, found: body.count)
        }
        let declaredHash = String(fields[1].dropFirst("sha256=".count))
        let computedHash = Hex.string(SHA256.hash(data: body))
        guard declaredHash == computedHash else {
            throw ModelArtifactError.hashMismatch(declared: declaredHash, computed: computedHash)
        }
        return (body, computedHash)
    }

    /// `body` read as JSON into `Body`; a body that does not fit becomes `malformed`, naming the field.
    /// The decoder reads the body where it lies (no copy: a text model's body is over 20 MB).
    static func decodeBody<Body: Decodable>(_ type: Body.Type, from body: ArraySlice<UInt8>) throws -> Body {
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = nonFiniteDecoding
            return try body.withUnsafeBytes { raw in
                guard let start = raw.baseAddress else { return try decoder.decode(Body.self, from: Data()) }
                // The Data borrows the bytes only while `decode` runs, which keeps no reference to it.
                return try decoder.decode(Body.self, from: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: start),
                                                                count: raw.count, deallocator: .none))
            }
        } catch let error as DecodingError {
            throw ModelArtifactError.malformed(DecodingErrorText.describe(error))
        }
    }
}
