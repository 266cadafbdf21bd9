import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into a call of `stop` (once), so a long-running command can finish
/// what it is doing and exit by itself, instead of being ended where it stands.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    /// Installs the handlers; `stop` runs on a background queue for the first signal.
    init(signals: [Int32] = [SIGINT, SIGTERM], stop: @escaping @Sendable () -> Void) {
        let once = DispatchQueue(label: "rehearse.stop-signals")
        nonisolated(unsafe) var stopped = false
        sources = signals.map { number in
            signal(number, SIG_IGN)  // delivered to the dispatch source instead of ending the process
            let source = DispatchSource.makeSignalSource(signal: number, queue: once)
            source.setEventHandler {
                guard !stopped else { return }
                stopped = true
                stop()
            }
            source.resume()
            return source
        }
    }

    /// Removes the handlers and restores the default actions.
    func cancel() {
        for source in sources {
            source.cancel()
            signal(Int32(source.handle), SIG_DFL)
        }
    }
}
