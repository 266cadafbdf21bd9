import Foundation

/// The write end of the pipe the installed `SignalWatch`'s handler writes a signal's number to.
nonisolated(unsafe) private var signalWatchPipe: Int32 = -1

/// Turns the first of some signals (by default SIGINT and SIGTERM) into a call of `handler`
/// with its number, on a background thread, so a command can finish or clean up by itself
/// instead of being ended where it stands; each later one, into a call of `repeated` (none by
/// default: they are ignored). One watch is installed at a time.
///
/// The handler is installed with `sigaction` before `init` returns, and only writes one byte to
/// a pipe (async-signal-safe); a thread reading the pipe calls `handler`. A dispatch signal
/// source is not used: on Linux it registers on another thread some time after `resume()`, and
/// a signal sent in between — to a process that must ignore it meanwhile — was lost, leaving
/// the command running after its SIGTERM. The reading thread unblocks the signals it watches.
final class SignalWatch {
    private let signals: [Int32]
    private let writeEnd: Int32

    /// Installs the handlers. (Should the pipe not open, the signals keep their default
    /// actions: they end the process.)
    init(signals: [Int32] = [SIGINT, SIGTERM], repeated: (@Sendable (Int32) -> Void)? = nil,
         handler: @escaping @Sendable (Int32) -> Void) {
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
        signalWatchPipe = writeEnd
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                let saved = errno  // the interrupted code may be about to read it
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalWatchPipe, &byte, 1)
                errno = saved
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
        Thread.detachNewThread {
            // A process can start with the signals blocked (a parent's dispatch worker thread
            // passes its mask on): unblocked here, one pending or sent later is delivered to
            // this thread at least.
            var watched = sigset_t()
            sigemptyset(&watched)
            for number in signals { sigaddset(&watched, number) }
            pthread_sigmask(SIG_UNBLOCK, &watched, nil)
            var byte: UInt8 = 0
            var handled = false
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0 && errno == EINTR { continue }
                guard count == 1, byte != 0 else { break }  // 0: cancelled
                if !handled {
                    handled = true
                    handler(Int32(byte))
                } else {
                    repeated?(Int32(byte))
                }
            }
            close(readEnd)
        }
    }

    /// Restores the default actions and ends the reading thread.
    func cancel() {
        guard writeEnd >= 0 else { return }
        for number in signals { signal(number, SIG_DFL) }
        signalWatchPipe = -1
        var cancelled: UInt8 = 0
        _ = write(writeEnd, &cancelled, 1)
        close(writeEnd)
    }
}
