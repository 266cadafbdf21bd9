import JSON

/// A request the service refuses, with the HTTP status that fits and a message for the client.
///
/// Every refusal is answered as `{"error": message}`. A client's mistake is always a 4xx (400
/// malformed body, 404 unknown model or version, 405 wrong method, 413 over a limit, 415 wrong
/// content type); 503 means the service cannot answer yet (no model loaded) or any more
/// (draining). The message names the field (`inputs[0].shape`), the index of the text, or the
/// JSON line and column, and says what was expected.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status code.
    public let status: Int
    /// What went wrong and what was expected.
    public let message: String

    /// A refusal with `status` and `message`.
    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    /// 400: the body is not what the endpoint reads.
    public static func badRequest(_ message: String) -> ServiceError { ServiceError(status: 400, message) }
    /// 404: no such model, version or endpoint.
    public static func notFound(_ message: String) -> ServiceError { ServiceError(status: 404, message) }
    /// 405: the endpoint exists, but not for this method.
    public static func methodNotAllowed(_ message: String) -> ServiceError { ServiceError(status: 405, message) }
    /// 413: the body, the number of texts or a text is over its limit.
    public static func tooLarge(_ message: String) -> ServiceError { ServiceError(status: 413, message) }
    /// 415: the body is declared as something other than JSON.
    public static func unsupportedMediaType(_ message: String) -> ServiceError { ServiceError(status: 415, message) }
    /// 503: no model is loaded yet, the version cannot be loaded, or the service is draining.
    public static func unavailable(_ message: String) -> ServiceError { ServiceError(status: 503, message) }

    /// The response body: `{"error":"…"}`.
    public var body: String { "{\"error\":\(JSONString.quoted(message))}" }

    public var description: String { "\(status): \(message)" }
}
