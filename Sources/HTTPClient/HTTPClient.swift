import CCurl
import Synchronization

/// A blocking HTTP/1.1 client over libcurl that keeps its connection open between requests.
///
/// Each client owns one libcurl easy handle, reused for every request, so consecutive requests
/// to the same server share one keep-alive connection. Requests on one client are sent one at a
/// time: concurrent callers wait for each other (use one client per thread, or `LoadDriver`, for
/// concurrency). A long-lived body read line by line as it arrives is `LineStream`'s job.
///
/// ```swift
/// let client = HTTPClient()
/// let response = try client.send(HTTPRequest(url: "http://127.0.0.1:8080/v2/health/ready"))
/// print(response.status)   // 200
/// ```
public final class HTTPClient: Sendable {
    /// The easy handle, made on the first request.
    private let handle = Mutex<EasyHandle?>(nil)

    public init() {}

    /// Sends `request` and waits for the whole response, at most `request.timeout`. Any status is
    /// a response; a failed exchange throws `HTTPClientError`.
    public func send(_ request: HTTPRequest) throws(HTTPClientError) -> HTTPResponse {
        try handle.withLock { (handle) throws(HTTPClientError) -> HTTPResponse in
            let easy: EasyHandle
            if let existing = handle {
                easy = existing
            } else {
                easy = try EasyHandle(for: request.url)
                handle = easy
            }
            try easy.prepare(request)
            let clock = ContinuousClock()
            let start = clock.now
            let code = curl_easy_perform(easy.raw)
            let elapsed = clock.now - start
            guard code == CURLE_OK else { throw easy.error(code) }
            return easy.response(elapsed: elapsed)
        }
    }
}
