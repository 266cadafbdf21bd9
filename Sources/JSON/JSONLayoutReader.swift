/// Reads JSON written in one known layout — the same keys in the same order, no whitespace
/// between tokens — token by token, without building a tree: the fast path of a reader whose
/// input nearly always comes from one writer (the tweet stream's lines, say).
///
/// Each read checks what the strict ``JSONParser`` checks for that token and fails (nil or
/// false) at the first byte that does not fit the layout. So a caller that reads a whole text
/// with it, up to ``isAtEnd``, has read a text the strict parser accepts, with the values the
/// strict parser would give; when a read fails, the caller parses the text with `JSONParser`,
/// which also words the error.
public struct JSONLayoutReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    /// A reader at the start of `bytes` (which must outlive it).
    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Consumes `text` — punctuation and keys, such as `{"data":{"id":` — if the input continues
    /// with exactly its bytes.
    public mutating func consume(_ text: StaticString) -> Bool {
        guard text.isFound(in: bytes, at: position) else { return false }
        position += text.utf8CodeUnitCount
        return true
    }

    /// Reads the string value that starts here (at its opening quote).
    public mutating func string() -> String? {
        guard let body = stringBody() else { return nil }
        return body.text(in: bytes)
    }

    /// Passes over the string value that starts here, checking it as ``string()`` does.
    public mutating func skipString() -> Bool {
        stringBody() != nil
    }

    /// Whether nothing but JSON whitespace is left.
    public var isAtEnd: Bool {
        bytes[position...].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
    }

    private mutating func stringBody() -> JSONStringBody? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\""),
              let body = JSONStringBody(openingQuoteAt: position, in: bytes)
        else { return nil }
        position = body.end + 1
        return body
    }
}
