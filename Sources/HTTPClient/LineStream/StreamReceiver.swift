import CCurl

/// The receiving end of one `LineStream` transfer: libcurl's header and body callbacks reach it
/// through an unretained pointer (see `EasyHandle.prepareStream`). It waits for the final
/// response's head, then cuts a 2xx body into lines for the caller, or keeps the start of any
/// other body. A callback stops the transfer by returning 0, which libcurl ends with
/// `CURLE_WRITE_ERROR`; `stop` says why.
final class StreamReceiver {
    /// Where the response is.
    enum Phase {
        /// Reading header lines (of interim 1xx responses too).
        case head
        /// In a 2xx body.
        case lines
        /// In the body of a response with this status outside 2xx.
        case rejected(status: Int)
    }

    /// Why the receiver stopped the transfer.
    enum Stop {
        case byClient
        case cancelled
        case lineTooLong
        case errorBodyFull
    }

    private(set) var phase = Phase.head
    private(set) var stop: Stop?
    /// The body of a non-2xx response, up to the limit.
    private(set) var errorBody: [UInt8] = []
    private(set) var splitter: LineSplitter

    /// The `CURL *` of the transfer, asked for the status when the head is complete.
    private let handle: UnsafeMutableRawPointer
    private let headers = ReceivedResponse()
    private let maxErrorBodyBytes: Int
    private let cancellation: StreamCancellation?
    private let onResponse: ((HTTPResponseHead) -> Void)?
    private let onLine: (StreamedLine) -> LineStreamAction
    /// Whether a line was handed over since the last `.caughtUp`.
    private var linesSinceCaughtUp = false

    init(
        handle: UnsafeMutableRawPointer, options: LineStreamOptions, cancellation: StreamCancellation?,
        onResponse: ((HTTPResponseHead) -> Void)?, onLine: @escaping (StreamedLine) -> LineStreamAction
    ) {
        self.handle = handle
        splitter = LineSplitter(maxLineBytes: options.maxLineBytes)
        maxErrorBodyBytes = options.maxErrorBodyBytes
        self.cancellation = cancellation
        self.onResponse = onResponse
        self.onLine = onLine
    }

    /// libcurl's `CURLOPT_HEADERFUNCTION`.
    static let headerCallback: curl_write_callback = { data, size, count, receiver in
        let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
        Unmanaged<StreamReceiver>.fromOpaque(receiver!).takeUnretainedValue().takeHeaderLine(bytes)
        return size * count
    }

    /// libcurl's `CURLOPT_WRITEFUNCTION`.
    static let bodyCallback: curl_write_callback = { data, size, count, receiver in
        let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
        return Unmanaged<StreamReceiver>.fromOpaque(receiver!).takeUnretainedValue().takeBody(bytes) ? size * count : 0
    }

    /// Keeps the header fields; at the blank line that ends the final response's head (status
    /// 200 or more), reports the head and moves to its body. Trailers after a body are ignored.
    private func takeHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        guard case .head = phase else { return }
        headers.appendHeaderLine(bytes)
        guard bytes.allSatisfy({ $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) else { return }
        var status = 0
        _ = rehearsal_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        guard status >= 200 else { return }
        onResponse?(HTTPResponseHead(status: status, headers: headers.headers))
        phase = (200..<300).contains(status) ? .lines : .rejected(status: status)
    }

    /// Takes a piece of the body; false stops the transfer.
    private func takeBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if cancellation?.isCancelled == true {
            stop = .cancelled
            return false
        }
        switch phase {
        case .head:
            return true  // libcurl delivers no body before the head
        case .rejected:
            errorBody.append(contentsOf: bytes.prefix(maxErrorBodyBytes - errorBody.count))
            guard errorBody.count < maxErrorBodyBytes else {
                stop = .errorBodyFull
                return false
            }
            return true
        case .lines:
            do {
                let delivered = try splitter.take(bytes) { line in
                    linesSinceCaughtUp = true
                    return onLine(line)
                }
                guard delivered == .continue else {
                    stop = .byClient
                    return false
                }
                return true
            } catch {
                stop = .lineTooLong
                return false
            }
        }
    }

    /// Hands over `.caughtUp` if a line was handed over since the last one: called when libcurl
    /// has passed on everything it read so far. False if the caller stopped the stream there.
    func catchUp() -> Bool {
        guard linesSinceCaughtUp, stop == nil else { return true }
        linesSinceCaughtUp = false
        guard onLine(.caughtUp) == .continue else {
            stop = .byClient
            return false
        }
        return true
    }
}
