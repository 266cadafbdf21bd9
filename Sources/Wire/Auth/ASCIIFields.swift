extension String {
    /// The parts of the string between occurrences of the ASCII byte `separator` (empty parts
    /// kept), split on UTF-8 bytes: signature fields are parsed on every request, and
    /// splitting by `Character` would walk grapheme boundaries for separators that are ASCII.
    func fields(separatedBy separator: UInt8) -> [String] {
        utf8.split(separator: separator, omittingEmptySubsequences: false).map { String(Substring($0)) }
    }
}
