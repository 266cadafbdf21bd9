import Determinism

/// SQS receipt handles: the queue's ack id (`<message id>:<delivery serial>`) followed by a tag
/// of the queue it was received from, so a handle used on another queue is refused with
/// `ReceiptHandleIsInvalid`, as AWS refuses it, rather than matching nothing in silence.
enum SQSReceiptHandle {
    /// The handle of a message received from `queue` with `ackID`.
    static func make(ackID: String, queue: String) -> String {
        ackID + ":" + tag(queue)
    }

    /// The ack id in `handle`, which must have been received from `queue`.
    /// - Throws: `ReceiptHandleIsInvalid` for a handle this service did not give for `queue`.
    static func ackID(_ handle: String, queue: String) throws(SQSError) -> String {
        guard let colon = handle.lastIndex(of: ":"), handle[handle.index(after: colon)...] == tag(queue) else {
            throw SQSError("ReceiptHandleIsInvalid", "The input receipt handle \"\(handle)\" is not a valid receipt handle.")
        }
        return String(handle[..<colon])
    }

    /// 16 hex digits of the FNV-1a hash of the queue's name.
    private static func tag(_ queue: String) -> String {
        var hash = FNV1a()
        hash.combine(queue.utf8)
        let hex = String(hash.value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
