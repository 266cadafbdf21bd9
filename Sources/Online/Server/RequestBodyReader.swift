import Foundation
import Hummingbird
import NIOCore

/// Reads a POST body for the JSON endpoints, enforcing the content type and the size limit.
enum RequestBodyReader {
    /// The body of `request`, at most `limits.maximumBodyBytes` long.
    /// - Throws: `ServiceError` 415 when `Content-Type` is given and is not JSON
    ///   (`application/json` or `…+json`, any parameters) or a `Content-Encoding` other than
    ///   `identity` is (the body is read as it comes, never decompressed), 413 when the body is
    ///   over the limit (by `Content-Length`, before reading, or while reading a chunked body).
    static func read(_ request: Request, limits: ServiceLimits) async throws(ServiceError) -> ByteBuffer {
        if let encoding = request.headers[.contentEncoding],
           encoding.trimmingCharacters(in: .whitespaces).lowercased() != "identity" {
            throw .unsupportedMediaType("Content-Encoding \"\(encoding)\" is not supported; send the body uncompressed")
        }
        if let contentType = request.headers[.contentType] {
            var media = contentType[...].prefix { $0 != ";" }
            while media.first == " " || media.first == "\t" { media.removeFirst() }
            while media.last == " " || media.last == "\t" { media.removeLast() }
            let mediaType = media.lowercased()
            guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
                throw .unsupportedMediaType("Content-Type \"\(contentType)\" is not JSON; send the body as Content-Type: application/json")
            }
        }
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limits.maximumBodyBytes {
            throw tooLarge(declared, limits)
        }
        do {
            return try await request.body.collect(upTo: limits.maximumBodyBytes)
        } catch is NIOTooManyBytesError {
            throw tooLarge(nil, limits)
        } catch {
            throw .badRequest("could not read the request body: \(error)")
        }
    }

    private static func tooLarge(_ size: Int?, _ limits: ServiceLimits) -> ServiceError {
        .tooLarge((size.map { "the body is \($0) bytes; " } ?? "the body is too long; ") + "the limit is \(limits.maximumBodyBytes) bytes")
    }

    /// Runs `decode` over the bytes of `buffer`.
    static func decode<Value>(_ buffer: ByteBuffer, _ decode: (UnsafeBufferPointer<UInt8>) throws(ServiceError) -> Value) throws(ServiceError) -> Value {
        let result = buffer.withUnsafeReadableBytes { raw in
            Result { () throws(ServiceError) -> Value in try decode(raw.assumingMemoryBound(to: UInt8.self)) }
        }
        return try result.get()
    }
}
