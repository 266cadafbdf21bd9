import Foundation

/// Reads what a command wrote to a file, as text for its capture.
enum CommandOutput {
    /// The most bytes of each stream a capture keeps.
    static let limit = 1 << 20

    /// The file's first `limit` bytes as UTF-8 (invalid sequences replaced), `\r\n` as `\n`,
    /// and a note of how many bytes were cut.
    static func read(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit)) ?? Data()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? data.count
        var text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        if size > data.count {
            if !text.hasSuffix("\n") { text += "\n" }
            text += "[… \(size - data.count) more bytes not kept]\n"
        }
        return text
    }
}
