import Crypto
import Determinism
import Foundation

/// The lowercase hex MD5 of `data`: an object's ETag, as S3 computes it for a single-part upload.
func md5Hex(_ data: Data) -> String {
    Hex.string(Insecure.MD5.hash(data: data))
}
