import Foundation
import LocalCloud
import Modes
import TweetStream

/// An emulated tweet stream a scenario replays: a slice's tweets served by `TweetStreamService`
/// on the scenario's virtual clock, as Twitter's API v2 filtered stream would.
public struct TweetStreamSpec: Sendable {
    /// The stream's name in the scenario.
    public var name: String
    /// The tweets replayed, in order (looped when more are wanted).
    public var slice: SliceSpec
    /// How many tweets (nil: the slice's rows once).
    public var tweets: Int?
    /// Arrivals: rate, bursts, late tweets (seeded with the scenario's seed).
    public var arrivals: ArrivalSettings
    /// The filter rules in force from the start: (value, tag).
    public var rules: [(value: String, tag: String?)]
    /// Drop the connection after this many live tweets (nil: never).
    public var dropEvery: Int?
}

/// A streaming pipeline a scenario runs against an emulated stream, in the sandbox: connector,
/// workers, windowing stage, and autoscaler, stepped on the virtual clock.
public struct PipelineSpec: Sendable {
    /// The pipeline's name in the scenario.
    public var name: String
    /// The model it predicts with: a declared model and an alias or version of it.
    public var model: ModelSpec
    /// The alias or version used.
    public var aliasOrVersion: String
    /// The stream it reads.
    public var stream: TweetStreamSpec
    /// Topics, batches, workers, windows, trigger and watermark.
    public var settings: StreamingSettings
    /// Tweets one worker processes per second of virtual time (nil: as many as are waiting).
    /// With a rate, a burst builds a backlog that only more workers clear: what autoscaling is for.
    public var workerRate: Double?
    /// How far the clock moves between two rounds of the pipeline.
    public var tick: Duration
}

/// A `stream` step: the stream runs for `duration` of virtual time, the pipeline keeping up.
public struct StreamStep: Sendable {
    /// The pipeline.
    public var pipeline: PipelineSpec
    /// How long.
    public var duration: Duration
}

/// A `watermark` step: the windowing stage's watermark moves (Beam's `advanceWatermarkTo`), or
/// jumps to the end of time, firing every window left (`end: true`).
public struct WatermarkStep: Sendable {
    /// The pipeline.
    public var pipeline: PipelineSpec
    /// Where the watermark goes; nil: the end of the stream.
    public var to: Instant?
}

/// A `kill` step: a worker process (`rehearse stream-worker`) leases a batch and is killed with
/// SIGKILL before it acks; its lease runs out and the batch is delivered again.
public struct KillStep: Sendable {
    /// The pipeline.
    public var pipeline: PipelineSpec
    /// Which worker (1-based, for the record).
    public var worker: Int
    /// Whether it is killed after storing its batch's predictions (the costliest moment) or
    /// before.
    public var afterWrite: Bool
}

/// A `publish` step: messages put straight onto a topic (poison tweets, say).
public struct PublishStep: Sendable {
    /// The topic.
    public var topic: String
    /// Each message's bytes, as written.
    public var messages: [String]
}
