/// The `Encoder` behind `ArtifactJSON`: it builds a tree of `ArtifactJSONNode`s from any
/// `Encodable`, so the artifact's types keep their one `Codable` description of their fields.
struct ArtifactJSONEncoder: Encoder {
    let node: ArtifactJSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.value {} else { node.value = .object([]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.value {} else { node.value = .array([]) }
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(node: node, codingPath: codingPath)
    }

    /// The node for one value: a leaf for the scalars, else whatever `value` encodes itself as.
    static func node(for value: some Encodable, codingPath: [any CodingKey]) throws -> ArtifactJSONNode {
        switch value {
        case let value as Double: return .number(value)
        case let value as Float: return .number(value)
        case let value as String: return ArtifactJSONNode(string: value)
        case let value as Bool: return ArtifactJSONNode(literal: value ? "true" : "false")
        case let value as any BinaryInteger: return ArtifactJSONNode(literal: "\(value)")
        default:
            let node = ArtifactJSONNode()
            try value.encode(to: ArtifactJSONEncoder(node: node, codingPath: codingPath))
            return node
        }
    }

    private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: ArtifactJSONNode
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, ArtifactJSONNode(literal: "null")) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            node.set(key.stringValue, try ArtifactJSONEncoder.node(for: value, codingPath: codingPath + [key]))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            ArtifactJSONEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            ArtifactJSONEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            ArtifactJSONEncoder(node: node.member("super"), codingPath: codingPath)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            ArtifactJSONEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
        }
    }

    private struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: ArtifactJSONNode
        let codingPath: [any CodingKey]
        var count: Int { node.count }

        mutating func encodeNil() throws { node.append(ArtifactJSONNode(literal: "null")) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            node.append(try ArtifactJSONEncoder.node(for: value, codingPath: codingPath))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = ArtifactJSONNode()
            node.append(child)
            return ArtifactJSONEncoder(node: child, codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let child = ArtifactJSONNode()
            node.append(child)
            return ArtifactJSONEncoder(node: child, codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Encoder {
            let child = ArtifactJSONNode()
            node.append(child)
            return ArtifactJSONEncoder(node: child, codingPath: codingPath)
        }
    }

    private struct SingleValueContainer: SingleValueEncodingContainer {
        let node: ArtifactJSONNode
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.value = .literal("null") }

        mutating func encode<T: Encodable>(_ value: T) throws {
            node.value = try ArtifactJSONEncoder.node(for: value, codingPath: codingPath).value
        }
    }
}
