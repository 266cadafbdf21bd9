import LocalCloud

/// What a running pipeline has done so far: for the live status line and the run's summary.
public struct StreamingStatus: Sendable, Equatable {
    /// The ingest connector's counts.
    public var ingest = IngestCounters()
    /// The workers' counts, summed.
    public var workers = PredictionWorker.BatchOutcome()
    /// Workers running now.
    public var workerCount = 0
    /// Tweets windowed by the windowing stage.
    public var windowed = 0
    /// Panes fired.
    public var panes = 0
    /// The windowing stage's watermark.
    public var watermark: Instant?
    /// Late tweets dropped, per rule tag.
    public var droppedLate: [String: Int] = [:]
    /// The autoscaler's decisions, in order.
    public var decisions: [ScalingDecision] = []

    /// Nothing yet.
    public init() {}
}
