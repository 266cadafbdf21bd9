import Foundation

extension JSONValue {
    /// The JSON value of an `Encodable`, encoded with Foundation's `JSONEncoder` and read back
    /// with the strict parser, so captures can be built from the types that produced them.
    ///
    /// - Throws: `EncodingError` (e.g. for a non-finite `Double`), or ``JSONParseError`` for an
    ///   integer that a `Double` cannot hold exactly (capture such fields as strings).
    public init(encoding value: some Encodable) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSONParser.parse(String(decoding: data, as: UTF8.self))
    }
}
