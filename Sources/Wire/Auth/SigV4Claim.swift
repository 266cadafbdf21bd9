/// What a request's authorization claims, from its `Authorization` header or its presigned
/// query: who signed it for which scope, which headers the signature covers, and the signature.
struct SigV4Claim {
    let scope: SigV4Scope
    /// Lower-case header names, in the order the client listed them.
    let signedHeaders: [String]
    /// 64 lower-case hex digits.
    let signature: String

    /// Checks and reads the three fields; `fieldPrefix` is `""` for the header's `Credential=`
    /// and friends, `"X-Amz-"` for the query's `X-Amz-Credential` and friends.
    init(credential: String, signedHeaders: String, signature: String, fieldPrefix: String) throws(SigV4Failure) {
        scope = try SigV4Scope(credential: credential, field: fieldPrefix + "Credential")
        let names = signedHeaders.fields(separatedBy: UInt8(ascii: ";"))
        let field = fieldPrefix + "SignedHeaders"
        let upperCase = UInt8(ascii: "A")...UInt8(ascii: "Z")
        if let bad = names.first(where: { $0.isEmpty || $0.utf8.contains { upperCase.contains($0) || $0 == UInt8(ascii: " ") } }) {
            throw .malformed("\(field) \"\(signedHeaders)\" lists \"\(bad)\"; expected lower-case header names separated by ';'")
        }
        guard names.contains("host") else {
            throw .malformed("\(field) \"\(signedHeaders)\" does not include host, which must be signed")
        }
        self.signedHeaders = names
        guard SigV4Signature.isWellFormed(signature) else {
            throw .malformed("\(fieldPrefix)Signature \"\(signature)\" is not 64 lower-case hex digits")
        }
        self.signature = signature
    }

    /// Reads an `Authorization` header value:
    /// `AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=<hex>`.
    /// Read as UTF-8 bytes (every separator is ASCII): it is parsed on every request.
    init(authorizationHeader value: String) throws(SigV4Failure) {
        var value = value
        let (algorithm, items) = value.withUTF8 { Self.parts(ofAuthorization: $0) }
        guard algorithm == SigV4Signature.algorithm else {
            let hint = algorithm == "AWS" ? " (Signature Version 2, which this server does not accept)" : ""
            throw .malformed("Authorization uses the scheme \"\(algorithm)\"\(hint); expected \(SigV4Signature.algorithm)")
        }
        var credential: String?, signedHeaders: String?, signature: String?
        for (name, itemValue) in items {
            guard let itemValue else { throw .malformed("Authorization has \"\(name)\" where a Name=value field belongs") }
            switch name {
            case "Credential": credential = try Self.first(credential, name, itemValue)
            case "SignedHeaders": signedHeaders = try Self.first(signedHeaders, name, itemValue)
            case "Signature": signature = try Self.first(signature, name, itemValue)
            default:
                throw .malformed("Authorization has an unknown field \"\(name)\"; expected Credential, SignedHeaders and Signature")
            }
        }
        guard let credential else { throw .malformed("Authorization has no Credential= field") }
        guard let signedHeaders else { throw .malformed("Authorization has no SignedHeaders= field") }
        guard let signature else { throw .malformed("Authorization has no Signature= field") }
        try self.init(credential: credential, signedHeaders: signedHeaders, signature: signature, fieldPrefix: "")
    }

    /// `value` for a field not seen yet.
    private static func first(_ seen: String?, _ name: String, _ value: String) throws(SigV4Failure) -> String {
        guard seen == nil else { throw .malformed("Authorization has \(name)= twice") }
        return value
    }

    /// The scheme (up to the first space after leading spaces), and each non-empty
    /// comma-separated item after it, trimmed of spaces, as name and value around its first `=`
    /// (the whole item and nil when it has none).
    private static func parts(ofAuthorization bytes: UnsafeBufferPointer<UInt8>) -> (String, [(String, String?)]) {
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        let space = UInt8(ascii: " "), comma = UInt8(ascii: ","), equals = UInt8(ascii: "=")
        var start = 0
        while start < bytes.count && bytes[start] == space { start += 1 }
        var end = start
        while end < bytes.count && bytes[end] != space { end += 1 }
        var items: [(String, String?)] = []
        var itemStart = end
        for index in end...bytes.count where index == bytes.count || bytes[index] == comma {
            defer { itemStart = index + 1 }
            guard index > itemStart else { continue }
            var lower = itemStart, upper = index
            while lower < upper && bytes[lower] == space { lower += 1 }
            while upper > lower && bytes[upper - 1] == space { upper -= 1 }
            if let split = (lower..<upper).first(where: { bytes[$0] == equals }) {
                items.append((text(lower..<split), text(split + 1..<upper)))
            } else {
                items.append((text(lower..<upper), nil))
            }
        }
        return (text(start..<end), items)
    }
}
