import Foundation

/// The write end of the pipe `StopSignals`' handler writes a signal's number to.
nonisolated(unsafe) private var stopSignalPipe: Int32 = -1

/// Turns SIGTERM and SIGINT into a call of `stop` (once), so a long-running command can finish
/// what it is doing and exit by itself, instead of being ended where it stands.
///
/// The handler is installed with `sigaction` before `init` returns, and only writes one byte to
/// a pipe (async-signal-safe); a thread reading the pipe calls `stop`. A dispatch signal source
/// is not used: on Linux it registers on another thread some time after `resume()`, and a
/// signal sent in between — to a process that must ignore it meanwhile — was lost, leaving the
/// command running after its SIGTERM.
final class StopSignals {
    private let signals: [Int32]
    private let writeEnd: Int32

    /// Installs the handlers; `stop` runs on a background thread for the first signal. (Should
    /// the pipe not open, the signals keep their default actions: they end the process.)
    init(signals: [Int32] = [SIGINT, SIGTERM], stop: @escaping @Sendable () -> Void) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            self.signals = []
            writeEnd = -1
            return
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }  // not inherited by the processes it starts
        let readEnd = ends[0]
        writeEnd = ends[1]
        self.signals = signals
        stopSignalPipe = writeEnd
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                let saved = errno  // the interrupted code may be about to read it
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(stopSignalPipe, &byte, 1)
                errno = saved
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
        Thread.detachNewThread {
            var byte: UInt8 = 0
            var stopped = false
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                guard count == 1, byte != 0 else { break }  // 0: cancelled
                if !stopped {
                    stopped = true
                    stop()
                }
            }
            close(readEnd)
        }
    }

    /// Restores the default actions and ends the reading thread.
    func cancel() {
        guard writeEnd >= 0 else { return }
        for number in signals { signal(number, SIG_DFL) }
        stopSignalPipe = -1
        var cancelled: UInt8 = 0
        _ = write(writeEnd, &cancelled, 1)
        close(writeEnd)
    }
}
