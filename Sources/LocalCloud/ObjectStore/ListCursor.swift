import Foundation

/// Where a listing page starts, from `startAfter` and an opaque page token, and how keys roll
/// up into common prefixes. Keys compare by UTF-8 bytes, as SQLite orders them.
struct ListCursor {
    /// One listed entry: an object key or a rolled-up common prefix. Equal only when the
    /// kind and the UTF-8 bytes are equal (not Swift's canonical string equivalence).
    enum Entry: Equatable {
        case key(String)
        case commonPrefix(String)

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            switch (lhs, rhs) {
            case (.key(let left), .key(let right)), (.commonPrefix(let left), .commonPrefix(let right)):
                return left.utf8.elementsEqual(right.utf8)
            default: return false
            }
        }
    }

    private let startAfter: String?
    /// Whether `startAfter` is itself a common prefix of this listing (`photos/` under the
    /// delimiter `/`): the last entry of a page, as a V1 marker names it. The keys under it were
    /// rolled up into it there, so they are skipped too, as S3 does.
    private let startsAfterCommonPrefix: Bool
    private let resumeAfter: Entry?

    init(options: ListOptions) throws {
        startAfter = options.startAfter
        startsAfterCommonPrefix = options.startAfter.map { start in
            start.utf8.starts(with: options.prefix.utf8)
                && Self.commonPrefix(of: start, prefix: options.prefix, delimiter: options.delimiter)?.utf8.elementsEqual(start.utf8) == true
        } ?? false
        resumeAfter = try options.pageToken.map(Self.entry(fromToken:))
    }

    /// Whether `key` comes after the start of this page.
    func admits(_ key: String) -> Bool {
        if let startAfter {
            if !startAfter.utf8.lexicographicallyPrecedes(key.utf8) { return false }
            if startsAfterCommonPrefix && key.utf8.starts(with: startAfter.utf8) { return false }
        }
        switch resumeAfter {
        case nil: return true
        case .key(let last): return last.utf8.lexicographicallyPrecedes(key.utf8)
        case .commonPrefix(let last):
            return last.utf8.lexicographicallyPrecedes(key.utf8) && !key.utf8.starts(with: last.utf8)
        }
    }

    /// The common prefix `key` rolls up into: the key up to and including the first `delimiter`
    /// after `prefix`; nil if there is no delimiter or none occurs.
    static func commonPrefix(of key: String, prefix: String, delimiter: String?) -> String? {
        guard let delimiter, !delimiter.isEmpty else { return nil }
        let bytes = Array(key.utf8)
        let needle = Array(delimiter.utf8)
        var index = prefix.utf8.count
        while index + needle.count <= bytes.count {
            if bytes[index..<index + needle.count].elementsEqual(needle) {
                return String(decoding: bytes[..<(index + needle.count)], as: UTF8.self)
            }
            index += 1
        }
        return nil
    }

    /// The opaque page token that resumes after `entry`.
    static func token(_ entry: Entry) -> String {
        switch entry {
        case .key(let key): return Data(("k:" + key).utf8).base64EncodedString()
        case .commonPrefix(let prefix): return Data(("p:" + prefix).utf8).base64EncodedString()
        }
    }

    private static func entry(fromToken token: String) throws -> Entry {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else {
            throw ObjectStoreError.invalidPageToken(token)
        }
        // A token always names a non-empty key or common prefix; an empty one was not ours.
        guard text.utf8.count > 2 else { throw ObjectStoreError.invalidPageToken(token) }
        if text.hasPrefix("k:") { return .key(String(text.dropFirst(2))) }
        if text.hasPrefix("p:") { return .commonPrefix(String(text.dropFirst(2))) }
        throw ObjectStoreError.invalidPageToken(token)
    }
}
