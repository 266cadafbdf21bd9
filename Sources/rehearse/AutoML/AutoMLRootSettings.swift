import Foundation

/// The settings a cloud root's propensity loop was first run with, kept in
/// `<root>/automl-settings.txt` (one `--flag value` per line), so that running `rehearse automl`
/// again on the root with other settings is refused, naming what differs, rather than silently
/// reporting the first run's weeks as if they were the new settings'.
struct AutoMLRootSettings {
    /// `--flag value` lines, in the order the command gives them.
    let lines: [String]

    /// The file in `root` that holds them.
    static func path(in root: URL) -> String { root.appendingPathComponent("automl-settings.txt").path }

    /// Keeps these settings in `root` on a first run; on a later run checks they are the same.
    /// - Throws: `CommandFailure` naming each setting that differs from the root's first run.
    func claim(_ root: URL) throws {
        let path = Self.path(in: root)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            let temporary = path + ".new"
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw CommandFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
            return
        }
        let kept = text.split(separator: "\n").map(String.init)
        guard kept != lines else { return }
        let differences = zip(Self.byFlag(kept), Self.byFlag(lines)).compactMap { before, now -> String? in
            before == now ? nil : "\(before.flag): this root ran with \(before.value), now \(now.value)"
        }
        let named = differences.isEmpty ? ["its settings file \(path) is not this version's"] : differences
        throw CommandFailure("the loop on \(root.path) was run with other settings (" + named.joined(separator: "; ")
                             + "); run it again with the same ones to resume it, or use another --root")
    }

    /// Lines as (flag, value) pairs.
    private static func byFlag(_ lines: [String]) -> [(flag: String, value: String)] {
        lines.map { line in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }
}
