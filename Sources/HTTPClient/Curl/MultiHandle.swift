import CCurl

/// A libcurl multi handle: runs the transfers of several easy handles at once on the calling
/// thread, with at most `connections` connections open. It keeps the easy handles it carries
/// alive, and removes them before it is cleaned up, as libcurl requires.
final class MultiHandle {
    private let raw: UnsafeMutableRawPointer
    /// The easy handles added and not yet removed, by their `CURL *`.
    private var added: [UnsafeMutableRawPointer: EasyHandle] = [:]
    /// The error for a failure of the multi interface itself, given what failed.
    private let failure: (String) -> HTTPClientError

    /// - Parameter failure: the error for a failure of the multi interface itself, given what
    ///   failed (a load run reports `loadFailed`; a stream names its URL).
    init(connections: Int, failure: @escaping (String) -> HTTPClientError = { .loadFailed(problem: $0) }) throws(HTTPClientError) {
        self.failure = failure
        guard let raw = curl_multi_init() else { throw failure("curl_multi_init failed") }
        self.raw = raw
        for option in [CURLMOPT_MAX_TOTAL_CONNECTIONS, CURLMOPT_MAX_HOST_CONNECTIONS, CURLMOPT_MAXCONNECTS] {
            try check(rehearsal_curl_multi_setopt_long(raw, option, connections), "setting option \(option.rawValue)")
        }
    }

    deinit {
        for easy in added.keys { curl_multi_remove_handle(raw, easy) }
        curl_multi_cleanup(raw)
    }

    /// Starts `easy`'s prepared transfer.
    func add(_ easy: EasyHandle) throws(HTTPClientError) {
        try check(curl_multi_add_handle(raw, easy.raw), "adding a transfer")
        added[easy.raw] = easy
    }

    /// Stops carrying `easy` (its transfer finished or is abandoned); its connection stays open
    /// for the next transfer if the server keeps it alive.
    func remove(_ easy: EasyHandle) {
        curl_multi_remove_handle(raw, easy.raw)
        added[easy.raw] = nil
    }

    /// Moves every transfer along as far as it can go without waiting.
    func perform() throws(HTTPClientError) {
        var running: Int32 = 0
        try check(curl_multi_perform(raw, &running), "running transfers")
    }

    /// Waits until a transfer can move on, `waker` is woken, or at most `timeout`.
    func poll(timeout: Duration) throws(HTTPClientError) {
        let milliseconds = Int32(clamping: max(1, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        try check(curl_multi_poll(raw, nil, 0, milliseconds, nil), "waiting for transfers")
    }

    /// What makes `poll` return at once, from any thread, for as long as this handle lives.
    var waker: MultiWaker { MultiWaker(multi: raw) }

    /// The next finished transfer and how it ended, or nil when none is waiting to be collected.
    func nextFinished() -> (easy: EasyHandle, code: CURLcode)? {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(raw, &queued) {
            if message.pointee.msg == CURLMSG_DONE, let easy = added[message.pointee.easy_handle] {
                return (easy, message.pointee.data.result)
            }
        }
        return nil
    }

    private func check(_ code: CURLMcode, _ doing: String) throws(HTTPClientError) {
        guard code == CURLM_OK else {
            throw failure("libcurl multi interface failed \(doing): \(String(cString: curl_multi_strerror(code)))")
        }
    }
}

/// Wakes a `MultiHandle` out of `poll` (or makes its next `poll` return at once): libcurl's
/// `curl_multi_wakeup`, the one multi call that may be made from another thread. Valid only while
/// its multi handle lives; whoever hands it to another thread must take it back before then.
struct MultiWaker: @unchecked Sendable, Equatable {
    /// The `CURLM *`, only ever passed to `curl_multi_wakeup`.
    fileprivate let multi: UnsafeMutableRawPointer

    func wake() {
        _ = curl_multi_wakeup(multi)
    }
}
