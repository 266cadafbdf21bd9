import Glibc

/// The hosts libcurl reaches without a proxy: loopback always (the harness talks to services it
/// started on 127.0.0.1, which a proxy from `http_proxy` could not reach), plus the hosts listed
/// in `no_proxy`/`NO_PROXY`, which setting `CURLOPT_NOPROXY` would otherwise override.
enum ProxyBypass {
    static let hosts: String = {
        let names: [String] = ["no_proxy", "NO_PROXY"]
        let listed = names.compactMap { getenv($0).map { String(cString: $0).filter { $0 != " " } } }
        if listed.contains("*") { return "*" }
        return (["localhost", "127.0.0.1", "::1"] + listed.filter { !$0.isEmpty }).joined(separator: ",")
    }()
}
