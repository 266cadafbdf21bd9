import Hummingbird

extension Response {
    /// A JSON response: `body` with `Content-Type: application/json`.
    static func json(_ body: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A JSON response from text.
    static func json(_ body: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(Array(body.utf8), status: status, headers: headers)
    }

    /// The `{"error": …}` response for a refusal. A 413 also closes the connection, so the rest
    /// of an oversized body is not read.
    static func error(_ error: ServiceError) -> Response {
        var headers: HTTPFields = [:]
        if error.status == 413 { headers[.connection] = "close" }
        return json(error.body, status: HTTPResponse.Status(code: error.status), headers: headers)
    }
}
