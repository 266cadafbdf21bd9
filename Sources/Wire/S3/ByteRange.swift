/// A `Range: bytes=…` header resolved against an object's size.
struct ByteRange: Equatable {
    let first: Int64
    let last: Int64

    /// The range `header` asks for in an object of `size` bytes: nil when there is no header or
    /// S3 ignores it (it is not one `bytes=` range, so the whole object is sent).
    /// - Throws: `InvalidRange` (416) when the range starts past the end.
    static func parse(_ header: String?, size: Int64) throws(S3Error) -> ByteRange? {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else { return nil }
        let spec = header.dropFirst("bytes=".count)
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else { return nil }
        let unsatisfiable = S3Error("InvalidRange", status: 416, "The requested range is not satisfiable")
        if bounds[0].isEmpty {
            guard let suffix = Int64(bounds[1]), suffix >= 0 else { return nil }
            guard suffix > 0, size > 0 else { throw unsatisfiable }
            return ByteRange(first: max(0, size - suffix), last: size - 1)
        }
        guard let first = Int64(bounds[0]), first >= 0 else { return nil }
        let last = bounds[1].isEmpty ? Int64.max : Int64(bounds[1])
        guard let last, last >= first else { return nil }
        guard first < size else { throw unsatisfiable }
        return ByteRange(first: first, last: min(last, size - 1))
    }

    /// `bytes 0-9/100`.
    func contentRange(size: Int64) -> String { "bytes \(first)-\(last)/\(size)" }
}
