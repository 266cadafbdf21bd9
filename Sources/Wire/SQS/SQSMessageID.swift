/// SQS message ids (UUIDs) for the queue's integer message ids: the id in the last group, so
/// the same message always has the same SQS id.
enum SQSMessageID {
    static func string(_ id: Int64) -> String {
        let hex = String(UInt64(bitPattern: id), radix: 16)
        return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }
}
