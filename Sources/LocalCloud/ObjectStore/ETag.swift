import Crypto
import Foundation

/// The lowercase hex MD5 of `data`: an object's ETag, as S3 computes it for a single-part upload.
func md5Hex(_ data: Data) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    hex.reserveCapacity(32)
    for byte in Insecure.MD5.hash(data: data) {
        hex.append(digits[Int(byte >> 4)])
        hex.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: hex, as: UTF8.self)
}
