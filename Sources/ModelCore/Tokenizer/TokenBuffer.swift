/// The tokens of one text, stored as one run of bytes plus the end offset of each token.
///
/// The tokenizer writes into a buffer that the caller reuses from text to text, so that
/// tokenizing a tweet allocates nothing once the buffer has grown to size. Its storage is sized
/// before each text for the most bytes and tokens that text can give, and written through
/// pointers (a `TokenWriter`), so the per-byte cost is a store and a bounds check.
public struct TokenBuffer: Sendable {
    /// Room for token bytes; the first `byteCount` are the tokens', one after another.
    private var storage: [UInt8] = []
    private var byteCount = 0
    /// `endStorage[i]`, for `i < count`, is the offset in `bytes` just past token `i`.
    private var endStorage: [Int] = []

    /// The number of tokens.
    public private(set) var count = 0

    /// An empty buffer.
    public init() {}

    /// The bytes of every token, one after another.
    public var bytes: ArraySlice<UInt8> { storage[..<byteCount] }

    /// The byte range of token `index` within `bytes`.
    public func range(of index: Int) -> Range<Int> {
        precondition(index >= 0 && index < count, "token index out of range")
        return (index == 0 ? 0 : endStorage[index - 1])..<endStorage[index]
    }

    /// Token `index` as a string (for tests, debugging and display; the hot path uses bytes).
    public func token(at index: Int) -> String {
        String(decoding: bytes[range(of: index)], as: UTF8.self)
    }

    /// Every token as a string.
    public var tokens: [String] { (0..<count).map(token(at:)) }

    /// Calls `body` with the bytes of every token, one after another, and the end offset of each
    /// token in them: what a hot loop over the tokens needs, without a bounds check per access.
    func withUnsafeStorage<Result>(
        _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ ends: UnsafeBufferPointer<Int>) -> Result
    ) -> Result {
        storage.withUnsafeBufferPointer { room in
            endStorage.withUnsafeBufferPointer { ends in
                body(UnsafeBufferPointer(rebasing: room[..<byteCount]), UnsafeBufferPointer(rebasing: ends[..<count]))
            }
        }
    }

    /// Forgets every token but keeps the storage.
    public mutating func removeAll() {
        byteCount = 0
        count = 0
    }

    /// Replaces the tokens with those `body` writes: at most `maximumBytes` bytes in at most
    /// `maximumTokens` tokens (writing more traps rather than overrun the storage).
    mutating func write(maximumBytes: Int, maximumTokens: Int, _ body: (inout TokenWriter) -> Void) {
        if storage.count < maximumBytes { storage = [UInt8](repeating: 0, count: maximumBytes) }
        if endStorage.count < maximumTokens { endStorage = [Int](repeating: 0, count: maximumTokens) }
        // Moved into locals so both can be borrowed as pointers at once, then moved back.
        var room: [UInt8] = []
        var ends: [Int] = []
        swap(&room, &storage)
        swap(&ends, &endStorage)
        (byteCount, count) = room.withUnsafeMutableBufferPointer { room in
            ends.withUnsafeMutableBufferPointer { ends in
                var writer = TokenWriter(room: room, ends: ends)
                body(&writer)
                return (writer.byteCount, writer.tokenCount)
            }
        }
        swap(&room, &storage)
        swap(&ends, &endStorage)
    }
}

/// Writes tokens into a `TokenBuffer`'s storage: bytes are appended to the token being built,
/// and `finishToken` ends it.
struct TokenWriter {
    private let room: UnsafeMutableBufferPointer<UInt8>
    private let ends: UnsafeMutableBufferPointer<Int>
    private(set) var byteCount = 0
    private(set) var tokenCount = 0

    init(room: UnsafeMutableBufferPointer<UInt8>, ends: UnsafeMutableBufferPointer<Int>) {
        self.room = room
        self.ends = ends
    }

    /// Appends one byte to the token being built.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        precondition(byteCount < room.count, "token buffer overflow")
        room[byteCount] = byte
        byteCount += 1
    }

    /// Appends bytes to the token being built.
    mutating func append(contentsOf newBytes: some Collection<UInt8>) {
        for byte in newBytes { append(byte) }
    }

    /// Ends the token being built; an empty token is dropped.
    @inline(__always)
    mutating func finishToken() {
        let start = tokenCount == 0 ? 0 : ends[tokenCount - 1]
        guard byteCount > start else { return }
        precondition(tokenCount < ends.count, "token buffer overflow")
        ends[tokenCount] = byteCount
        tokenCount += 1
    }

    /// Calls `body` with the bytes of the token being built, not yet finished.
    func withPendingToken<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let start = tokenCount == 0 ? 0 : ends[tokenCount - 1]
        return body(UnsafeBufferPointer(rebasing: room[start..<byteCount]))
    }
}
