import Foundation
import LocalCloud
import Modes

/// The live status line of `rehearse stream` on a terminal (standard error), redrawn every
/// second: the rate of stored predictions, the workers' backlog, how far the watermark trails
/// the clock, and the number of workers. Off when standard error is not a terminal.
struct StreamStatusLine {
    let pipeline: StreamingPipeline
    let queue: any MessageQueue
    let subscription: String
    let clock: any CloudClock = SystemClock()

    /// Runs `body`, showing the status line meanwhile.
    func showing<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        guard isatty(STDERR_FILENO) == 1 else { return try await body() }
        let drawing = Task { await draw() }
        defer {
            drawing.cancel()
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return try await body()
    }

    private func draw() async {
        var last = (time: clock.now, stored: 0)
        while !Task.isCancelled {
            guard (try? await clock.sleep(until: last.time.advanced(by: .seconds(1)))) != nil else { return }
            let status = pipeline.status
            let now = clock.now
            let stored = status.workers.stored + status.workers.alreadyStored
            let seconds = Double(last.time.duration(to: now).components.seconds) + Double(last.time.duration(to: now).components.attoseconds) / 1e18
            let rate = seconds > 0 ? Double(stored - last.stored) / seconds : 0
            last = (now, stored)
            let backlog = (try? queue.subscriptions().first { $0.name == subscription }?.backlog) ?? nil
            let lag = status.watermark.map { watermark in
                let lag = watermark.duration(to: now)
                return String(format: "%.1fs", Double(lag.components.seconds) + Double(lag.components.attoseconds) / 1e18)
            } ?? "–"
            let line = String(format: "%8.0f tweets/s · backlog %@ · watermark lag %@ · workers %d · stored %d · dead letters %d",
                              rate, backlog.map(String.init) ?? "?", lag, status.workerCount, stored, status.workers.deadLettered)
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        }
    }
}
