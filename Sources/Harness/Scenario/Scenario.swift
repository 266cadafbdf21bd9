import Foundation
import Corpus
import LocalCloud
import ModelCore
import Modes
import TweetStream

/// A parsed and resolved scenario file: the cloud to build, the data and models to prepare, and
/// the transcript of steps to rehearse. See `docs/scenarios.md` for the file format.
///
/// Resolved means that nothing in it is looked up by name again: a step, schedule or capture
/// holds the job, model or slice it refers to (the parser refused any name that is not
/// declared), and every closed set of words (split, algorithm, format, expectation) is an enum.
public struct Scenario: Sendable {
    /// The scenario's name: its golden folder, `golden/<name>/`.
    public var name: String
    /// Where the name is written in the file, for errors about it (a name used twice).
    public var nameLocation: SourceLocation
    public var description: String
    /// Free-form labels for `rehearse run --tag`.
    public var tags: [String]
    /// The seed of every random choice in the scenario (samples, training, faults).
    public var seed: UInt64
    /// Where the virtual clock starts.
    public var start: Instant
    /// The scenario file, as found.
    public var file: String
    /// The folder relative paths in the file are resolved against.
    public var folder: String
    /// The cloud to create before the first step.
    public var cloud: CloudSpec
    /// Named data slices, in file order.
    public var slices: [SliceSpec]
    /// Models to train or load and register, in file order.
    public var models: [ModelSpec]
    /// Batch jobs that steps and schedules run, by name.
    public var jobs: [BatchJobSpec]
    /// Jobs that run a command of the user's (`exec:` under `jobs`), by name.
    public var execJobs: [ExecSpec]
    /// Inference services that steps start, ask and signal.
    public var services: [ServiceSpec]
    /// Emulated tweet streams.
    public var streams: [TweetStreamSpec]
    /// Streaming pipelines (at most one) reading those streams.
    public var pipelines: [PipelineSpec]
    /// The automated-ML loop, if the scenario has one.
    public var automl: AutoMLSpec?
    /// The transcript.
    public var steps: [Step]

    /// Whether anything runs a command of the user's (so the sandbox is served over the wire).
    public var runsCommands: Bool {
        !execJobs.isEmpty || steps.contains { if case .exec = $0.action { true } else { false } }
    }

    /// The captures the steps declare, in order: what the golden folder should hold.
    public var captures: [CaptureStep] {
        steps.compactMap { if case .capture(let capture) = $0.action { capture } else { nil } }
    }
}

/// A 1-based line and column in a scenario file.
public struct SourceLocation: Sendable, Equatable {
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// The emulated cloud a scenario starts with.
public struct CloudSpec: Sendable {
    /// Buckets to create.
    public var buckets: [String]
    /// Topics to create.
    public var topics: [TopicSpec]
    /// Subscriptions to create.
    public var subscriptions: [SubscriptionSpec]
    /// Cron schedules that run jobs (batch or exec) as the clock advances.
    public var schedules: [ScheduleSpec]
    /// Object-store faults injected from the start (seeded with the scenario seed).
    public var faultRates: [FaultKind: Double]
}

/// A topic to create.
public struct TopicSpec: Sendable {
    /// The topic's name.
    public var name: String
    /// Its settings.
    public var options: TopicOptions
}

/// A subscription to create.
public struct SubscriptionSpec: Sendable {
    /// The subscription's name.
    public var name: String
    /// The topic it receives from.
    public var topic: String
    /// Its settings.
    public var options: SubscriptionOptions
}

/// A cron schedule that runs a job.
public struct ScheduleSpec: Sendable {
    /// The schedule's name.
    public var name: String
    /// When it fires.
    public var cron: CronSchedule
    /// The job it runs.
    public var job: ScheduledWork
}

/// A deterministic selection of labelled rows: from the tweet corpus or from a CSV file.
public struct SliceSpec: Sendable {
    /// Where the rows come from.
    public enum Source: Sendable, Equatable {
        /// One side of the corpus's fixed split.
        case corpus(split: CorpusSplit)
        /// Every row of the corpus.
        case wholeCorpus
        /// A CSV file with columns `id,sentiment,text`, relative to the scenario's folder.
        case file(String)
    }

