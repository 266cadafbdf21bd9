/// A pattern naming fields inside a JSON record, e.g. `model_id`, `rows[*].id`,
/// `manifest.outputs[*].checksum`, `scores[0]`, `metrics.*.value`.
///
/// Grammar: segments separated by `.`; a segment is a key name or `*` (any key), followed by
/// any number of `[N]` (that index) or `[*]` (any index). A path may start with `[…]` to index
/// a record that is itself an array. Key names may not contain `.`, `[`, `]` or `*`.
public struct FieldPath: Sendable, Equatable, CustomStringConvertible {
    /// One step of a pattern.
    public enum Segment: Sendable, Equatable {
        /// The member with this key.
        case key(String)
        /// Any member of an object.
        case anyKey
        /// The array element at this index.
        case index(Int)
        /// Any element of an array.
        case anyIndex
    }

    /// The pattern's steps from the record root.
    public let segments: [Segment]
    /// The text the path was parsed from.
    public let description: String

    /// Parses a path.
    ///
    /// - Throws: ``HarnessError/invalidFieldPath(_:column:message:)`` naming the column.
    public init(_ text: String) throws(HarnessError) {
        description = text
        segments = try Self.parse(text)
    }

    /// The last key named in the path (`rows[*].id` → `id`), or nil if it names none.
    public var lastKey: String? {
        for segment in segments.reversed() {
            if case .key(let name) = segment { return name }
        }
        return nil
    }

    /// Whether a concrete location (keys and indices from the record root) matches the pattern.
    public func matches(_ location: [JSONLocation]) -> Bool {
        guard location.count == segments.count else { return false }
        for (segment, step) in zip(segments, location) {
            switch (segment, step) {
            case (.key(let name), .key(let actual)) where name == actual: continue
            case (.anyKey, .key): continue
            case (.index(let index), .index(let actual)) where index == actual: continue
            case (.anyIndex, .index): continue
            default: return false
            }
        }
        return true
    }

    private static func parse(_ text: String) throws(HarnessError) -> [Segment] {
        let characters = Array(text)
        var segments: [Segment] = []
        var position = 0
        func fail(_ message: String) -> HarnessError {
            .invalidFieldPath(text, column: position + 1, message: message)
        }
        if characters.isEmpty { throw fail("empty path; expected a key name, '*' or '['") }
        var expectName = characters.first != "["
        while position < characters.count {
            if expectName {
                var name = ""
                while position < characters.count, !".[]*".contains(characters[position]) {
                    name.append(characters[position])
                    position += 1
                }
                if name.isEmpty {
                    guard position < characters.count, characters[position] == "*" else {
                        throw fail("expected a key name or '*'")
                    }
                    position += 1
                    segments.append(.anyKey)
                } else {
                    segments.append(.key(name))
                }
                expectName = false
            }
            guard position < characters.count else { break }
            switch characters[position] {
            case ".":
                position += 1
                expectName = true
                if position == characters.count { throw fail("expected a key name or '*' after '.'") }
            case "[":
                position += 1
                var inside = ""
                while position < characters.count, characters[position] != "]" {
                    inside.append(characters[position])
                    position += 1
                }
                guard position < characters.count else { throw fail("unclosed '['; expected ']'") }
                if inside == "*" {
                    segments.append(.anyIndex)
                } else if let index = Int(inside), index >= 0, inside.allSatisfy(\.isASCII) {
                    segments.append(.index(index))
                } else {
                    throw fail("expected '*' or a non-negative index inside '[ ]', found \"\(inside)\"")
                }
                position += 1
            default:
                throw fail("unexpected '\(characters[position])'; expected '.' or '['")
            }
        }
        return segments
    }
}

/// One concrete step from a record's root to a value: an object key or an array index.
public enum JSONLocation: Sendable, Equatable {
    /// An object member.
    case key(String)
    /// An array element.
    case index(Int)
}
