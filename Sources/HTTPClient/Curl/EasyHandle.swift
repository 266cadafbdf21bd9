import CCurl
import Glibc

/// One libcurl easy handle and the state of the exchange it carries. A handle is reused from
/// request to request: `prepare` resets its options but keeps its open connections, so the next
/// request to the same server goes over the same connection (keep-alive). Not thread-safe: one
/// exchange at a time, on one thread at a time.
final class EasyHandle {
    /// The `CURL *`.
    let raw: UnsafeMutableRawPointer
    /// What the current exchange has received so far.
    private let received = ReceivedResponse()
    /// libcurl writes its detailed message for a failed transfer here.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The request headers of the current exchange; libcurl reads them during the transfer.
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// The URL and timeout of the current exchange, for errors.
    private var current: (url: String, timeout: Duration) = ("", .zero)

    init(for url: String) throws(HTTPClientError) {
        try CurlGlobal.initialize(for: url)
        guard let raw = curl_easy_init() else {
            throw .transport(url: url, code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_easy_init failed")
        }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(raw)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Clears the previous exchange and sets the handle up to send `request`, collecting the whole
    /// response (see `response(elapsed:)`) within `request.timeout`.
    func prepare(_ request: HTTPRequest) throws(HTTPClientError) {
        try reset(for: request, timeout: request.timeout)
        try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        try setCallbacks()
    }

    /// The most a stream reads from its connection at once (libcurl's default is 16 KiB): a fast
    /// stream's reader then takes larger rounds of lines, and a slow one's still gets each line
    /// as it arrives.
    static let streamReadBytes = 262_144

    /// Clears the previous exchange and sets the handle up to send `request` and hand the response
    /// to the caller's callbacks as it arrives: `header` gets each header line, `body` each piece
    /// of the body, both with `receiver` as their user data (it must outlive the transfer). The
    /// exchange has no total timeout (a stream may last for hours), only `connectTimeout`;
    /// `request.timeout` does not apply. libcurl reads up to `streamReadBytes` from the
    /// connection at a time.
    func prepareStream(
        _ request: HTTPRequest, connectTimeout: Duration, receiver: UnsafeMutableRawPointer,
        header: curl_write_callback, body: curl_write_callback
    ) throws(HTTPClientError) {
        try reset(for: request, timeout: connectTimeout)
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout))
        try set(CURLOPT_BUFFERSIZE, Self.streamReadBytes)
        try set(CURLOPT_HEADERFUNCTION, callback: header)
        try set(CURLOPT_HEADERDATA, pointer: receiver)
        try set(CURLOPT_WRITEFUNCTION, callback: body)
        try set(CURLOPT_WRITEDATA, pointer: receiver)
    }

