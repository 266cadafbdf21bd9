import CCurl

/// libcurl's process-wide set-up, done once per process before the first handle is made.
enum CurlGlobal {
    /// The result of the process's one `curl_global_init`. Swift runs a static property's
    /// initializer exactly once, on first use, even when threads race to it.
    private static let initialization: CURLcode = rehearsal_curl_global_init()

    /// Initializes libcurl on the first call; throws (naming `url`) if that failed.
    static func initialize(for url: String) throws(HTTPClientError) {
        let code = initialization
        guard code == CURLE_OK else {
            throw .transport(url: url, code: Int(code.rawValue), message: "curl_global_init failed: \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
