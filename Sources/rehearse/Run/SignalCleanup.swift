import Dispatch
import Foundation

/// Runs a clean-up when the process is interrupted (Ctrl-C, SIGINT) or asked to stop (SIGTERM),
/// then ends the process with the shell's status for that signal, 128 + its number (130 for
/// SIGINT, 143 for SIGTERM). The signal is not raised again: the dispatch source keeps it
/// blocked, so it would never arrive. Nothing can run on SIGKILL; `RunSandboxes` covers that.
final class SignalCleanup {
    private let sources: [any DispatchSourceSignal]
    /// Held by a handler from its clean-up until the process ends, and by `cancel`: so the
    /// main thread cannot finish (and exit with another status) while a clean-up runs.
    private let lock = NSLock()

    /// Installs the handlers; `cleanup` runs once, on a background queue, for the first signal
    /// (whose number it gets).
    init(signals: [Int32] = [SIGINT, SIGTERM], cleanup: @escaping @Sendable (Int32) -> Void) {
        let lock = lock
        sources = signals.map { number in
            signal(number, SIG_IGN)  // delivered to the dispatch source instead of ending the process
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                lock.lock()  // never unlocked: the process ends below
                cleanup(number)
                _exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// Removes the handlers and restores the default actions; waits for (and so never returns
    /// during) a clean-up that has begun.
    func cancel() {
        lock.lock()
        defer { lock.unlock() }
        for source in sources {
            source.cancel()
            signal(Int32(source.handle), SIG_DFL)
        }
    }
}