    /// Forgets the previous exchange and sets what every exchange shares: the URL, HTTP/1.1 only,
    /// no signals, no proxy for loopback, the method, body and headers. `timeout` is the one a
    /// timed-out exchange names.
    private func reset(for request: HTTPRequest, timeout: Duration) throws(HTTPClientError) {
        curl_easy_reset(raw)
        received.reset()
        curl_slist_free_all(headerList)
        headerList = nil
        errorBuffer[0] = 0
        current = (request.url, timeout)

        try RequestValidation.check(request)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_ERRORBUFFER, pointer: errorBuffer)
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        try set(CURLOPT_NOPROXY, ProxyBypass.hosts)
        try setMethodAndBody(request)
        try setHeaders(request)
    }

    /// The response of an exchange that finished with `CURLE_OK`.
    func response(elapsed: Duration) -> HTTPResponse {
        var status = 0
        _ = rehearsal_curl_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: received.headers, body: received.body, elapsed: elapsed)
    }

    /// The error for an exchange that finished with `code`, with `message(code)`.
    func error(_ code: CURLcode) -> HTTPClientError {
        let detail = message(code)
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .cannotConnect(url: current.url, message: detail)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(url: current.url, after: current.timeout, message: detail)
        default:
            return .transport(url: current.url, code: Int(code.rawValue), message: detail)
        }
    }

    /// What went wrong in an exchange that finished with `code`, in libcurl's words, followed by
    /// the system's when a system call failed ("Connection refused", "Connection reset by peer", …).
    func message(_ code: CURLcode) -> String {
        var detail = errorBuffer[0] == 0 ? String(cString: curl_easy_strerror(code)) : String(cString: errorBuffer)
        var systemError = 0
        if rehearsal_curl_easy_getinfo_long(raw, CURLINFO_OS_ERRNO, &systemError) == CURLE_OK, systemError != 0 {
            let reason = String(cString: strerror(Int32(clamping: systemError)))
            if !detail.contains(reason) { detail += " (\(reason))" }
        }
        return detail
    }

    private func setCallbacks() throws(HTTPClientError) {
        let box = Unmanaged.passUnretained(received).toOpaque()
        try set(CURLOPT_WRITEFUNCTION, callback: { data, size, count, box in
            let received = Unmanaged<ReceivedResponse>.fromOpaque(box!).takeUnretainedValue()
            received.appendBody(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        })
        try set(CURLOPT_WRITEDATA, pointer: box)
        try set(CURLOPT_HEADERFUNCTION, callback: { data, size, count, box in
            let received = Unmanaged<ReceivedResponse>.fromOpaque(box!).takeUnretainedValue()
            received.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        })
        try set(CURLOPT_HEADERDATA, pointer: box)
    }

    /// GET and HEAD without a body are plain; anything else sends its body (possibly empty, as
    /// `Content-Length: 0`), copied into libcurl, under the request's method.
    private func setMethodAndBody(_ request: HTTPRequest) throws(HTTPClientError) {
        if request.method == "GET" && request.body.isEmpty {
            try set(CURLOPT_HTTPGET, 1)
        } else if request.method == "HEAD" {
            try set(CURLOPT_NOBODY, 1)
        } else {
            try set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(request.body.count))
            // libcurl copies `size` bytes (NULs included); with no bytes it still needs a pointer.
            let body = request.body.isEmpty ? [0] : request.body
            try check(body.withUnsafeBytes { rehearsal_curl_easy_setopt_pointer(raw, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }, CURLOPT_COPYPOSTFIELDS)
            if request.method != "POST" { try set(CURLOPT_CUSTOMREQUEST, request.method) }
        }
    }

    /// The request's headers, then, for a request with a body, empty `Content-Type` and `Expect`
    /// entries unless the request names them: an empty entry tells libcurl not to add its default
    /// (`application/x-www-form-urlencoded`, and `100-continue` for large bodies).
    private func setHeaders(_ request: HTTPRequest) throws(HTTPClientError) {
        var lines = request.headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" }
        if (request.method != "GET" && request.method != "HEAD") || !request.body.isEmpty {
            for name in ["Content-Type", "Expect"] where !request.headers.contains(where: { HTTPResponse.sameName($0.name, name) }) {
                lines.append("\(name):")
            }
        }
        for line in lines {
            guard let longer = curl_slist_append(headerList, line) else {
                throw .transport(url: current.url, code: Int(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
            }
            headerList = longer
        }
        if let headerList { try set(CURLOPT_HTTPHEADER, pointer: headerList) }
    }

    /// A timeout in whole milliseconds, rounded up; at least 1 (0 would mean "no timeout").
    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return max(1, Int(clamping: milliseconds))
    }

    // MARK: - Setting options (libcurl copies strings; pointers must outlive the transfer)

    private func set(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(rehearsal_curl_easy_setopt_long(raw, option, value), option)
    }

    private func set(_ option: CURLoption, offset value: Int64) throws(HTTPClientError) {
        try check(rehearsal_curl_easy_setopt_off_t(raw, option, curl_off_t(value)), option)
    }

    private func set(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        try check(value.withCString { rehearsal_curl_easy_setopt_pointer(raw, option, $0) }, option)
    }

    private func set(_ option: CURLoption, pointer value: UnsafeRawPointer?) throws(HTTPClientError) {
        try check(rehearsal_curl_easy_setopt_pointer(raw, option, value), option)
    }

    private func set(_ option: CURLoption, callback: curl_write_callback) throws(HTTPClientError) {
        try check(rehearsal_curl_easy_setopt_write_callback(raw, option, callback), option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw .transport(
                url: current.url, code: Int(code.rawValue),
                message: "libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))"
            )
        }
    }
}
