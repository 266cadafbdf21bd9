import Foundation
import LocalCloud

extension ModelRegistry {
    /// Appends one entry (a JSON object's bytes) to the history of model `name`, as
    /// `models/<name>/history/<n>.json` with `n` = 1, 2, … zero-padded to 6 digits, and returns `n`.
    ///
    /// Entries are never rewritten: each is created with a does-not-exist precondition, so two
    /// writers appending at once get consecutive numbers rather than one overwriting the other.
    @discardableResult
    public func appendHistory(_ entry: Data, name: String) throws -> Int {
        try Self.validate(name: name, kind: "model name")
        var number = try historyKeys(name: name).count + 1
        while true {
            do {
                try store.put(entry, bucket: bucket, key: Self.historyKey(name, number),
                              options: PutOptions(contentType: "application/json", preconditions: .doesNotExist))
                return number
            } catch ObjectStoreError.preconditionFailed {
                number += 1
            }
        }
    }

    /// Every history entry of model `name`, oldest first.
    public func history(name: String) throws -> [Data] {
        try Self.validate(name: name, kind: "model name")
        return try historyKeys(name: name).map { try store.get(bucket: bucket, key: $0).data }
    }

    /// The newest history entry of model `name` (one read, however long the history), nil when
    /// it has none.
    public func lastHistoryEntry(name: String) throws -> Data? {
        try Self.validate(name: name, kind: "model name")
        guard let key = try historyKeys(name: name).last else { return nil }
        return try store.get(bucket: bucket, key: key).data
    }

    /// `models/<name>/history/<n>.json`.
    public static func historyKey(_ name: String, _ number: Int) -> String {
        let digits = String(number)
        return keyPrefix + "\(name)/history/" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".json"
    }

    /// The keys of the history entries, in order.
    private func historyKeys(name: String) throws -> [String] {
        try store.listAll(bucket: bucket, prefix: Self.keyPrefix + name + "/history/").map(\.key).sorted()
    }
}
