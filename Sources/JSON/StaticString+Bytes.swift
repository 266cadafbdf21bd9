#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

extension StaticString {
    /// Whether `bytes` holds exactly this text's UTF-8 from `position` on (for the scanners that
    /// match literals such as `true` or `{"data":` in raw bytes).
    func isFound(in bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        let count = utf8CodeUnitCount
        guard position >= 0, position + count <= bytes.count else { return false }
        guard count > 0, let base = bytes.baseAddress else { return true }
        return memcmp(base + position, utf8Start, count) == 0
    }
}
