/// 64-bit FNV-1a, the stable hash behind feature hashing and fault plans.
///
/// FNV-1a is fixed by its published constants (offset basis `0xcbf29ce484222325`, prime
/// `0x100000001b3`), so a hash computed today is the same on every machine, in every process and
/// in every future version — unlike Swift's `Hasher`, which is seeded per process. Each byte is
/// XORed into the state, then the state is multiplied by the prime (mod 2⁶⁴).
public struct FNV1a: Sendable, Equatable {
    /// The FNV-1a 64-bit offset basis: the hash of no bytes.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The FNV 64-bit prime.
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The running hash of every byte fed so far.
    public private(set) var value: UInt64

    /// Starts a hash of no bytes. A non-zero `seed` is XORed into the offset basis, giving an
    /// independent family of hashes (0, the default, is standard FNV-1a).
    public init(seed: UInt64 = 0) { value = FNV1a.offsetBasis ^ seed }

    /// Feeds one byte.
    @inline(__always)
    public mutating func combine(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* FNV1a.prime
    }

    /// Feeds bytes in order.
    public mutating func combine<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes { combine(byte) }
    }

    /// The FNV-1a 64-bit hash of `bytes`, with the basis XORed with `seed` (see `init(seed:)`).
    public static func hash<Bytes: Sequence>(_ bytes: Bytes, seed: UInt64 = 0) -> UInt64 where Bytes.Element == UInt8 {
        var hasher = FNV1a(seed: seed)
        hasher.combine(bytes)
        return hasher.value
    }
}
