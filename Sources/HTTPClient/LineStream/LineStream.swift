import CCurl

/// Reads a long-lived HTTP response line by line as it arrives, never holding more than one line:
/// a newline-delimited JSON stream such as Twitter API v2's filtered stream, with its `\r\n`
/// keep-alive heartbeats.
///
/// ```swift
/// let cancellation = StreamCancellation()   // cancel() from another thread stops the stream
/// let end = try LineStream.run(
///     HTTPRequest(url: "http://127.0.0.1:8080/2/tweets/search/stream", headers: [("Authorization", "Bearer …")]),
///     cancellation: cancellation
/// ) { line in
///     if case .line(let bytes) = line { publish(bytes) }
///     return .continue
/// }
/// // end: .droppedByServer → reconnect with backoff; .rejected(429, body) → back off longer; …
/// ```
public enum LineStream {
    /// Sends `request` and hands its response body to `onLine` line by line, on the calling
    /// thread, until the stream ends; blocks until then. Each run opens its own connection.
    ///
    /// Lines are split on `\n` and lose one trailing `\r`; an empty line is `.heartbeat`. Bytes
    /// after the last `\n` are never handed over as a line: the end value carries them.
    ///
    /// - Parameters:
    ///   - request: sent as `HTTPClient.send` sends it, except that `request.timeout` does not
    ///     apply: the stream has no total timeout, only `options.connectTimeout`.
    ///   - options: the longest line, the most of an error body kept, the connect timeout.
    ///   - cancellation: cancelling it from another thread ends the stream at once with
    ///     `.cancelled`, even while the server is silent or before it answers.
    ///   - onResponse: called once with the final response's status and headers, before any line
    ///     (for a non-2xx status too).
    ///   - onLine: called with each line of a 2xx body, in order; `.stop` ends the stream.
    /// - Returns: how the stream ended once the server answered, or `.cancelled`.
    /// - Throws: `HTTPClientError` when there was no answer (refused, unresolvable, connect timeout,
    ///   the connection closed before a response, an invalid request) and `.lineTooLong` when a
    ///   line is longer than `options.maxLineBytes` (the lines before it were handed over).
    public static func run(
        _ request: HTTPRequest, options: LineStreamOptions = LineStreamOptions(), cancellation: StreamCancellation? = nil,
        onResponse: ((HTTPResponseHead) -> Void)? = nil, onLine: (StreamedLine) -> LineStreamAction
    ) throws(HTTPClientError) -> LineStreamEnd {
        let easy = try EasyHandle(for: request.url)
        return try withoutActuallyEscaping(onLine) { (onLine) throws(HTTPClientError) -> LineStreamEnd in
            let receiver = StreamReceiver(handle: easy.raw, options: options, cancellation: cancellation, onResponse: onResponse, onLine: onLine)
            try easy.prepareStream(
                request, connectTimeout: options.connectTimeout, receiver: Unmanaged.passUnretained(receiver).toOpaque(),
                header: StreamReceiver.headerCallback, body: StreamReceiver.bodyCallback
            )
            let code = try transfer(on: easy, receiver: receiver, url: request.url, cancellation: cancellation)
            return try end(of: receiver, code: code, easy: easy, url: request.url, options: options)
        }
    }

    /// Runs `easy`'s prepared transfer to its end on a multi handle of its own, so that
    /// `cancellation` can wake the wait; after each round of reading, `receiver` says it has
    /// caught up. Nil when cancelled: the transfer is then abandoned and its connection closed.
    private static func transfer(
        on easy: EasyHandle, receiver: StreamReceiver, url: String, cancellation: StreamCancellation?
    ) throws(HTTPClientError) -> CURLcode? {
        let multi = try MultiHandle(connections: 1) { .transport(url: url, code: Int(CURLE_FAILED_INIT.rawValue), message: $0) }
        let waker = multi.waker
        cancellation?.add(waker)
        defer {
            cancellation?.remove(waker)
            withExtendedLifetime(multi) {}  // the waker is valid only while the multi handle lives
        }
        try multi.add(easy)
        defer { multi.remove(easy) }
        while cancellation?.isCancelled != true {
            try multi.perform()
            // The client stopped at "caught up": the transfer is abandoned, as when it stops at a line.
            guard receiver.catchUp() else { return CURLE_WRITE_ERROR }
            if let (_, code) = multi.nextFinished() { return code }
            // libcurl shortens the wait for its own timers; a cancellation wakes it at once.
            try multi.poll(timeout: .seconds(30))
        }
        return nil
    }

    /// How the transfer that finished with `code` (nil: cancelled) ended, from what `receiver` saw.
    private static func end(
        of receiver: StreamReceiver, code: CURLcode?, easy: EasyHandle, url: String, options: LineStreamOptions
    ) throws(HTTPClientError) -> LineStreamEnd {
        switch receiver.stop {
        case .byClient: return .stoppedByClient
        case .cancelled: return .cancelled
        case .lineTooLong: throw .lineTooLong(url: url, limit: options.maxLineBytes)
        case .errorBodyFull, nil: break
        }
        guard let code else { return .cancelled }
        switch receiver.phase {
        case .head:
            guard code != CURLE_OK else {
                throw .transport(url: url, code: Int(CURLE_GOT_NOTHING.rawValue), message: "the transfer ended without a final response")
            }
            throw easy.error(code)
        case .rejected(let status):
            return .rejected(status: status, body: receiver.errorBody)
        case .lines:
            guard code == CURLE_OK else { return .droppedByServer(partialLine: receiver.splitter.partialLine, message: easy.message(code)) }
            return .closedByServer(partialLine: receiver.splitter.partialLine)
        }
    }
}
