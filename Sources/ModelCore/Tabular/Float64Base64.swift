import Foundation

/// `Double`s as base64 text of their little-endian IEEE-754 bytes: how tabular artifacts store
/// weights, so they read back bit for bit.
enum Float64Base64 {
    static func encode(_ values: [Double]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 8)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }

    /// The `count` finite values in `text`.
    /// - Throws: `ModelArtifactError.malformed` naming `field` if the text is not base64, holds
    ///   another number of values, or a value that is not finite.
    static func decode(_ text: String, field: String, count: Int, what: String) throws -> [Double] {
        guard let data = Data(base64Encoded: text) else { throw ModelArtifactError.malformed("\(field) is not valid base64") }
        guard data.count == count * 8 else {
            throw ModelArtifactError.malformed("\(field) holds \(data.count) bytes; \(what) need \(count * 8) (\(count) Float64 values)")
        }
        let values = data.withUnsafeBytes { raw in
            (0..<count).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
        }
        guard values.allSatisfy(\.isFinite) else { throw ModelArtifactError.malformed("\(field) holds a value that is not a finite number") }
        return values
    }
}
