/// Why a streaming step could not run.
enum StreamingError: Error, CustomStringConvertible {
    /// The emulated stream did not start listening.
    case streamDidNotStart(String)
    /// The connector did not take in what the stream sent within the time allowed.
    case ingestStalled(sent: Int, published: Int, waited: Duration, state: String)
    /// The stream or the connector stopped with an error.
    case stopped(String)
    /// A worker process did not reach the point it was to be killed at.
    case workerDidNotPause(status: Int32, log: String)
    /// A worker process to be killed found no message to lease on this subscription.
    case nothingToLease(subscription: String)

    var description: String {
        switch self {
        case .streamDidNotStart(let detail): "the emulated tweet stream did not start: \(detail)"
        case .ingestStalled(let sent, let published, let waited, let state):
            "the ingest connector published \(published) of the \(sent) lines the stream sent, and nothing moved for \(waited) (\(state))"
        case .stopped(let detail): "the stream's ingest stopped: \(detail)"
        case .workerDidNotPause(let status, let log):
            "the worker process ended (status \(status)) before it held a batch; its log ends:\n\(log)"
        case .nothingToLease(let subscription):
            "the worker to be killed found no message to lease on \(subscription): the pipeline's workers had taken every tweet "
                + "sent so far. A kill step needs a backlog: give the pipeline a worker_rate below the stream's rate, and kill "
                + "after a stream step, before the workers catch up (as scenarios/stream-worker-crash.yaml does)"
        }
    }
}
