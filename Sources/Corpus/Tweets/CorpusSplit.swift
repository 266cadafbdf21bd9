import Crypto

/// The fixed train/test split of the tweet corpus, chosen so results compare with other tools.
///
/// A row's text (after invalid bytes became U+FFFD and CR, LF and TAB became spaces) is hashed
/// with SHA-1; the first 8 bytes of the digest, read as a big-endian unsigned integer, mod 100,
/// put the row in **test** if at least 80 and in **train** otherwise. Equal texts always land on
/// the same side, so no tweet is in both.
public enum CorpusSplit: String, Sendable, Codable, CaseIterable {
    /// About 80% of rows.
    case train
    /// About 20% of rows.
    case test

    /// The side of the split that a (cleaned) text falls on.
    public static func of(_ cleanedText: String) -> CorpusSplit {
        bucket(of: cleanedText) >= 80 ? .test : .train
    }

    /// The text's bucket in 0..<100: the first 8 bytes of its SHA-1, big-endian, mod 100.
    /// Buckets 80–99 are the test split; a slice of the others can serve as validation data.
    public static func bucket(of cleanedText: String) -> Int {
        let digest = Array(Insecure.SHA1.hash(data: Array(cleanedText.utf8)))
        var value: UInt64 = 0
        for byte in digest.prefix(8) { value = value << 8 | UInt64(byte) }
        return Int(value % 100)
    }
}
