import Foundation
import Harness
import Synchronization

/// What `rehearse run` says on standard error while its scenarios run, so a long run, a CI job
/// that times out, or a run stopped with Ctrl-C shows how far it got: a line per scenario as it
/// finishes (`[3/21] PASS  batch-tweets (1.2s)`) — on a terminal, one status line rewritten in
/// place and cleared before the report — and, when a signal stops the run, a closing line.
final class RunProgress: Sendable {
    private struct Tally {
        var passed = 0
        var failed = 0
        /// Whether a signal stopped the run: scenarios that end after that (failing, as their
        /// sandboxes go) are not said.
        var interrupted = false
        var done: Int { passed + failed }
    }

    private let total: Int
    private let onTerminal: Bool
    private let tally = Mutex(Tally())

    /// Progress over `total` scenarios, rewritten in place when standard error is a terminal.
    init(total: Int, onTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.total = total
        self.onTerminal = onTerminal
    }

    /// Says that `report`'s scenario has finished.
    func finished(_ report: ScenarioReport) {
        tally.withLock { tally in
            guard !tally.interrupted else { return }
            if report.passed { tally.passed += 1 } else { tally.failed += 1 }
            let label = report.status.rawValue
            let line = "[\(tally.done)/\(total)] \(label)\(String(repeating: " ", count: max(1, 6 - label.count)))\(report.name) "
                + "(\(String(format: "%.1f", Self.seconds(report.duration)))s)"
            write(onTerminal ? "\r\u{1B}[2K" + line : line + "\n")
        }
    }

    /// Clears the status line on a terminal, before the report is printed.
    func finish() {
        if onTerminal { tally.withLock { _ in write("\r\u{1B}[2K") } }
    }

    /// Says that a signal stopped the run: how many scenarios had finished, and how.
    func interrupted(by signal: String) {
        tally.withLock { tally in
            tally.interrupted = true
            write((onTerminal ? "\r\u{1B}[2K" : "") + "\(signal): stopped after \(tally.done) of \(total) scenarios "
                  + "(\(tally.passed) passed, \(tally.failed) failed); no report is written\n")
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
