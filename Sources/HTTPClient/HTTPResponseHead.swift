/// The status and header fields of a response whose body is still to come: what a `LineStream`
/// reports before the first line.
public struct HTTPResponseHead: Sendable {
    /// The status code of the final response (never an interim 1xx).
    public var status: Int
    /// Header fields in the order the server sent them, names spelled as sent.
    public var headers: [(name: String, value: String)]

    public init(status: Int, headers: [(name: String, value: String)]) {
        self.status = status
        self.headers = headers
    }

    /// The value of the first header named `name`, compared without regard to ASCII case; nil
    /// when there is none.
    public func header(_ name: String) -> String? {
        headers.first { HTTPResponse.sameName($0.name, name) }?.value
    }
}
