import Crypto
import Determinism
import Foundation
import JSON
import LocalCloud

/// SQS message attributes (`{name: {DataType, StringValue | BinaryValue}}`) and how they live
/// among a queued message's plain string attributes.
///
/// A value is stored under its name; a data type other than `String` is stored beside it under
/// `AWS.DataType.<name>` (a prefix SQS reserves, so no sender can use it), and binary values as
/// base64; a FIFO message's group id is kept under `AWS.SQS.MessageGroupId`. Attributes
/// published without the SQS endpoint read back as `String`s.
struct SQSMessageAttributes: Equatable {
    struct Value: Equatable {
        var dataType: String
        var stringValue: String?
        var binaryValue: Data?

        var isBinary: Bool { dataType == "Binary" || dataType.hasPrefix("Binary.") }
    }

    static let typePrefix = "AWS.DataType."
    /// Where a FIFO message's group id is kept among its attributes.
    static let groupKey = "AWS.SQS.MessageGroupId"
    /// Where a FIFO message's deduplication id (given, or the body's SHA-256) is kept.
    static let deduplicationKey = "AWS.SQS.MessageDeduplicationId"
    var values: [String: Value]

    /// Reads and checks the `MessageAttributes` of a send.
    init(json members: [String: JSONValue]) throws(SQSError) {
        guard members.count <= 10 else {
            throw SQSError.invalidParameter("Number of message attributes [\(members.count)] exceeds the allowed maximum [10].")
        }
        var values: [String: Value] = [:]
        for (name, member) in members {
            let input: SQSInput
            guard case .object(let fields) = member else { throw SQSError.invalidParameter("message attribute \(name) must be an object") }
            input = SQSInput(members: fields)
            guard Self.isValidName(name) else {
                throw SQSError.invalidParameter("Message (user) attribute name '\(name)' is invalid: 1–256 ASCII letters, digits, "
                                                    + "'_', '-' and '.', not starting or ending with '.', without '..', not "
                                                    + "starting with AWS. or Amazon.")
            }
            guard !Self.queueOwnNames.contains(name) else {
                throw SQSError.invalidParameter("Message (user) attribute name '\(name)' is reserved by the local queue, which "
                                                    + "puts it on the messages it dead-letters")
            }
            guard let dataType = try input.string("DataType"), ["String", "Number", "Binary"].contains(where: { dataType == $0 || dataType.hasPrefix($0 + ".") }) else {
                throw SQSError.invalidParameter("The message attribute '\(name)' must have a DataType of String, Number or Binary")
            }
            var value = Value(dataType: dataType)
            if value.isBinary {
                guard let text = try input.string("BinaryValue"), let data = Data(base64Encoded: text) else {
                    throw SQSError.invalidParameter("The message attribute '\(name)' with type 'Binary' must use field 'Binary'.")
                }
                value.binaryValue = data
            } else {
                guard let text = try input.string("StringValue"), !text.isEmpty else {
                    throw SQSError.invalidParameter("The message attribute '\(name)' must contain non-empty message attribute value "
                                                        + "for message attribute type '\(dataType)'.")
                }
                if let invalid = SQSMessageText.firstInvalidScalar(in: text) {
                    throw SQSError.invalidParameter("The message attribute '\(name)' contains \(SQSMessageText.describe(invalid)), "
                                                        + "outside the characters SQS allows.")
                }
                if dataType == "Number" || dataType.hasPrefix("Number."), !SQSMessageText.isNumber(text) {
                    throw SQSError.invalidParameter("Can't cast the value of message (user) attribute '\(name)' to a number.")
                }
                value.stringValue = text
            }
            values[name] = value
        }
        self.values = values
    }

    /// Whether SQS takes `name` as a message attribute's name.
    static func isValidName(_ name: String) -> Bool {
        let scalars = name.unicodeScalars
        return (1...256).contains(scalars.count) && !name.hasPrefix("AWS.") && !name.hasPrefix("Amazon.")
            && !name.hasPrefix(".") && !name.hasSuffix(".") && !name.contains("..")
            && scalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0)) }
    }

    /// The attributes the local queue adds to a message it dead-letters: not SQS's, so not shown.
    static let queueOwnNames: Set = [SubscriptionOptions.deadLetterSourceSubscriptionKey, SubscriptionOptions.deadLetterSourceDeliveryCountKey]

    /// Reads them back from a queued message's attributes (all but the queue's own).
    init(stored attributes: [String: String]) {
        var values: [String: Value] = [:]
        for (name, text) in attributes where !name.hasPrefix("AWS.") && !Self.queueOwnNames.contains(name) {
            var value = Value(dataType: attributes[Self.typePrefix + name] ?? "String")
            if value.isBinary { value.binaryValue = Data(base64Encoded: text) ?? Data() } else { value.stringValue = text }
            values[name] = value
        }
        self.values = values
    }

    /// What the attributes count towards a message's size, as SQS counts it: each name, data
    /// type and value, in bytes.
    var byteSize: Int {
        values.reduce(0) { total, item in
            total + item.key.utf8.count + item.value.dataType.utf8.count
                + (item.value.stringValue?.utf8.count ?? 0) + (item.value.binaryValue?.count ?? 0)
        }
    }

    /// As a queued message's attributes.
    var stored: [String: String] {
        var attributes: [String: String] = [:]
        for (name, value) in values {
            attributes[name] = value.binaryValue?.base64EncodedString() ?? value.stringValue ?? ""
            if value.dataType != "String" { attributes[Self.typePrefix + name] = value.dataType }
        }
        return attributes
    }

    /// Only the attributes `names` asks for (`All`, `.*`, exact names, or `prefix.*`).
    func selected(_ names: [String]) -> SQSMessageAttributes {
        var copy = self
        copy.values = values.filter { name, _ in
            names.contains { $0 == "All" || $0 == ".*" || $0 == name || ($0.hasSuffix(".*") && name.hasPrefix($0.dropLast(1))) }
        }
        return copy
    }

    /// The JSON an answer carries.
    var json: JSONValue {
        .object(values.mapValues { value in
            var members: [String: JSONValue] = ["DataType": .string(value.dataType)]
            if let data = value.binaryValue { members["BinaryValue"] = .string(data.base64EncodedString()) }
            if let text = value.stringValue { members["StringValue"] = .string(text) }
            return .object(members)
        })
    }

    /// The MD5 digest AWS defines over the attributes (the SDKs check it): for each attribute in
    /// name order, the length-prefixed name, data type, a transport byte (1 string, 2 binary) and
    /// the length-prefixed value.
    var md5: String? {
        guard !values.isEmpty else { return nil }
        var bytes = Data()
        func append(_ data: some Collection<UInt8>) {
            let count = UInt32(data.count)
            bytes.append(contentsOf: [UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)])
            bytes.append(contentsOf: data)
        }
        for name in values.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let value = values[name]!
            append(Array(name.utf8))
            append(Array(value.dataType.utf8))
            if let data = value.binaryValue {
                bytes.append(2)
                append(data)
            } else {
                bytes.append(1)
                append(Array((value.stringValue ?? "").utf8))
            }
        }
        return Hex.string(Insecure.MD5.hash(data: bytes))
    }
}
