import Foundation
import LocalCloud
import Modes
import TweetStream
import Yams

/// The words of streaming scenarios: emulated tweet streams, pipelines, the steps that move
/// them, and their captures.
enum StreamingSteps {
    /// Step kinds.
    static let kinds = ["stream", "watermark", "kill", "publish"]
    /// Capture kinds.
    static let captureKinds = ["panes", "stream_predictions", "dead_letters", "scaling", "ingest"]
}

extension ScenarioBuilder {
    /// A stream declared under `streams`.
    func buildStream(_ node: Node, seed: UInt64, slices: [String: SliceSpec]) throws(ScenarioError) -> TweetStreamSpec {
        let fields = try YAMLFields(node, file: file, what: "a stream",
                                    allowed: ["name", "slice", "tweets", "rate", "bursts", "late", "rules", "drop_every"])
        let name = try fields.requiredString("name")
        let sliceName = try fields.requiredString("slice")
        guard let slice = slices[sliceName] else {
            throw YAMLFields.error(file, try fields.required("slice"), "slice \"\(sliceName)\" is not declared under \"slices\"")
        }
        let rate = try fields.double("rate") ?? 1
        guard rate > 0, rate <= 1_000_000 else { throw YAMLFields.error(file, fields.node("rate")!, "\"rate\" is tweets per second of stream time, above 0 and at most 1,000,000") }
        var bursts: [Burst] = []
        for item in try fields.list("bursts") {
            let burst = try YAMLFields(item, file: file, what: "a burst", allowed: ["start", "duration", "multiplier"])
            guard let start = try duration(burst, "start"), let length = try duration(burst, "duration") else {
                throw YAMLFields.error(file, item, "a burst needs \"start\" and \"duration\" (durations from the stream's start)")
            }
            guard let multiplier = try burst.double("multiplier"), multiplier > 0 else {
                throw YAMLFields.error(file, burst.node("multiplier") ?? item, burst.node("multiplier") == nil
                                       ? "a burst needs \"multiplier\": the factor on the rate, above 0"
                                       : "a burst's \"multiplier\" must be above 0 (the factor on the rate)")
            }
            bursts.append(Burst(start: start, duration: length, multiplier: multiplier))
        }
        var late: LateArrivals?
        if let node = fields.node("late") {
            let settings = try YAMLFields(node, file: file, what: "\"late\"", allowed: ["fraction", "max_delay"])
            guard let fraction = try settings.double("fraction"), (0...1).contains(fraction) else {
                throw YAMLFields.error(file, settings.node("fraction") ?? node, settings.node("fraction") == nil
                                       ? "\"late\" needs \"fraction\": the share of late tweets, 0 to 1"
                                       : "\"fraction\" must be from 0 to 1 (the share of late tweets)")
            }
            guard let delay = try duration(settings, "max_delay"), delay > .zero else {
                throw YAMLFields.error(file, settings.node("max_delay") ?? node, settings.node("max_delay") == nil
                                       ? "\"late\" needs \"max_delay\": the longest delay, such as 3m"
                                       : "\"max_delay\" must be longer than 0, such as 3m")
            }
            late = LateArrivals(fraction: fraction, maxDelay: delay)
        }
        let arrivals = ArrivalSettings(seed: seed, rate: rate, bursts: bursts, late: late)
        do { try arrivals.validate() } catch { throw YAMLFields.error(file, node, "stream \"\(name)\": \(error)") }
        var rules: [(value: String, tag: String?)] = []
        for item in try fields.list("rules") {
            let rule = try YAMLFields(item, file: file, what: "a rule", allowed: ["value", "tag"])
            let value = try rule.requiredString("value")
            do { _ = try RuleParser.parse(value) } catch {
                throw YAMLFields.error(file, try rule.required("value"), "rule \"\(value)\" is not valid: \(error)")
            }
            rules.append((value, try rule.string("tag")))
        }
        guard !rules.isEmpty else {
            throw YAMLFields.error(file, node, "stream \"\(name)\" needs \"rules\": a tweet is streamed only when a rule matches it (value, tag)")
        }
        let tweets = try fields.int("tweets", minimum: 1, maximum: ReplaySchedule.maximumCount)
        return TweetStreamSpec(name: name, slice: slice, tweets: tweets, arrivals: arrivals,
                               rules: rules, dropEvery: try fields.int("drop_every", minimum: 1))
    }

