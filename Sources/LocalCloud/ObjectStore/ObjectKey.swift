/// The rules for bucket names and object keys.
///
/// Keys are UTF-8, 1–1024 bytes, made of `/`-separated segments that are each non-empty,
/// at most 255 bytes (a file name limit), not `.` or `..`, and free of NUL. So a key never starts
/// or ends with `/`, never contains `//`, and always names a path inside its bucket folder.
/// Public so that what holds keys before any store exists (scenario files) checks them by the
/// same rule.
public enum ObjectNaming {
    static let maxKeyBytes = 1024
    static let maxSegmentBytes = 255

    /// Throws `ObjectStoreError.invalidKey` unless `key` follows the key rules.
    public static func validate(key: String) throws {
        func fail(_ reason: String) -> ObjectStoreError { .invalidKey(key: key, reason: reason) }
        let bytes = key.utf8
        if bytes.isEmpty { throw fail("a key must not be empty") }
        if bytes.count > maxKeyBytes { throw fail("a key is at most \(maxKeyBytes) UTF-8 bytes, this one has \(bytes.count)") }
        if bytes.contains(0) { throw fail("a key must not contain NUL") }
        if bytes.first == UInt8(ascii: "/") { throw fail("a key must not start with '/' (absolute paths are not keys)") }
        if bytes.last == UInt8(ascii: "/") { throw fail("a key must not end with '/' (that would name a folder)") }
        // One pass over the bytes (keys are checked on every request and every file a listing
        // walks): each segment's length and whether it is all dots.
        var length = 0, dots = 0
        for byte in bytes {
            if byte == UInt8(ascii: "/") {
                try checkSegment(length: length, dots: dots, fail)
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        try checkSegment(length: length, dots: dots, fail)
    }

    /// The rules for one segment of `length` bytes, `dots` of them `.`.
    private static func checkSegment(length: Int, dots: Int, _ fail: (String) -> ObjectStoreError) throws {
        if length == 0 { throw fail("a key must not contain '//'") }
        if length > maxSegmentBytes { throw fail("each '/'-separated part is at most \(maxSegmentBytes) bytes") }
        if dots == length && length <= 2 { throw fail("'.' and '..' segments are not allowed") }
    }

    /// The `/`-separated segments of a key (or folder), split on UTF-8 bytes. Never split a key
    /// with `String.split(separator: "/")`: that splits by `Character`, and `/` followed by a
    /// combining mark (U+0301) is one character, so a folder on the way would go unchecked.
    static func segments(of key: String) -> [String] {
        key.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Throws `ObjectStoreError.invalidBucketName` unless `name` is 1–63 characters of
    /// `a-z 0-9 . _ -`, starting with a letter or digit.
    public static func validate(bucket name: String) throws {
        func fail(_ reason: String) -> ObjectStoreError { .invalidBucketName(name: name, reason: reason) }
        if name.isEmpty || name.utf8.count > 63 { throw fail("a bucket name has 1–63 characters") }
        let allowed = { (byte: UInt8) in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        if !name.utf8.allSatisfy(allowed) { throw fail("use only lowercase letters, digits, '.', '_' and '-'") }
        let first = name.utf8.first!
        if first == UInt8(ascii: ".") || first == UInt8(ascii: "_") || first == UInt8(ascii: "-") {
            throw fail("a bucket name starts with a letter or digit")
        }
    }
}
