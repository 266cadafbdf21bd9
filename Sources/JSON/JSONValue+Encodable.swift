import Foundation

extension JSONValue {
    /// The JSON value of an `Encodable`, encoded with Foundation's `JSONEncoder` and read back
    /// with the strict parser, so captures can be built from the types that produced them.
    ///
    /// Integers that a `Double` cannot hold exactly (`UInt64.max`) keep their digits as
    /// ``JSONValue/bigInteger(_:)``.
    ///
    /// - Throws: `EncodingError`, e.g. for a non-finite `Double`.
    public init(encoding value: some Encodable) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSONParser.parse(String(decoding: data, as: UTF8.self))
    }
}
