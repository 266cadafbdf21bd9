import Determinism

/// A stable 64-bit hash of `text` for `seed`: seeded FNV-1a, then SplitMix64's mix (unlike
/// `Hasher`, the same in every process).
func stableHash(_ text: String, seed: UInt64) -> UInt64 {
    SplitMix64.mix(FNV1a.hash(text.utf8, seed: seed))
}
