import LocalCloud

/// One finished run of a user's command: when it ran on the virtual clock, how it ended and
/// what it wrote.
struct CommandRun: Sendable {
    /// The run's number among the runs of its name, from 1.
    let number: Int
    /// The sandbox clock's time when it started.
    let startedAt: Instant
    /// How it ended.
    let ending: CommandProcess.Ending
    /// Its standard output (at most `CommandOutput.limit` bytes, then a note of what was cut).
    let stdout: String
    /// Its standard error, likewise.
    let stderr: String

    /// The run as the `exec` capture shows it:
    ///
    ///     run 1 at 2026-03-03T06:00:00Z: exit status 0
    ///     --- stdout
    ///     scored 200 tweets
    ///     --- stderr (empty)
    var text: String {
        var lines = ["run \(number) at \(startedAt.iso8601): \(Self.describe(ending))"]
        for (name, output) in [("stdout", stdout), ("stderr", stderr)] {
            if output.isEmpty {
                lines.append("--- \(name) (empty)")
            } else {
                lines.append("--- \(name)")
                lines.append(output.hasSuffix("\n") ? String(output.dropLast()) : output)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `exit status 3`, `killed by signal 9`, `timed out after 30s (killed with its process group)`.
    static func describe(_ ending: CommandProcess.Ending) -> String {
        switch ending {
        case .exited(let status): "exit status \(status)"
        case .signalled(let signal): "killed by signal \(signal)"
        case .timedOut(let limit): "timed out after \(text(limit)) (killed with its process group)"
        }
    }

    /// `90s`, or `250ms` under a second.
    private static func text(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
