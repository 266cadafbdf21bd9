/// The canonical query string of Signature V4: the raw query split on `&`, each name and value
/// percent-decoded and re-encoded with `AWSPercentEncoding`, sorted by encoded name and then
/// value (byte order), joined as `name=value` with `&`. A parameter without `=` gets an empty
/// value; empty pieces (`a=1&&b=2`) are skipped.
enum CanonicalQuery {
    /// The canonical form of `rawQuery`, leaving out parameters named `excluded` (decoded name).
    /// `plusIsSpace` reads `+` as a space, as HTML forms write it; by default it is a literal `+`.
    static func canonical(_ rawQuery: String, excluding excluded: String? = nil, plusIsSpace: Bool = false) -> String {
        var pairs: [(name: String, value: String)] = []
        for piece in rawQuery.split(separator: "&") {
            let halves = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = AWSPercentEncoding.decode(halves[0], plusIsSpace: plusIsSpace)
            if let excluded, name == Array(excluded.utf8) { continue }
            let value = halves.count > 1 ? AWSPercentEncoding.decode(halves[1], plusIsSpace: plusIsSpace) : []
            pairs.append((AWSPercentEncoding.encode(name), AWSPercentEncoding.encode(value)))
        }
        pairs.sort { left, right in
            left.name != right.name
                ? left.name.utf8.lexicographicallyPrecedes(right.name.utf8)
                : left.value.utf8.lexicographicallyPrecedes(right.value.utf8)
        }
        return pairs.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// The decoded parameters of `rawQuery` in order (`+` is a literal `+`), for reading the
    /// `X-Amz-*` parameters of a presigned URL.
    static func parameters(_ rawQuery: String) -> [(name: String, value: String)] {
        rawQuery.split(separator: "&").map { piece in
            let halves = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(decoding: AWSPercentEncoding.decode(halves[0], plusIsSpace: false), as: UTF8.self)
            let value = halves.count > 1 ? String(decoding: AWSPercentEncoding.decode(halves[1], plusIsSpace: false), as: UTF8.self) : ""
            return (name, value)
        }
    }
}
