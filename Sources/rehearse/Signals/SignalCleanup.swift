import Foundation

/// Runs a clean-up when the process is interrupted (Ctrl-C, SIGINT) or asked to stop (SIGTERM),
/// then ends the process with the shell's status for that signal, 128 + its number (130 for
/// SIGINT, 143 for SIGTERM). Nothing can run on SIGKILL; `RunSandboxes` covers that.
final class SignalCleanup {
    private let watch: SignalWatch
    /// Held by the clean-up until the process ends, and by `cancel`: so the main thread cannot
    /// finish (and exit with another status) while a clean-up runs.
    private let lock = NSLock()

    /// Installs the handlers; `cleanup` runs once, on a background thread, for the first signal
    /// (whose number it gets).
    init(signals: [Int32] = [SIGINT, SIGTERM], cleanup: @escaping @Sendable (Int32) -> Void) {
        let lock = lock
        watch = SignalWatch(signals: signals) { number in
            lock.lock()  // never unlocked: the process ends below
            cleanup(number)
            _exit(128 + number)
        }
    }

    /// Removes the handlers and restores the default actions; waits for (and so never returns
    /// during) a clean-up that has begun.
    func cancel() {
        lock.lock()
        defer { lock.unlock() }
        watch.cancel()
    }
}
