import Crypto
import Foundation

/// The bytes a write request carries: the body itself, or the data inside an `aws-chunked` body
/// (what AWS SDKs send for streaming and trailing-checksum uploads), checked against
/// `Content-MD5` when one is given.
///
/// Chunk signatures (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`) are read but not verified: the
/// request's seed signature is.
enum ObjectPayload {
    static func read(_ request: WireRequest) throws(S3Error) -> Data {
        let chunked = request.header("Content-Encoding")?.contains("aws-chunked") == true
            || request.header("x-amz-content-sha256")?.hasPrefix("STREAMING-") == true
        let data = chunked ? try decodeChunks(request.body) : request.body
        if chunked, let declared = request.header("x-amz-decoded-content-length"), Int(declared) != data.count {
            throw S3Error("IncompleteBody", status: 400,
                          "You did not provide the number of bytes specified by the x-amz-decoded-content-length header: "
                              + "declared \(declared), got \(data.count)")
        }
        if let contentMD5 = request.header("Content-MD5") {
            guard let expected = Data(base64Encoded: contentMD5), expected.count == 16 else {
                throw S3Error("InvalidDigest", status: 400, "The Content-MD5 you specified is not valid: \(contentMD5)")
            }
            guard Data(Insecure.MD5.hash(data: data)) == expected else {
                throw S3Error("BadDigest", status: 400, "The Content-MD5 you specified did not match what we received.")
            }
        }
        return data
    }

    /// The data of an `aws-chunked` body: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n`… up to
    /// a zero-size chunk, then optional trailer lines.
    static func decodeChunks(_ body: Data) throws(S3Error) -> Data {
        let bytes = [UInt8](body)
        var data = Data()
        var index = 0
        func malformed(_ why: String) -> S3Error {
            S3Error("InvalidRequest", status: 400, "malformed aws-chunked body at byte \(index): \(why)")
        }
        while true {
            guard let lineEnd = findCRLF(bytes, from: index) else { throw malformed("a chunk header has no CRLF") }
            let header = bytes[index..<lineEnd].prefix { $0 != UInt8(ascii: ";") }
            guard let size = Int(String(decoding: header, as: UTF8.self), radix: 16), size >= 0 else {
                throw malformed("a chunk size is not hexadecimal")
            }
            index = lineEnd + 2
            if size == 0 { return data }
            guard index + size + 2 <= bytes.count, bytes[index + size] == 13, bytes[index + size + 1] == 10 else {
                throw malformed("a chunk of \(size) bytes is cut short or not followed by CRLF")
            }
            data.append(contentsOf: bytes[index..<(index + size)])
            index += size + 2
        }
    }

    private static func findCRLF(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}
