/// The tokens of one text, stored as one run of bytes plus the end offset of each token.
///
/// The tokenizer writes into a buffer that the caller reuses from text to text, so that
/// tokenizing a tweet allocates nothing once the buffer has grown to size.
public struct TokenBuffer: Sendable {
    /// The bytes of every token, one after another.
    public private(set) var bytes: [UInt8] = []
    /// `ends[i]` is the offset in `bytes` just past token `i`.
    public private(set) var ends: [Int] = []

    /// An empty buffer.
    public init() {
        bytes.reserveCapacity(512)
        ends.reserveCapacity(64)
    }

    /// The number of tokens.
    public var count: Int { ends.count }

    /// The byte range of token `index` within `bytes`.
    public func range(of index: Int) -> Range<Int> {
        (index == 0 ? 0 : ends[index - 1])..<ends[index]
    }

    /// Token `index` as a string (for tests, debugging and display; the hot path uses bytes).
    public func token(at index: Int) -> String {
        String(decoding: bytes[range(of: index)], as: UTF8.self)
    }

    /// Every token as a string.
    public var tokens: [String] { (0..<count).map(token(at:)) }

    /// Forgets every token but keeps the storage.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
    }

    /// Appends one byte to the token being built.
    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    /// Appends bytes to the token being built.
    mutating func append(contentsOf newBytes: some Collection<UInt8>) { bytes.append(contentsOf: newBytes) }

    /// Ends the token being built; an empty token is dropped.
    mutating func finishToken() {
        let start = ends.last ?? 0
        if bytes.count > start { ends.append(bytes.count) }
    }

    /// Calls `body` with the bytes of the token being built, not yet finished.
    func withPendingToken<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let start = ends.last ?? 0
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start...])) }
    }
}
