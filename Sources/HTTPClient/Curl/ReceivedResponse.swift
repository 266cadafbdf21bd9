/// What libcurl has delivered so far for one exchange: header lines and body bytes. libcurl's
/// C callbacks reach it through an unretained pointer (see `EasyHandle`).
final class ReceivedResponse {
    /// The header fields of the latest response, in order.
    private(set) var headers: [(name: String, value: String)] = []
    /// The body bytes, in order.
    private(set) var body: [UInt8] = []

    /// Forgets the previous exchange.
    func reset() {
        headers.removeAll(keepingCapacity: true)
        body.removeAll(keepingCapacity: true)
    }

    func appendBody(_ bytes: UnsafeRawBufferPointer) {
        body.append(contentsOf: bytes)
    }

    /// Takes one header line as libcurl delivers it (with its line end). A status line starts a
    /// new response, so the headers of an interim `1xx` response are dropped; a line starting
    /// with a space or tab continues the previous field (obsolete folding); the blank line that
    /// ends the header block is ignored.
    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var line = bytes[...]
        while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: "\n") { line = line.dropLast() }
        guard let first = line.first else { return }
        if line.starts(with: "HTTP/".utf8) {
            headers.removeAll(keepingCapacity: true)
        } else if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            guard !headers.isEmpty else { return }
            headers[headers.count - 1].value += " " + Self.text(Self.trimmed(line))
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            headers.append((name: Self.text(line[..<colon]), value: Self.text(Self.trimmed(line[(colon + 1)...]))))
        }
    }

    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let start = bytes.firstIndex(where: { !isBlank($0) }), let end = bytes.lastIndex(where: { !isBlank($0) }) else {
            return bytes[bytes.endIndex...]
        }
        return bytes[start...end]
    }

    private static func text(_ bytes: Slice<UnsafeRawBufferPointer>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