    /// A pipeline declared under `pipelines`.
    func buildPipeline(_ node: Node, models: [String: ModelSpec], streams: [String: TweetStreamSpec]) throws(ScenarioError) -> PipelineSpec {
        let fields = try YAMLFields(node, file: file, what: "a pipeline", allowed: [
            "name", "model", "stream", "workers", "autoscale", "worker_rate", "batch_size", "max_delivery_attempts", "ack_deadline",
            "windows", "trigger", "watermark_delay", "tick"])
        let name = try fields.requiredString("name")
        let modelText = try fields.requiredString("model")
        guard let reference = ModelReference(modelText) else {
            throw YAMLFields.error(file, try fields.required("model"), "\"model\" is name@alias or name@version, such as sentiment@production")
        }
        guard let model = models[reference.name] else {
            throw YAMLFields.error(file, try fields.required("model"), "model \"\(reference.name)\" is not declared under \"models\"")
        }
        let streamName = try fields.requiredString("stream")
        guard let stream = streams[streamName] else {
            throw YAMLFields.error(file, try fields.required("stream"), "stream \"\(streamName)\" is not declared under \"streams\"")
        }
        var settings = StreamingSettings()
        settings.batchSize = try fields.int("batch_size", minimum: 1) ?? 100
        settings.maxDeliveryAttempts = try fields.int("max_delivery_attempts", minimum: 1) ?? 3
        if let deadline = try duration(fields, "ack_deadline") {
            guard (Duration.seconds(1)...Duration.seconds(600)).contains(deadline) else {
                throw YAMLFields.error(file, fields.node("ack_deadline")!, "\"ack_deadline\" must be 1s to 600s (10m), like Pub/Sub's")
            }
            settings.ackDeadline = deadline
        }
        if fields.has("workers") && fields.has("autoscale") {
            throw YAMLFields.error(file, fields.node("autoscale")!, "give \"workers\" (a fixed count) or \"autoscale\", not both")
        }
        settings.workers = .fixed(try fields.int("workers", minimum: 1) ?? 2)
        if let node = fields.node("autoscale") {
            let scale = try YAMLFields(node, file: file, what: "\"autoscale\"", allowed: [
                "min_workers", "max_workers", "target_backlog_per_worker", "max_oldest_unacked_age", "cool_down", "every"])
            let minimum = try scale.int("min_workers", minimum: 1) ?? 1
            let maximum = try scale.int("max_workers", minimum: 1) ?? 4
            let target = try scale.int("target_backlog_per_worker", minimum: 1) ?? 100
            let age = try duration(scale, "max_oldest_unacked_age")
            let coolDown = try duration(scale, "cool_down") ?? .seconds(60)
            let every = try duration(scale, "every") ?? .seconds(10)
            guard every > .zero else {
                throw YAMLFields.error(file, scale.node("every")!, "\"every\" is how often the workers are sized: a positive duration, such as 10s")
            }
            do throws(AutoscalingPolicyError) {
                let policy = try AutoscalingPolicy(minWorkers: minimum, maxWorkers: maximum, targetBacklogPerWorker: target,
                                                   maxOldestUnackedAge: age, coolDown: coolDown)
                settings.workers = .autoscaled(policy, every: every)
            } catch {
                throw YAMLFields.error(file, node, error.description)
            }
        }
        var workerRate: Double?
        if let rate = try fields.double("worker_rate") {
            guard rate > 0 else { throw YAMLFields.error(file, fields.node("worker_rate")!, "\"worker_rate\" is tweets per second of virtual time, above 0") }
            workerRate = rate
        }
        if let node = fields.node("windows") {
            let windows = try YAMLFields(node, file: file, what: "\"windows\"", allowed: ["tumbling", "sliding"])
            settings.windows = []
            if let size = try duration(windows, "tumbling") { settings.windows.append(.tumbling(size: size)) }
            if let sliding = windows.node("sliding") {
                let spec = try YAMLFields(sliding, file: file, what: "\"sliding\"", allowed: ["size", "every"])
                guard let size = try duration(spec, "size"), let every = try duration(spec, "every") else {
                    throw YAMLFields.error(file, sliding, "\"sliding\" needs \"size\" and \"every\", such as {size: 5m, every: 1m}")
                }
                settings.windows.append(.sliding(size: size, period: every))
            }
            guard !settings.windows.isEmpty else { throw YAMLFields.error(file, node, "\"windows\" needs \"tumbling\", \"sliding\" or both") }
        }
        if let node = fields.node("trigger") {
            let trigger = try YAMLFields(node, file: file, what: "\"trigger\"", allowed: ["allowed_lateness", "early_every", "early_after", "accumulation"])
            var early: EarlyFiring?
            let count = try trigger.int("early_every", minimum: 1)
            let interval = try duration(trigger, "early_after")
            if count != nil || interval != nil { early = EarlyFiring(everyCount: count, everyProcessingTime: interval) }
            let accumulation: AccumulationMode
            switch try trigger.string("accumulation") ?? "discarding" {
            case "accumulating": accumulation = .accumulating
            case "discarding": accumulation = .discarding
            default: throw YAMLFields.error(file, trigger.node("accumulation")!, "\"accumulation\" is accumulating or discarding")
            }
            settings.trigger = TriggerSpec(allowedLateness: try duration(trigger, "allowed_lateness") ?? .zero, early: early, accumulation: accumulation)
        }
        settings.watermarkDelay = try duration(fields, "watermark_delay") ?? .seconds(10)
        do { _ = try settings.windowingEngine() } catch {
            let (key, place) = Self.yamlPlace(of: error.field, windows: settings.windows, in: fields)
            throw YAMLFields.error(file, place ?? fields.node("windows") ?? node, "pipeline \"\(name)\": invalid \"\(key)\": \(error.reason)")
        }
        let tick = try duration(fields, "tick") ?? .seconds(1)
        guard tick > .zero else { throw YAMLFields.error(file, fields.node("tick")!, "\"tick\" must be longer than 0") }
        return PipelineSpec(name: name, model: model, aliasOrVersion: reference.aliasOrVersion, stream: stream, settings: settings,
                            workerRate: workerRate, tick: tick)
    }

