/// File paths as text.
///
/// `NSString.deletingLastPathComponent` traps on a one-character name (`"x"`, `"x/"`) in
/// swift-corelibs-foundation; a user may well name a report folder `r` or a scenario `s`.
public enum PathText {
    /// `path` without its last component, as `deletingLastPathComponent` gives it: `""` for a
    /// lone name (`"x"`, `"x/"`), `"/"` for a name in the root (`"/x"`) and for `"/"`, else the
    /// folders before the last name (`"a/b/c"` → `"a/b"`), without trailing slashes.
    public static func parent(of path: String) -> String {
        var bytes = Array(path.utf8)
        func dropTrailingSlashes() {
            while bytes.count > 1, bytes.last == UInt8(ascii: "/") { bytes.removeLast() }
        }
        dropTrailingSlashes()
        guard bytes != [UInt8(ascii: "/")] else { return "/" }
        guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        bytes.removeSubrange(slash...)
        dropTrailingSlashes()
        return bytes.isEmpty ? "/" : String(decoding: bytes, as: UTF8.self)
    }
}
