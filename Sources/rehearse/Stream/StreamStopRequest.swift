import Modes
import Synchronization

/// A stop asked for by a signal while `rehearse stream` sets up its root and model, or runs:
/// once the pipeline and its source are attached it stops them — at once, if the signal came
/// during the setup (which is finished first, so the root is never left half made).
final class StreamStopRequest: Sendable {
    private struct State {
        var requested = false
        var pipeline: StreamingPipeline?
        var source: HTTPTweetStreamSource?
    }

    private let state = Mutex(State())

    /// Stops what is attached, and whatever is attached later.
    func request() {
        let (pipeline, source) = state.withLock { state in
            state.requested = true
            return (state.pipeline, state.source)
        }
        pipeline?.stop()
        source?.cancellation.cancel()
    }

    /// The pipeline and the source a request stops; stopped at once if one came already.
    func attach(_ pipeline: StreamingPipeline, _ source: HTTPTweetStreamSource) {
        let requested = state.withLock { state in
            state.pipeline = pipeline
            state.source = source
            return state.requested
        }
        if requested {
            pipeline.stop()
            source.cancellation.cancel()
        }
    }
}