    /// The key in a pipeline's YAML of the setting `WindowingEngine` names `field` in its own
    /// words (`windows[1].period`, `trigger.early.everyCount`, `watermarkDelay`), and its node
    /// when it is written there.
    private static func yamlPlace(of field: String, windows: [WindowSpec], in pipeline: YAMLFields) -> (key: String, node: Node?) {
        let child = YAMLFields.child
        let windowsNode = pipeline.node("windows"), triggerNode = pipeline.node("trigger")
        if field.hasPrefix("windows["), let close = field.firstIndex(of: "]"),
           let index = Int(field[field.index(field.startIndex, offsetBy: 8)..<close]), windows.indices.contains(index) {
            switch windows[index] {
            case .tumbling:
                return ("windows.tumbling", child(windowsNode, "tumbling"))
            case .sliding:
                let sliding = child(windowsNode, "sliding")
                switch field[field.index(after: close)...] {
                case ".size": return ("windows.sliding.size", child(sliding, "size"))
                case ".period": return ("windows.sliding.every", child(sliding, "every"))
                default: return ("windows.sliding", sliding)
                }
            }
        }
        switch field {
        case "trigger.allowedLateness": return ("trigger.allowed_lateness", child(triggerNode, "allowed_lateness"))
        case "trigger.early.everyCount": return ("trigger.early_every", child(triggerNode, "early_every"))
        case "trigger.early.everyProcessingTime": return ("trigger.early_after", child(triggerNode, "early_after"))
        case "watermarkDelay": return ("watermark_delay", pipeline.node("watermark_delay"))
        default: return field.hasPrefix("trigger") ? ("trigger", triggerNode) : ("windows", windowsNode)
        }
    }

