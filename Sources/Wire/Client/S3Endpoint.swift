import Foundation

/// Where an `S3ObjectStore` sends its requests: a scheme, a host (with its port) and an optional
/// base path, addressed path-style (`<endpoint>/<bucket>/<key>`).
struct S3Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`.
    var scheme: String
    /// The `Host` header: `host` or `host:port`.
    var host: String
    /// A path the endpoint lives under, without a trailing `/` (usually empty).
    var basePath: String

    /// Parses an endpoint URL such as `http://127.0.0.1:4566` or `https://s3.eu-west-1.amazonaws.com`.
    init(_ url: String) throws(S3ObjectStoreError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw .configuration("endpoint \"\(url)\" is not an http:// or https:// URL with a host")
        }
        guard components.query == nil, components.fragment == nil, components.user == nil else {
            throw .configuration("endpoint \"\(url)\" must not carry a query, fragment or user")
        }
        self.scheme = scheme
        let bracketed = host.contains(":") ? "[\(host)]" : host
        self.host = components.port.map { "\(bracketed):\($0)" } ?? bracketed
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
    }

    var description: String { "\(scheme)://\(host)\(basePath)" }

    /// The raw (percent-encoded) path of a bucket or an object: `/<bucket>[/<key>]`.
    func rawPath(bucket: String?, key: String?) -> String {
        var path = basePath + "/"
        if let bucket { path += AWSPercentEncoding.encode(bucket.utf8) }
        if let key { path += "/" + AWSPercentEncoding.encode(key.utf8, keepingSlashes: true) }
        return path
    }

    /// A query string from parameters, each name and value percent-encoded, in the given order; an
    /// empty value is written as the bare name (`?versions`).
    static func rawQuery(_ parameters: [(String, String)]) -> String {
        parameters.map { name, value in
            value.isEmpty ? AWSPercentEncoding.encode(name.utf8)
                : AWSPercentEncoding.encode(name.utf8) + "=" + AWSPercentEncoding.encode(value.utf8)
        }.joined(separator: "&")
    }

    /// The full URL for a raw path and query.
    func url(rawPath: String, rawQuery: String) -> String {
        "\(scheme)://\(host)\(rawPath)" + (rawQuery.isEmpty ? "" : "?" + rawQuery)
    }
}
