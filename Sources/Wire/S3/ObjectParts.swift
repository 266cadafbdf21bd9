/// The parts of an object as `GET`/`HEAD ?partNumber=N` reads them: a completed multipart
/// upload's part sizes, kept with the object under the metadata name `:parts` (a name no
/// `x-amz-meta-` header can give, never answered as a header), or one part for any other object.
struct ObjectParts {
    /// The metadata name the part sizes are kept under (comma-separated byte counts).
    static let metadataKey = ":parts"

    /// Each part's size, in order.
    let sizes: [Int64]
    /// Whether the object came from a multipart upload (only then does S3 answer
    /// `x-amz-mp-parts-count`).
    let isMultipart: Bool

    /// The parts of an object with `userMetadata` and `size` bytes.
    init(userMetadata: [String: String], size: Int64) {
        if let kept = userMetadata[Self.metadataKey] {
            let sizes = kept.split(separator: ",").compactMap { Int64($0) }
            if !sizes.isEmpty && sizes.reduce(0, +) == size {
                self.sizes = sizes
                isMultipart = true
                return
            }
        }
        sizes = [size]
        isMultipart = false
    }

    /// The metadata value for parts of `sizes`.
    static func metadataValue(_ sizes: [Int64]) -> String {
        sizes.map(String.init).joined(separator: ",")
    }

    /// The bytes of part `number` (from 1), as a range of the object; nil for an empty part
    /// (the one part of an empty object).
    /// - Throws: `InvalidPartNumber` (416) for a part the object does not have.
    func range(ofPart number: Int) throws(S3Error) -> ByteRange? {
        guard number <= sizes.count else {
            throw S3Error("InvalidPartNumber", status: 416, "The requested partnumber is not satisfiable: the object has \(sizes.count) part\(sizes.count == 1 ? "" : "s")")
        }
        guard sizes[number - 1] > 0 else { return nil }
        let first = sizes.prefix(number - 1).reduce(0, +)
        return ByteRange(first: first, last: first + sizes[number - 1] - 1)
    }

    /// The `partNumber` query parameter of a GET or HEAD: nil when absent.
    /// - Throws: `InvalidArgument` unless it is a whole number from 1 to 10,000, and
    ///   `InvalidRequest` when the request also has a `Range` header.
    static func requestedPart(_ text: String?, range: String?) throws(S3Error) -> Int? {
        guard let text else { return nil }
        guard let number = Int(text), (1...10_000).contains(number) else {
            throw S3Error("InvalidArgument", status: 400, "Part number must be an integer between 1 and 10000, inclusive: got \(text)")
        }
        guard range == nil else {
            throw S3Error("InvalidRequest", status: 400, "Cannot specify both Range header and partNumber query parameter")
        }
        return number
    }
}
