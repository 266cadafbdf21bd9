import Foundation

/// Other processes, as `/proc` shows them.
enum ChildProcesses {
    /// The pid of a child of `parent` with `argument` among its arguments (a whole argument: a
    /// child forked but not yet exec'd still shows the parent's command line, whose file names
    /// may contain the word), polling `/proc` (for at most 120 s, and while `alive` holds) until
    /// one appears; nil if none does.
    static func waitForChild(of parent: Int32, withArgument argument: String, while alive: () -> Bool) -> Int32? {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && alive() {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry), parentID(of: pid) == parent,
                      let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")),
                      command.split(separator: 0).contains(where: { $0.elementsEqual(argument.utf8) })
                else { continue }
                return pid
            }
            usleep(20_000)  // polling for the child to appear, not waiting for time to pass
        }
        return nil
    }

    /// The argument after `flag` on `pid`'s command line.
    static func argument(after flag: String, of pid: Int32) -> String? {
        guard let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return nil }
        let arguments = command.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.firstIndex(of: flag).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    }

    /// Whether the file at `path` comes to contain `text`, polling (for at most 120 s, and while `alive` holds).
    static func waitForFile(_ path: String, containing text: String, while alive: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline && alive() {
            if let content = try? String(contentsOfFile: path, encoding: .utf8), content.contains(text) { return true }
            usleep(20_000)  // polling for the line to be written, not waiting for time to pass
        }
        return false
    }

    /// Whether `pid` has exited (gone, or a zombie nobody reaped yet), polling for at most `seconds`.
    static func waitUntilEnded(_ pid: Int32, within seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            guard let state = statFields(of: pid)?.first, state != "Z", state != "X" else { return true }
            usleep(20_000)  // polling for the exit, not waiting for time to pass
        } while Date() < deadline
        return false
    }

    /// The parent pid in `/proc/<pid>/stat`.
    private static func parentID(of pid: Int32) -> Int32? {
        statFields(of: pid).flatMap { $0.count > 1 ? Int32($0[1]) : nil }
    }

    /// The fields of `/proc/<pid>/stat` after the command name: state, parent pid, …
    private static func statFields(of pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: close)...].split(separator: " ")
    }
}
