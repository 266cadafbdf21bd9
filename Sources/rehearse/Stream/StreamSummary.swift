import JSON
import Modes

/// The totals `rehearse stream` prints as one JSON line when it stops.
struct StreamSummary {
    let status: StreamingStatus

    init(_ status: StreamingStatus) { self.status = status }

    var json: JSONValue {
        let object: [String: JSONValue] = [
            "connections": .integer(status.ingest.connections),
            "published": .integer(status.ingest.linesPublished),
            "heartbeats": .integer(status.ingest.heartbeats),
            "drops": .integer(status.ingest.drops),
            "stored": .integer(status.workers.stored),
            "already_stored": .integer(status.workers.alreadyStored),
            "dead_lettered": .integer(status.workers.deadLettered),
            "windowed": .integer(status.windowed),
            "panes": .integer(status.panes),
            "dropped_late": .object(status.droppedLate.mapValues { .integer($0) }),
            "scaling_decisions": .array(status.decisions.map(\.json)),
            "watermark": status.watermark.map { .string($0.iso8601) } ?? .null,
        ]
        return .object(object)
    }
}