    /// The slice's name.
    public var name: String
    /// Where its rows come from.
    public var source: Source
    /// Keep only rows with these labels (all rows when empty), before sampling: a class-skewed slice.
    public var labels: [String]
    /// Keep this many rows sampled with the scenario seed (in their original order).
    public var sample: Int?
    /// Drop this many rows first (after sampling), so slices can be disjoint runs of rows.
    public var skip: Int
    /// Keep the first this many rows (after sampling and skipping).
    public var first: Int?
    /// Repeat the rows this many times (ids get a `-<n>` suffix after the first round).
    public var repeatCount: Int
}

/// A model to prepare and register.
public struct ModelSpec: Sendable {
    /// Where the model comes from.
    public enum Source: Sendable {
        /// Trained in the scenario on a slice.
        case train(slice: SliceSpec, algorithm: Algorithm)
        /// An artifact file, relative to the scenario's folder.
        case file(String)
    }

    /// The registered model name.
    public var name: String
    /// The bucket of its registry.
    public var bucket: String
    /// Where the model comes from.
    public var source: Source
    /// Aliases pointing at the registered version.
    public var aliases: [String]
    /// 1-based line of the model's entry in the file, for errors.
    public var line: Int
}

/// One step of the transcript, with where it is in the file.
public struct Step: Sendable {
    /// What the step does.
    public var action: StepAction
    /// 1-based line of the step in the file, for errors.
    public var line: Int
}

/// What a step does.
public enum StepAction: Sendable {
    /// Put an object from a file or a slice.
    case put(bucket: String, key: String, content: PutContent)
    /// Copy an object.
    case copy(fromBucket: String, from: String, toBucket: String, to: String)
    /// Run a batch job now, expecting it to succeed or (when a fault is meant to make it) fail.
    case run(job: BatchJobSpec, expect: JobExpectation)
    /// Move the clock (firing due schedules on the way).
    case advance(Duration)
    /// Point an alias at a version.
    case alias(model: ModelSpec, alias: String, version: Int)
    /// Arm a fault for the next run of a job.
    case fault(job: BatchJobSpec, faults: BatchFaults)
    /// Capture an output under a name.
    case capture(CaptureStep)
    /// Start a service (or, for a target, wait until it is ready).
    case serve(ServiceSpec)
    /// Send requests to a service one after another, keeping the responses.
    case request(RequestStep)
    /// Replay a slice through a service on concurrent connections.
    case load(LoadStep)
    /// Send true labels for rows sent earlier.
    case feedback(FeedbackStep)
    /// Drain a started service (SIGTERM) and wait for it to exit.
    case drain(ServiceSpec)
    /// Let a pipeline's stream run for a while on the virtual clock.
    case stream(StreamStep)
    /// Move a pipeline's watermark, or end its stream.
    case watermark(WatermarkStep)
    /// Kill a worker process holding a batch.
    case kill(KillStep)
    /// Put messages straight onto a topic.
    case publish(PublishStep)
    /// Pause the automl loop's schedule for a while.
    case outage(OutageStep)
    /// Run a command of the user's against the sandbox (an `exec` step, or `run` of an exec job).
    case exec(ExecSpec, expect: JobExpectation)
}

/// The content of a put step.
public enum PutContent: Sendable {
    /// A file relative to the scenario's folder.
    case file(String)
    /// A slice written as CSV (`id,sentiment,text`) or JSON Lines.
    case slice(SliceSpec, format: SliceFormat)
}

/// How a `put` step writes a slice.
public enum SliceFormat: String, Sendable, Equatable, CaseIterable {
    /// CSV with the header `id,sentiment,text`.
    case csv
    /// JSON Lines records `{"id","sentiment","text"}`.
    case jsonl
}

/// What a `run` step expects of its job.
public enum JobExpectation: String, Sendable, Equatable, CaseIterable {
    /// The job must succeed (the default); a command must exit with status 0.
    case success
    /// The job must fail (an armed fault kills it, say); a command must exit non-zero, be
    /// killed by a signal or time out.
    case failure
}

/// A capture step: a name, what to capture, and how to normalise it before comparing.
public struct CaptureStep: Sendable {
    /// The golden file's base name.
    public var name: String
    /// What is captured.
    public var source: CaptureSource
    /// Redactions, tolerances and order-insensitivity.
    public var normalisation: Normalisation
}

/// What a capture reads.
public enum CaptureSource: Sendable {
    /// One object: `.jsonl` as records, `.json` as one record, anything else as text.
    case object(bucket: String, key: String)
    /// The listing under a prefix: key, size and MD5 of each object.
    case objects(bucket: String, prefix: String)
    /// A job's manifest (as records: summary, then inputs, then shards).
    case manifest(job: BatchJobSpec)
    /// A job's predictions, optionally only the ids of a slice, optionally only the first N.
    case predictions(job: BatchJobSpec, slice: SliceSpec?, first: Int?)
    /// A job's rejects.
    case rejects(job: BatchJobSpec)
    /// Classification metrics of a job's predictions against a slice's labels, joined by id.
    case metrics(job: BatchJobSpec, slice: SliceSpec)
    /// Every run summary of a job so far.
    case summaries(job: BatchJobSpec)
    /// The operation ledger's counts.
    case ledger
    /// The registry's versions and aliases of a model.
    case registry(model: ModelSpec)
    /// The responses kept under a request name: status, chosen headers, body.
    case responses(name: String, headers: [String])
    /// A load's deterministic summary: counts by status and label, model ids seen, switches.
    case load(name: String)
    /// The messages waiting on a subscription (not consumed): their bodies and attributes.
    case messages(subscription: String)
    /// Online predictions of a request name compared with a batch job's and the model core's.
    case parity(responses: String, job: BatchJobSpec)
    /// A drained service's exit: status and whether every accepted request was answered.
    case service(ServiceSpec)
    /// A pipeline's window panes, as its sink holds them (in key order).
    case panes(PipelineSpec)
    /// A pipeline's stored predictions, in tweet id order, optionally only the first N.
    case streamPredictions(PipelineSpec, first: Int?)
    /// The messages a pipeline dead-lettered, with their reasons.
    case deadLetters(PipelineSpec)
    /// A pipeline's autoscaling decisions.
    case scaling(PipelineSpec)
    /// A pipeline's ingest: connections, drops, heartbeats, tweets sent and stored.
    case ingest(PipelineSpec)
    /// The automl loop's weekly table: per policy and week, the campaign's outcome and the decision.
    case weeks(AutoMLSpec)
    /// The history of every automl policy's model: each training, its data, baseline and outcome.
    case retrains(AutoMLSpec)
    /// Per automl policy: buyers reached, mean hit rate and lift, retrains used.
    case policies(AutoMLSpec)
    /// Every run so far of the commands named NAME: when, exit status, stdout and stderr.
    case exec(name: String)
    /// The estimated bill so far at these prices: requests, storage, queue (not compute, which
    /// is measured and so only in the report).
    case cost(PriceSheet)

    /// The golden file format this capture is kept in: text for an object that is not
    /// `.json` or `.jsonl` and for a command's runs, JSON Lines for everything else.
    public var goldenFormat: GoldenFormat {
        switch self {
        case .object(_, let key) where !(key.hasSuffix(".json") || key.hasSuffix(".jsonl")): .text
        case .exec: .text
        default: .jsonLines
        }
    }
}

extension Scenario {
    /// The version of Foundation's time-zone database when a schedule runs in a zone other than
    /// UTC (its firing times then follow that database's rules); `nil` otherwise.
    public var timeZoneDataVersion: String? {
        let zoned = cloud.schedules.contains { $0.cron.timeZoneIdentifier != "UTC" } || (automl.map { $0.schedule.timeZoneIdentifier != "UTC" } ?? false)
        return zoned ? TimeZone.timeZoneDataVersion : nil
    }
}
