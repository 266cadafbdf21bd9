import Foundation
import JSON

/// The members of an SQS JSON request, read with errors that name the member.
struct SQSInput {
    let members: [String: JSONValue]

    /// Parses a request body: one JSON object.
    init(_ body: Data) throws(SQSError) {
        let text = String(decoding: body, as: UTF8.self)
        let value: JSONValue
        do {
            value = try JSONParser.parse(text.isEmpty ? "{}" : text)
        } catch {
            throw SQSError("SerializationException", "the request body is not JSON: \(error)")
        }
        guard case .object(let members) = value else { throw SQSError("SerializationException", "the request body is not a JSON object") }
        self.members = members
    }

    init(members: [String: JSONValue]) { self.members = members }

    func string(_ name: String) throws(SQSError) -> String? {
        switch members[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw SQSError.invalidParameter("\(name) must be a string")
        }
    }

    func requiredString(_ name: String) throws(SQSError) -> String {
        guard let text = try string(name) else { throw SQSError.missingParameter(name) }
        return text
    }

    func int(_ name: String) throws(SQSError) -> Int? {
        switch members[name] {
        case nil, .null?: return nil
        case .number(let number)? where number.rounded() == number && abs(number) < 1e15: return Int(number)
        default: throw SQSError.invalidParameter("\(name) must be an integer")
        }
    }

    func object(_ name: String) throws(SQSError) -> [String: JSONValue] {
        switch members[name] {
        case nil, .null?: return [:]
        case .object(let members)?: return members
        default: throw SQSError.invalidParameter("\(name) must be an object")
        }
    }

    func strings(_ name: String) throws(SQSError) -> [String] {
        switch members[name] {
        case nil, .null?: return []
        case .array(let items)?:
            var strings: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw SQSError.invalidParameter("\(name) must be a list of strings") }
                strings.append(text)
            }
            return strings
        default: throw SQSError.invalidParameter("\(name) must be a list of strings")
        }
    }

    /// A list of objects (batch entries), each as an input of its own.
    func entries(_ name: String) throws(SQSError) -> [SQSInput] {
        switch members[name] {
        case nil, .null?: return []
        case .array(let items)?:
            var entries: [SQSInput] = []
            for item in items {
                guard case .object(let members) = item else { throw SQSError.invalidParameter("\(name) must be a list of objects") }
                entries.append(SQSInput(members: members))
            }
            return entries
        default: throw SQSError.invalidParameter("\(name) must be a list of objects")
        }
    }

    /// A `{name: string}` map (queue attributes, tags).
    func stringMap(_ name: String) throws(SQSError) -> [String: String] {
        var map: [String: String] = [:]
        for (key, value) in try object(name) {
            guard case .string(let text) = value else { throw SQSError.invalidAttributeValue(key, "expected a string") }
            map[key] = text
        }
        return map
    }
}