    /// One of the streaming steps (`kind` is in `StreamingSteps.kinds`).
    func buildStreamingStep(_ kind: String, _ body: Node, context: StepContext) throws(ScenarioError) -> StepAction {
        switch kind {
        case "stream":
            let fields = try YAMLFields(body, file: file, what: "\"stream\"", allowed: ["pipeline", "for"])
            guard let length = try duration(fields, "for"), length > .zero else {
                throw YAMLFields.error(file, fields.node("for") ?? body, fields.node("for") == nil
                                       ? "\"stream\" needs \"for\": how long the stream runs, such as 10m"
                                       : "\"for\" must be longer than 0: how long the stream runs, such as 10m")
            }
            return .stream(StreamStep(pipeline: try fields.declared("pipeline", in: context.pipelines), duration: length))
        case "watermark":
            let fields = try YAMLFields(body, file: file, what: "\"watermark\"", allowed: ["pipeline", "to", "end"])
            let pipeline = try fields.declared("pipeline", in: context.pipelines)
            if try fields.bool("end") == true {
                guard !fields.has("to") else { throw YAMLFields.error(file, fields.node("to")!, "give \"to\" or \"end: true\", not both") }
                return .watermark(WatermarkStep(pipeline: pipeline, to: nil))
            }
            guard let text = try fields.string("to") else {
                throw YAMLFields.error(file, body, "\"watermark\" needs \"to\" (an ISO 8601 instant) or \"end: true\"")
            }
            guard let instant = Instant(iso8601: text) else {
                throw YAMLFields.error(file, fields.node("to")!, "\"to\" is an ISO 8601 instant such as 2026-05-04T12:45:00Z, not \"\(text)\"")
            }
            return .watermark(WatermarkStep(pipeline: pipeline, to: instant))
        case "kill":
            let fields = try YAMLFields(body, file: file, what: "\"kill\"", allowed: ["pipeline", "worker", "after"])
            let after = try fields.string("after") ?? "write"
            guard ["write", "pull"].contains(after) else {
                throw YAMLFields.error(file, fields.node("after")!, "\"after\" is write (killed once its batch is stored, before the ack) or pull")
            }
            return .kill(KillStep(pipeline: try fields.declared("pipeline", in: context.pipelines), worker: try fields.int("worker", minimum: 1) ?? 1,
                                  afterWrite: after == "write"))
        default:  // publish
            let fields = try YAMLFields(body, file: file, what: "\"publish\"", allowed: ["topic", "messages"])
            let topic = try fields.requiredString("topic")
            guard context.topics.contains(topic) else {
                throw YAMLFields.error(file, try fields.required("topic"), "topic \"\(topic)\" is not declared under cloud.topics or made by a pipeline")
            }
            let messages = try fields.strings("messages")
            guard !messages.isEmpty else {
                throw YAMLFields.error(file, fields.node("messages") ?? body, fields.has("messages")
                                       ? "\"messages\" lists at least one message: the bytes of each, as text"
                                       : "\"publish\" needs \"messages\": the bytes of each, as text")
            }
            return .publish(PublishStep(topic: topic, messages: messages))
        }
    }

    /// One of the streaming captures (`kind` is in `StreamingSteps.captureKinds`).
    func buildStreamingCapture(_ kind: String, _ body: Node, context: StepContext) throws(ScenarioError) -> CaptureSource {
        if kind == "stream_predictions", case .mapping = body {
            let fields = try YAMLFields(body, file: file, what: "\"stream_predictions\"", allowed: ["pipeline", "first"])
            return .streamPredictions(try fields.declared("pipeline", in: context.pipelines), first: try fields.int("first", minimum: 1))
        }
        let pipeline = try YAMLFields.declared(body, file: file, kind: "pipeline", in: context.pipelines)
        switch kind {
        case "panes": return .panes(pipeline)
        case "stream_predictions": return .streamPredictions(pipeline, first: nil)
        case "dead_letters": return .deadLetters(pipeline)
        case "scaling": return .scaling(pipeline)
        default: return .ingest(pipeline)
        }
    }
}
