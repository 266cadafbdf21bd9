import Foundation

/// The object events a bucket can publish, named as in Google Cloud Storage notifications.
public enum ObjectEventType: String, Sendable, Hashable, CaseIterable, Codable {
    /// A new generation was written (put, copy, or a file found in the bucket folder).
    case finalize = "OBJECT_FINALIZE"
    /// The current generation was deleted (or its file disappeared from the folder).
    case delete = "OBJECT_DELETE"
}

/// Publish events about objects in `bucket` whose key starts with `keyPrefix` to `topic`.
///
/// Each event becomes one message whose data is the object's metadata as JSON and whose
/// attributes are `eventType`, `bucketId`, `objectId`, `objectGeneration` and
/// `payloadFormat` (`JSON_API_V1`), like GCS Pub/Sub notifications.
public struct ObjectNotificationRule: Hashable, Sendable {
    public var bucket: String
    public var topic: String
    public var keyPrefix: String
    public var eventTypes: Set<ObjectEventType>

    public init(bucket: String, topic: String, keyPrefix: String = "",
                eventTypes: Set<ObjectEventType> = Set(ObjectEventType.allCases)) {
        self.bucket = bucket
        self.topic = topic
        self.keyPrefix = keyPrefix
        self.eventTypes = eventTypes
    }

    func matches(_ event: ObjectEvent) -> Bool {
        event.metadata.bucket == bucket && eventTypes.contains(event.type)
            && event.metadata.key.utf8.starts(with: keyPrefix.utf8)
    }
}

/// Something that happened to an object, to be published after its transaction commits
/// (through the outbox; see `DirectoryObjectStore.deliverNotifications`).
struct ObjectEvent {
    var type: ObjectEventType
    var metadata: ObjectMetadata

    /// The event as a queue message with the given deduplication id.
    func message(deduplicationID: String) -> OutgoingMessage {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return OutgoingMessage(
            data: (try? encoder.encode(metadata)) ?? Data(),
            attributes: [
                "eventType": type.rawValue, "bucketId": metadata.bucket, "objectId": metadata.key,
                "objectGeneration": String(metadata.generation), "payloadFormat": "JSON_API_V1",
            ],
            deduplicationID: deduplicationID)
    }
}
