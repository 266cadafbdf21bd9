/// What HTTP/1.1 can carry: checked before anything is sent, so a bad header is an error that
/// names it rather than a request libcurl would mangle or split.
enum RequestValidation {
    static func check(_ request: HTTPRequest) throws(HTTPClientError) {
        func invalid(_ problem: String) -> HTTPClientError { .invalidRequest(url: request.url, problem: problem) }
        guard !request.url.isEmpty, !request.url.utf8.contains(where: isControl) else {
            throw invalid("the URL is empty or contains control characters")
        }
        guard !request.method.isEmpty, request.method.utf8.allSatisfy(isTokenCharacter) else {
            throw invalid("method \(quoted(request.method)) is not an HTTP token")
        }
        guard request.method != "HEAD" || request.body.isEmpty else {
            throw invalid("a HEAD request cannot have a body")
        }
        for (index, header) in request.headers.enumerated() {
            guard !header.name.isEmpty, header.name.utf8.allSatisfy(isTokenCharacter) else {
                throw invalid("header \(index) has name \(quoted(header.name)), which is not an HTTP token")
            }
            guard !header.value.utf8.contains(where: { isControl($0) && $0 != UInt8(ascii: "\t") }) else {
                throw invalid("header \(header.name) has a control character (CR, LF, NUL, …) in its value")
            }
        }
    }

    /// RFC 9110 `tchar`: letters, digits and ``!#$%&'*+-.^_`|~``.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    private static func isControl(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F }

    private static func quoted(_ text: String) -> String {
        "\"" + text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F ? String($0) : $0.escaped(asASCII: true) }.joined() + "\""
    }
}
