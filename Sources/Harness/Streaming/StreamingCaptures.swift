import JSON
import Modes

/// Holds a scenario's streaming session once its first streaming step started it. A scenario's
/// steps run one after another on one thread, which alone touches it (`@unchecked`).
final class StreamingSlot: @unchecked Sendable {
    var session: StreamingSession?
}

/// Reads the streaming captures: panes, stored predictions, dead letters, scaling decisions
/// and the ingest's counts.
struct StreamingCaptures {
    let session: StreamingSession?

    /// The capture of a streaming source, or nil for any other source.
    func read(_ source: CaptureSource) throws -> Capture? {
        switch source {
        case .panes: .records(try started().records(table: WindowStage.table))
        case .streamPredictions(_, let first): .records(try started().records(table: StreamPrediction.table, first: first))
        case .deadLetters: .records(try started().deadLetters())
        case .scaling: .records(try started().decisions.map(\.json))
        case .ingest: .records([try started().ingest()])
        default: nil
        }
    }

    private func started() throws -> StreamingSession {
        guard let session else { throw OnlineError.nothingToCapture("no stream step ran before this capture") }
        return session
    }
}
