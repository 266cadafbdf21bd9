import Foundation
import JSON
import LocalCloud

/// One tweet as the stream delivers it: a line of Twitter's API v2 filtered stream,
///
///     {"data":{"id":"…","text":"…","created_at":"2026-…Z","lang":"en","author_id":"…"},
///      "matching_rules":[{"id":"…","tag":"…"}]}
///
/// as the ingest connector publishes it to the `tweets` topic, byte for byte.
public struct StreamedTweet: Sendable, Equatable {
    /// The tweet id (a decimal string).
    public var id: String
    /// The tweet's text.
    public var text: String
    /// When the tweet was created: its event time.
    public var createdAt: Instant
    /// The tags of the rules it matched, in the order the stream gave them, without repeats (a
    /// rule without a tag adds none).
    public var tags: [String]

    /// A tweet from its parts.
    public init(id: String, text: String, createdAt: Instant, tags: [String]) {
        self.id = id
        self.text = text
        self.createdAt = createdAt
        self.tags = tags
    }

    /// Reads one stream line: by ``scan(_:)`` when it has the stream server's layout, else
    /// by ``init(parsing:)``, which also names what is wrong.
    /// - Throws: `PoisonReason` naming what is wrong (bad JSON, a missing or mistyped field).
    public init(line: Data) throws(PoisonReason) {
        if let tweet = Self.scan(line) {
            self = tweet
        } else {
            try self.init(parsing: line)
        }
    }

    /// The tweet of a line laid out exactly as the stream server writes it (`StreamLine`: keys
    /// in its order, no white space between tokens), read without building
    /// a JSON tree; nil for any other line, which ``init(parsing:)`` then reads. Whenever it
    /// gives a tweet, ``init(parsing:)`` gives the same one (a differential test holds it to that).
    public static func scan(_ line: Data) -> StreamedTweet? {
        line.withUnsafeBytes { raw -> StreamedTweet? in
            var reader = JSONLayoutReader(raw.bindMemory(to: UInt8.self))
            guard reader.consume(#"{"data":{"author_id":"#), reader.skipString(),
                  reader.consume(#","created_at":"#), let created = reader.string(), let createdAt = Instant(iso8601: created),
                  reader.consume(#","id":"#), let id = reader.string(), !id.isEmpty,
                  reader.consume(#","lang":"#), reader.skipString(),
                  reader.consume(#","text":"#), let text = reader.string(),
                  reader.consume(#"},"matching_rules":["#)
            else { return nil }
            var tags: [String] = []
            if !reader.consume("]") {
                repeat {
                    guard reader.consume(#"{"id":"#), reader.skipString() else { return nil }
                    if reader.consume("}") { continue }  // a rule without a tag
                    guard reader.consume(#","tag":"#), let tag = reader.string(), reader.consume("}") else { return nil }
                    if !tags.contains(tag) { tags.append(tag) }
                } while reader.consume(",")
                guard reader.consume("]") else { return nil }
            }
            guard reader.consume("}"), reader.isAtEnd else { return nil }
            return StreamedTweet(id: id, text: text, createdAt: createdAt, tags: tags)
        }
    }

    /// Reads one stream line with the strict JSON parser, whatever its layout.
    /// - Throws: `PoisonReason` naming what is wrong (bad JSON, a missing or mistyped field).
    public init(parsing line: Data) throws(PoisonReason) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(String(decoding: line, as: UTF8.self))
        } catch {
            throw .malformedJSON(String(describing: error))
        }
        guard case .object(let root) = value else { throw .notAnObject }
        guard case .object(let data)? = root["data"] else {
            // v2 sends {"errors": […]} lines (an operational disconnect, say) on the stream too.
            if root["data"] == nil, case .array(let errors)? = root["errors"] {
                throw .streamError(String(JSONValue.array(errors).canonicalText.prefix(300)))
            }
            throw .badField("data", expected: "an object (the tweet)")
        }
        guard case .string(let id)? = data["id"], !id.isEmpty else { throw .missingField("data.id") }
        guard case .string(let text)? = data["text"] else { throw .missingField("data.text") }
        guard case .string(let created)? = data["created_at"] else { throw .missingField("data.created_at") }
        guard let createdAt = Instant(iso8601: created) else { throw .badField("data.created_at", expected: "an ISO-8601 time") }
        var tags: [String] = []
        if let rules = root["matching_rules"] {
            guard case .array(let entries) = rules else { throw .badField("matching_rules", expected: "an array") }
            for entry in entries {
                guard case .object(let rule) = entry else { throw .badField("matching_rules", expected: "an array of objects") }
                switch rule["tag"] {
                case nil: continue  // a rule without a tag: the tweet is predicted, but no tag's windows count it
                case .string(let tag)?: if !tags.contains(tag) { tags.append(tag) }
                case _?: throw .badField("matching_rules", expected: "objects whose \"tag\", if any, is a string")
                }
            }
        }
        self.init(id: id, text: text, createdAt: createdAt, tags: tags)
    }
}

/// Why a message of the `tweets` topic cannot be processed: it goes to the dead-letter topic
/// with this reason once the subscription's delivery attempts are used up.
public enum PoisonReason: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line is not JSON.
    case malformedJSON(String)
    /// The line is JSON but not an object.
    case notAnObject
    /// A required field is missing (or is not a string).
    case missingField(String)
    /// A field holds the wrong kind of value.
    case badField(String, expected: String)
    /// A v2 error message of the stream itself (`{"errors": […]}`), not a tweet.
    case streamError(String)

    public var description: String {
        switch self {
        case .malformedJSON(let detail): "not JSON: \(detail)"
        case .notAnObject: "not a JSON object"
        case .missingField(let field): "missing \(field) (a string)"
        case .badField(let field, let expected): "\(field) should be \(expected)"
        case .streamError(let errors): "a message of the stream, not a tweet: \(errors)"
        }
    }
}
