/// What the operation ledger counts. Raw values are the names used in reports.
public enum OperationKind: String, Sendable, CaseIterable, Codable, Comparable {
    case objectWrites = "object.writes"
    case objectReads = "object.reads"
    case objectHeads = "object.heads"
    case objectLists = "object.lists"
    case objectDeletes = "object.deletes"
    case objectCopies = "object.copies"
    /// Bytes of object data written (new generations).
    case objectBytesStored = "object.bytes_stored"
    /// Bytes of object data returned by reads.
    case objectBytesTransferred = "object.bytes_transferred"
    /// Milliseconds of latency charged by injected faults.
    case objectInjectedLatencyMilliseconds = "object.injected_latency_ms"
    case messagesPublished = "queue.messages_published"
    case messageBytesPublished = "queue.bytes_published"
    case messagesDelivered = "queue.messages_delivered"
    case messagesAcked = "queue.messages_acked"
    case messagesNacked = "queue.messages_nacked"
    case messagesDeadLettered = "queue.messages_dead_lettered"
    case schedulerRuns = "scheduler.runs"
    case faultsInjected = "faults.injected"

    public static func < (lhs: OperationKind, rhs: OperationKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
