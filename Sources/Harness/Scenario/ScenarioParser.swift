import Corpus
import Determinism
import Foundation
import LocalCloud
import ModelCore
import Modes
import Yams

/// Parses a scenario file into a resolved `Scenario` before anything runs: syntax, unknown keys,
/// types, object keys, missing files, and references to undeclared buckets, topics, slices,
/// models and jobs are each a `ScenarioError` naming the file, line and column. References come
/// out resolved (a step holds its job, model or slice), so running needs no second look-up.
public enum ScenarioParser {
    static let topLevelKeys = ["name", "description", "tags", "seed", "start", "cloud", "slices", "models", "jobs", "services", "streams", "pipelines", "automl", "steps"]
    static let stepKinds = ["put", "copy", "run", "advance", "alias", "fault", "capture"] + OnlineSteps.kinds + StreamingSteps.kinds + AutoMLSteps.kinds
        + ExecSteps.kinds
    static let captureKinds = ["object", "objects", "manifest", "predictions", "rejects", "metrics", "summary", "ledger", "registry", "cost"]
        + OnlineSteps.captureKinds + StreamingSteps.captureKinds + AutoMLSteps.captureKinds + ExecSteps.captureKinds

    /// Reads and validates the scenario file at `path`.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(file: path, line: 0, column: 0, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: path, line: 0, column: 0, message: "the file is not valid UTF-8")
        }
        let folder = PathText.parent(of: path)
        // "x.yaml" has no folder part: its files are beside it, in ".", not under "/".
        return try parse(text, file: path, folder: folder.isEmpty ? "." : folder)
    }

    /// Parses scenario text; `file` names it in errors and `folder` resolves relative paths.
    public static func parse(_ text: String, file: String, folder: String) throws(ScenarioError) -> Scenario {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ScenarioError(file: file, line: 1, column: 1, message: "the file is empty; a scenario needs at least a name and steps")
            }
            root = node
        } catch let error as ScenarioError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ScenarioError(file: file, line: 0, column: 0, message: "not valid YAML: \(error)")
        }
        return try ScenarioBuilder(file: file, folder: folder).build(root)
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ScenarioError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return ScenarioError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(prefix)\(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return ScenarioError(file: file, line: context.mark.line, column: context.mark.column,
                                 message: "key \(keys) appears more than once in the same mapping")
        default:
            return ScenarioError(file: file, line: 0, column: 0, message: "not valid YAML: \(error)")
        }
    }
}

/// Builds a `Scenario` from its YAML tree, checking as it goes. (Online steps and captures are
/// built in `OnlineSteps.swift`.)
struct ScenarioBuilder {
    let file: String
    let folder: String

    func build(_ root: Node) throws(ScenarioError) -> Scenario {
        let top = try YAMLFields(root, file: file, what: "the scenario", allowed: ScenarioParser.topLevelKeys, extensions: true)
        let name = try top.requiredString("name")
        do { try GoldenKey.validate(name, kind: "scenario") } catch {
            throw YAMLFields.error(file, try top.required("name"), error.description)
        }
        var seed: UInt64 = 0
        if let node = top.node("seed") {
            guard case .scalar(let scalar) = node, let value = UInt64(scalar.string) else {
                throw YAMLFields.error(file, node, "\"seed\" must be a whole number from 0 to 2^64-1")
            }
            seed = value
        }
        var start = Instant(iso8601: "2026-01-01T00:00:00Z")!
        if let node = top.node("start") {
            guard let instant = Instant(iso8601: try YAMLFields.string(node, file: file, what: "\"start\"")) else {
                throw YAMLFields.error(file, node, "\"start\" must be an ISO 8601 instant such as 2026-03-02T09:00:00Z")
            }
            start = instant
        }
        let (declaredCloud, schedules) = try buildCloud(top.node("cloud"))
        var cloud = declaredCloud
        let buckets = Set(cloud.buckets)
        let slices = try buildSlices(top.node("slices"))
        let slicesByName = Dictionary(uniqueKeysWithValues: slices.map { ($0.name, $0) })
        let models = try top.list("models").map { (node) throws(ScenarioError) in
            try buildModel(node, buckets: buckets, slices: slicesByName)
        }
        try checkVersions(models, nodes: try top.list("models"))
        let jobNodes = try top.list("jobs")
        let batchJobNodes = jobNodes.filter { !Self.isExecJob($0) }
        let execJobNodes = jobNodes.filter(Self.isExecJob)
        let automl = try top.node("automl").map { (node) throws(ScenarioError) in try buildAutoML(node, buckets: buckets, start: start) }
        // A batch job may score a declared model, or one the automated-ML loop trains.
        let loopModels = automl.map { spec in spec.settings.policies.filter(\.usesModel).map { spec.settings.modelName(of: $0) } } ?? []
        let jobs = try batchJobNodes.map { (node) throws(ScenarioError) in
            try buildJob(node, buckets: buckets, models: Set(models.map(\.name)), loopModels: loopModels)
        }
        let execJobs = try execJobNodes.map { (node) throws(ScenarioError) in try buildExecJob(node) }
        try unique(jobs.map(\.name) + execJobs.map(\.name), nodes: batchJobNodes + execJobNodes, what: "job")
        let modelsByName = Dictionary(models.map { ($0.name, $0) }) { first, _ in first }
        let services = try top.list("services").map { (node) throws(ScenarioError) in try buildService(node, models: modelsByName) }
        try unique(services.map(\.name), nodes: try top.list("services"), what: "service")
        let streams = try top.list("streams").map { (node) throws(ScenarioError) in
            try buildStream(node, seed: seed, slices: slicesByName)
        }
        try unique(streams.map(\.name), nodes: try top.list("streams"), what: "stream")
        let streamsByName = Dictionary(uniqueKeysWithValues: streams.map { ($0.name, $0) })
        let pipelines = try top.list("pipelines").map { (node) throws(ScenarioError) in
            try buildPipeline(node, models: modelsByName, streams: streamsByName)
        }
        if pipelines.count > 1 {
            throw YAMLFields.error(file, try top.list("pipelines")[1], "a scenario runs at most one pipeline (they would share the sandbox's topics and sink)")
        }
        let pipelineTopics = pipelines.flatMap { [$0.settings.tweetsTopic, $0.settings.panesTopic, $0.settings.deadLetterTopic] }
        let context = StepContext(buckets: buckets, slices: slicesByName, models: modelsByName,
                                  jobs: Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, $0) }),
                                  execJobs: Dictionary(uniqueKeysWithValues: execJobs.map { ($0.name, $0) }),
                                  services: Dictionary(uniqueKeysWithValues: services.map { ($0.name, $0) }),
                                  pipelines: Dictionary(uniqueKeysWithValues: pipelines.map { ($0.name, $0) }),
                                  topics: Set(cloud.topics.map(\.name) + pipelineTopics), automl: automl)
        for schedule in schedules {
            let work: ScheduledWork
            if let job = context.jobs[schedule.job] {
                work = .batch(job)
            } else if let command = context.execJobs[schedule.job] {
                work = .exec(command)
            } else {
                throw YAMLFields.error(file, schedule.jobNode,
                                       "schedule \"\(schedule.name)\" runs job \"\(schedule.job)\", which is not declared under \"jobs\"")
            }
            cloud.schedules.append(ScheduleSpec(name: schedule.name, cron: schedule.cron, job: work))
        }
        let stepNodes = try top.list("steps")
        guard !stepNodes.isEmpty else { throw YAMLFields.error(file, root, "the scenario needs \"steps\": a list of at least one step") }
        var steps: [Step] = []
        var captureNames: Set<String> = []
        var commandNames = Set(execJobs.map(\.name))
        for node in stepNodes {
            let step = try buildStep(node, context: context)
            if case .exec(let command, _) = step.action { commandNames.insert(command.name) }
            if case .capture(let capture) = step.action {
                guard captureNames.insert(capture.name).inserted else {
                    throw YAMLFields.error(file, node, "capture \"\(capture.name)\" is declared twice; capture names are golden file names")
                }
                if case .exec(let name) = capture.source, !commandNames.contains(name) {
                    throw YAMLFields.error(file, node, "capture \"\(capture.name)\" reads the runs of \"\(name)\", but no exec job and no earlier exec step has that name")
                }
            }
            steps.append(step)
        }
        try checkModelReferences(models: models, loopModels: loopModels, steps: steps, stepNodes: stepNodes)
        let nameNode = try top.required("name")
        return Scenario(
            name: name, nameLocation: SourceLocation(line: nameNode.mark?.line ?? 1, column: nameNode.mark?.column ?? 1),
            description: try top.string("description") ?? "", tags: try top.strings("tags"), seed: seed,
            start: start, file: file, folder: folder, cloud: cloud, slices: slices, models: models, jobs: jobs, execJobs: execJobs,
            services: services, streams: streams, pipelines: pipelines, automl: automl, steps: steps)
    }

    /// A model declared more than once registers its versions in file order (1, 2, …); all its
    /// declarations must use the same bucket.
    private func checkVersions(_ models: [ModelSpec], nodes: [Node]) throws(ScenarioError) {
        var buckets: [String: String] = [:]
        for (model, node) in zip(models, nodes) {
            if let bucket = buckets[model.name], bucket != model.bucket {
                throw YAMLFields.error(file, node, "model \"\(model.name)\" is declared again in bucket \"\(model.bucket)\", but its first declaration uses bucket \"\(bucket)\"; versions of a model share one registry")
            }
            buckets[model.name] = model.bucket
        }
    }

    /// A `run` step expected to succeed, a `serve` step of a service this run starts, and a
    /// `stream` step must use a model reference that exists at that point:
    /// an alias made by the model's declarations or an earlier `alias` step, or a version its
    /// declarations register (one each, in order). An `alias` step may point at such a version,
    /// or at one a `put` step stored by hand under the registry's keys (a corrupt artifact, say).
    /// Models the automated-ML loop trains (`loopModels`) are registered as the virtual clock
    /// fires its runs, so jobs that use them are checked when they run.
    private func checkModelReferences(models: [ModelSpec], loopModels: [String], steps: [Step], stepNodes: [Node]) throws(ScenarioError) {
        var aliases: [String: Set<String>] = [:]
        var versions: [String: Set<Int>] = [:]
        for model in models {
            aliases[model.name, default: []].formUnion(model.aliases)
            versions[model.name, default: []].insert((versions[model.name]?.count ?? 0) + 1)
        }
        for (step, node) in zip(steps, stepNodes) {
            switch step.action {
            case .put(let bucket, let key, _):
                for model in models where model.bucket == bucket && key.hasPrefix(ModelRegistry.keyPrefix + model.name + "/") {
                    let segment = key.dropFirst((ModelRegistry.keyPrefix + model.name + "/").count).prefix { $0 != "/" }
                    if let version = ModelRegistry.versionNumber(String(segment)) { versions[model.name, default: []].insert(version) }
                }
            case .alias(let model, let alias, let version):
                guard versions[model.name, default: []].contains(version) else {
                    let known = (versions[model.name] ?? []).sorted().map(String.init).joined(separator: ", ")
                    throw YAMLFields.error(file, node, "model \"\(model.name)\" has no version \(version) at this step (its versions: \(known))")
                }
                aliases[model.name, default: []].insert(alias)
            case .run(let job, let expect):
                guard expect == .success, !loopModels.contains(job.model.name) else { continue }
                try checkReference("job \"\(job.name)\"", model: job.model.name, aliasOrVersion: job.model.aliasOrVersion,
                                   aliases: aliases, versions: versions, node: node)
            case .serve(let service) where service.target == nil:
                try checkReference("service \"\(service.name)\"", model: service.model.name, aliasOrVersion: service.aliasOrVersion,
                                   aliases: aliases, versions: versions, node: node)
            case .stream(let step):
                try checkReference("pipeline \"\(step.pipeline.name)\"", model: step.pipeline.model.name,
                                   aliasOrVersion: step.pipeline.aliasOrVersion, aliases: aliases, versions: versions, node: node)
            default:
                continue
            }
        }
    }

    /// Checks that `user`'s `model@aliasOrVersion` names a version or alias the model has at the
    /// step at `node`.
    private func checkReference(_ user: String, model: String, aliasOrVersion: String, aliases: [String: Set<String>],
                                versions: [String: Set<Int>], node: Node) throws(ScenarioError) {
        if Int(aliasOrVersion) != nil {
            guard let version = ModelRegistry.versionNumber(aliasOrVersion) else {
                throw YAMLFields.error(file, node, "\(user) uses \(model)@\(aliasOrVersion), but versions are written 1, 2, 3, … (no sign, no leading zero)")
            }
            guard versions[model, default: []].contains(version) else {
                throw YAMLFields.error(file, node, "\(user) uses \(model)@\(aliasOrVersion), but model \"\(model)\" has no version \(version) at this step")
            }
        } else if !(aliases[model] ?? []).contains(aliasOrVersion) {
            let known = aliases[model] ?? []
            let have = known.isEmpty ? "it has no aliases yet" : "its aliases so far are " + known.sorted().joined(separator: ", ")
            throw YAMLFields.error(file, node, "\(user) uses \(model)@\(aliasOrVersion), but model \"\(model)\" has no alias \"\(aliasOrVersion)\" at this step (\(have))")
        }
    }

    // MARK: Cloud

    /// A schedule as written: its job is resolved once the jobs are known.
    private struct ScheduleDraft {
        let name: String
        let cron: CronSchedule
        let job: String
        let jobNode: Node
    }

    /// The cloud, without its schedules, and the schedules as written.
    private func buildCloud(_ node: Node?) throws(ScenarioError) -> (CloudSpec, [ScheduleDraft]) {
        var spec = CloudSpec(buckets: [], topics: [], subscriptions: [], schedules: [], faultRates: [:])
        var schedules: [ScheduleDraft] = []
        guard let node else { return (spec, schedules) }
        let fields = try YAMLFields(node, file: file, what: "\"cloud\"",
                                    allowed: ["buckets", "topics", "subscriptions", "schedules", "faults"])
        spec.buckets = try fields.strings("buckets")
        for (bucket, item) in zip(spec.buckets, try fields.list("buckets")) {
            do { try ObjectNaming.validate(bucket: bucket) } catch { throw YAMLFields.error(file, item, "\(error)") }
        }
        try unique(spec.buckets, nodes: try fields.list("buckets"), what: "bucket")
        for item in try fields.list("topics") {
            if case .scalar = item {
                spec.topics.append(TopicSpec(name: try YAMLFields.string(item, file: file, what: "a topic"), options: TopicOptions()))
                continue
            }
            let topic = try YAMLFields(item, file: file, what: "a topic", allowed: ["name", "dedup_window"])
            var options = TopicOptions()
            if let window = try duration(topic, "dedup_window") { options.deduplicationWindow = window }
            spec.topics.append(TopicSpec(name: try topic.requiredString("name"), options: options))
        }
        try unique(spec.topics.map(\.name), nodes: try fields.list("topics"), what: "topic")
        let topics = Set(spec.topics.map(\.name))
        for item in try fields.list("subscriptions") {
            let sub = try YAMLFields(item, file: file, what: "a subscription",
                                     allowed: ["name", "topic", "ack_deadline", "max_delivery_attempts", "dead_letter_topic"])
            let topic = try sub.requiredString("topic")
            guard topics.contains(topic) else {
                throw YAMLFields.error(file, try sub.required("topic"), "topic \"\(topic)\" is not declared under cloud.topics")
            }
            var options = SubscriptionOptions()
            if let deadline = try duration(sub, "ack_deadline") {
                guard (Duration.seconds(1)...Duration.seconds(600)).contains(deadline) else {
                    throw YAMLFields.error(file, sub.node("ack_deadline")!, "\"ack_deadline\" must be 1s to 600s (10m), like Pub/Sub's")
                }
                options.ackDeadline = deadline
            }
            options.maxDeliveryAttempts = try sub.int("max_delivery_attempts", minimum: 1)
            if let deadLetter = try sub.string("dead_letter_topic") {
                guard topics.contains(deadLetter) else {
                    throw YAMLFields.error(file, try sub.required("dead_letter_topic"), "topic \"\(deadLetter)\" is not declared under cloud.topics")
                }
                guard options.maxDeliveryAttempts != nil else {
                    throw YAMLFields.error(file, try sub.required("dead_letter_topic"),
                                           "\"dead_letter_topic\" needs \"max_delivery_attempts\" (after how many deliveries a message goes there)")
                }
                options.deadLetterTopic = deadLetter
            }
            spec.subscriptions.append(SubscriptionSpec(name: try sub.requiredString("name"), topic: topic, options: options))
        }
        try unique(spec.subscriptions.map(\.name), nodes: try fields.list("subscriptions"), what: "subscription")
        for item in try fields.list("schedules") {
            let schedule = try YAMLFields(item, file: file, what: "a schedule", allowed: ["name", "cron", "time_zone", "job"])
            let cron: CronSchedule
            do {
                cron = try CronSchedule(try schedule.requiredString("cron"), timeZone: try schedule.string("time_zone") ?? "UTC")
            } catch let error as ScenarioError {
                throw error
            } catch {
                throw YAMLFields.error(file, try schedule.required("cron"), "\(error)")
            }
            schedules.append(ScheduleDraft(name: try schedule.requiredString("name"), cron: cron,
                                           job: try schedule.requiredString("job"), jobNode: try schedule.required("job")))
        }
        try unique(schedules.map(\.name), nodes: try fields.list("schedules"), what: "schedule")
        if let faults = fields.node("faults") {
            let kinds = FaultKind.allCases.map(\.rawValue)
            let rates = try YAMLFields(faults, file: file, what: "\"faults\"", allowed: kinds)
            for kind in FaultKind.allCases {
                guard let rate = try rates.double(kind.rawValue) else { continue }
                guard (0...1).contains(rate) else {
                    throw YAMLFields.error(file, rates.node(kind.rawValue)!, "a fault rate is a probability from 0 to 1")
                }
                spec.faultRates[kind] = rate
            }
        }
        return (spec, schedules)
    }

    // MARK: Slices and models

    private func buildSlices(_ node: Node?) throws(ScenarioError) -> [SliceSpec] {
        guard let node else { return [] }
        guard case .mapping(let mapping) = node else {
            throw YAMLFields.error(file, node, "\"slices\" must be a mapping of slice names to definitions")
        }
        var slices: [SliceSpec] = []
        for (key, value) in try YAMLFields.entries(of: mapping, file: file) {
            let name = try YAMLFields.string(key, file: file, what: "a slice name")
            guard !slices.contains(where: { $0.name == name }) else { throw YAMLFields.error(file, key, "slice \"\(name)\" is declared twice") }
            let fields = try YAMLFields(value, file: file, what: "slice \"\(name)\"", allowed: ["split", "file", "labels", "sample", "skip", "first", "repeat"])
            let source: SliceSpec.Source
            switch (try fields.string("split"), try fields.string("file")) {
            case (let split?, nil):
                if split == "all" {
                    source = .wholeCorpus
                } else if let side = CorpusSplit(rawValue: split) {
                    source = .corpus(split: side)
                } else {
                    throw YAMLFields.error(file, try fields.required("split"), "\"split\" is train, test or all, not \"\(split)\"")
                }
            case (nil, let path?):
                try checkFile(path, at: fields.node("file")!)
                source = .file(path)
            default:
                throw YAMLFields.error(file, value, "slice \"\(name)\" needs exactly one of \"split\" (the tweet corpus) or \"file\" (a CSV with id,sentiment,text)")
            }
            slices.append(SliceSpec(name: name, source: source, labels: try fields.strings("labels"),
                                    sample: try fields.int("sample", minimum: 1), skip: try fields.int("skip") ?? 0,
                                    first: try fields.int("first", minimum: 1), repeatCount: try fields.int("repeat", minimum: 1) ?? 1))
        }
        return slices
    }

    private func buildModel(_ node: Node, buckets: Set<String>, slices: [String: SliceSpec]) throws(ScenarioError) -> ModelSpec {
        let fields = try YAMLFields(node, file: file, what: "a model", allowed: ["name", "bucket", "train", "file", "aliases"])
        let name = try fields.requiredString("name")
        let bucket = try bucketReference(fields, "bucket", buckets: buckets)
        let source: ModelSpec.Source
        switch (fields.node("train"), try fields.string("file")) {
        case (let train?, nil):
            let training = try YAMLFields(train, file: file, what: "\"train\"", allowed: ["slice", "algorithm"])
            let sliceName = try training.requiredString("slice")
            guard let slice = slices[sliceName] else {
                throw YAMLFields.error(file, try training.required("slice"), "slice \"\(sliceName)\" is not declared under \"slices\"")
            }
            var algorithm = Algorithm.logisticRegression
            if let text = try training.string("algorithm") {
                guard let parsed = Algorithm(rawValue: text) else {
                    throw YAMLFields.error(file, try training.required("algorithm"), "\"algorithm\" is logreg (logistic regression) or nb (naive Bayes)")
                }
                algorithm = parsed
            }
            source = .train(slice: slice, algorithm: algorithm)
        case (nil, let path?):
            try checkFile(path, at: fields.node("file")!)
            source = .file(path)
        default:
            throw YAMLFields.error(file, node, "model \"\(name)\" needs exactly one of \"train\" or \"file\"")
        }
        return ModelSpec(name: name, bucket: bucket, source: source, aliases: try fields.strings("aliases"), line: node.mark?.line ?? 0)
    }

    private func buildJob(_ node: Node, buckets: Set<String>, models: Set<String>, loopModels: [String]) throws(ScenarioError) -> BatchJobSpec {
        let fields = try YAMLFields(node, file: file, what: "a job", allowed: [
            "name", "bucket", "input", "output", "format", "text", "id", "model", "model_bucket", "shard_rows", "max_text_bytes", "threads"])
        let modelText = try fields.requiredString("model")
        guard let model = ModelReference(modelText) else {
            throw YAMLFields.error(file, fields.node("model")!, "\"model\" is name@alias or name@version, such as sentiment@production")
        }
        guard models.contains(model.name) || loopModels.contains(model.name) else {
            let trained = loopModels.isEmpty ? "" : " nor trained by the \"automl\" loop (\(loopModels.joined(separator: ", ")))"
            throw YAMLFields.error(file, fields.node("model")!, "model \"\(model.name)\" is not declared under \"models\"\(trained)")
        }
        var format = BatchInputFormat.auto
        if let text = try fields.string("format") {
            guard let parsed = BatchInputFormat(rawValue: text) else {
                throw YAMLFields.error(file, fields.node("format")!, "\"format\" is auto, csv or jsonl")
            }
            format = parsed
        }
        let idNode = fields.node("id")
        let id: String? = if case .scalar(let scalar)? = idNode, scalar.string == "null" || scalar.string == "~" { nil }
            else { try fields.string("id") ?? "id" }
        return BatchJobSpec(
            name: try fields.requiredString("name"), bucket: try bucketReference(fields, "bucket", buckets: buckets),
            inputPrefix: try requiredPrefix(fields, "input"), outputPrefix: try outputPrefix(fields),
            format: format, textField: try fields.string("text") ?? "text", idField: id, model: model,
            modelBucket: fields.has("model_bucket") ? try bucketReference(fields, "model_bucket", buckets: buckets) : nil,
            shardRows: try fields.int("shard_rows", minimum: 1) ?? 100_000,
            maxTextBytes: try fields.int("max_text_bytes", minimum: 1) ?? 4096, threads: try fields.int("threads", minimum: 1))
    }

    // MARK: Steps

    struct StepContext {
        let buckets: Set<String>
        let slices: [String: SliceSpec]
        let models: [String: ModelSpec]
        let jobs: [String: BatchJobSpec]
        /// Jobs that run a command of the user's, by name.
        let execJobs: [String: ExecSpec]
        let services: [String: ServiceSpec]
        let pipelines: [String: PipelineSpec]
        /// Every topic a step may name: declared ones and the pipeline's.
        let topics: Set<String>
        /// The automl loop, if declared.
        let automl: AutoMLSpec?
    }

    func buildStep(_ node: Node, context: StepContext) throws(ScenarioError) -> Step {
        let line = node.mark?.line ?? 0
        guard case .mapping(let mapping) = node, let first = mapping.first, case .scalar(let kindScalar) = first.key else {
            throw YAMLFields.error(file, node, "a step is a mapping whose first key says what it does: \(ScenarioParser.stepKinds.joined(separator: ", "))")
        }
        let kind = kindScalar.string
        guard ScenarioParser.stepKinds.contains(kind) else {
            throw YAMLFields.error(file, first.key, "unknown step \"\(kind)\"; a step is one of: \(ScenarioParser.stepKinds.joined(separator: ", "))")
        }
        guard mapping.count == 1 else {
            throw YAMLFields.error(file, Array(mapping)[1].key, "a step does one thing; put the settings of \"\(kind)\" under it, indented")
        }
        let body = first.value
        if kind == "exec" { return Step(action: try buildExecStep(body, execJobs: context.execJobs), line: line) }
        if OnlineSteps.kinds.contains(kind) { return Step(action: try buildOnlineStep(kind, body, context: context), line: line) }
        if StreamingSteps.kinds.contains(kind) { return Step(action: try buildStreamingStep(kind, body, context: context), line: line) }
        if kind == "outage" {
            guard context.automl != nil else { throw YAMLFields.error(file, first.key, "\"outage\" pauses the automl loop's schedule, and the scenario declares no \"automl\" section") }
            return Step(action: .outage(try buildOutageStep(body)), line: line)
        }
        switch kind {
        case "put":
            let fields = try YAMLFields(body, file: file, what: "\"put\"", allowed: ["bucket", "key", "file", "slice", "format"])
            let bucket = try bucketReference(fields, "bucket", buckets: context.buckets)
            let content: PutContent
            switch (try fields.string("file"), try fields.string("slice")) {
            case (let path?, nil):
                try checkFile(path, at: fields.node("file")!)
                content = .file(path)
            case (nil, .some):
                guard let slice = try sliceReference(fields, context: context) else { throw YAMLFields.error(file, body, "\"put\" needs \"slice\"") }
                var format = SliceFormat.csv
                if let text = try fields.string("format") {
                    guard let parsed = SliceFormat(rawValue: text) else {
                        throw YAMLFields.error(file, try fields.required("format"), "\"format\" is csv or jsonl")
                    }
                    format = parsed
                }
                content = .slice(slice, format: format)
            default:
                throw YAMLFields.error(file, body, "\"put\" needs exactly one of \"file\" or \"slice\"")
            }
            return Step(action: .put(bucket: bucket, key: try objectKey(fields, "key"), content: content), line: line)
        case "copy":
            let fields = try YAMLFields(body, file: file, what: "\"copy\"", allowed: ["bucket", "from", "to", "to_bucket"])
            let bucket = try bucketReference(fields, "bucket", buckets: context.buckets)
            let toBucket = fields.has("to_bucket") ? try bucketReference(fields, "to_bucket", buckets: context.buckets) : bucket
            return Step(action: .copy(fromBucket: bucket, from: try objectKey(fields, "from"), toBucket: toBucket,
                                      to: try objectKey(fields, "to")), line: line)
        case "run":
            let fields: YAMLFields? = if case .scalar = body { nil } else {
                try YAMLFields(body, file: file, what: "\"run\"", allowed: ["job", "expect"])
            }
            let jobNode = try fields?.required("job") ?? body
            let expect = try fields.map { (fields) throws(ScenarioError) in try expectation(fields) } ?? .success
            if case .scalar(let scalar) = jobNode, let command = context.execJobs[scalar.string] {
                return Step(action: .exec(command, expect: expect), line: line)
            }
            return Step(action: .run(job: try jobReference(jobNode, context: context), expect: expect), line: line)
        case "advance":
            let text = try YAMLFields.string(body, file: file, what: "\"advance\"")
            guard let duration = DurationText.parse(text), duration > .zero else {
                throw YAMLFields.error(file, body, "\"advance\" takes a positive duration such as 90s, 15m, 1h30m or 7d (at most 100 years)")
            }
            return Step(action: .advance(duration), line: line)
        case "alias":
            let fields = try YAMLFields(body, file: file, what: "\"alias\"", allowed: ["model", "alias", "version"])
            let modelName = try fields.requiredString("model")
            guard let model = context.models[modelName] else {
                throw YAMLFields.error(file, try fields.required("model"), "model \"\(modelName)\" is not declared under \"models\"")
            }
            guard let version = try fields.int("version", minimum: 1) else { throw YAMLFields.error(file, body, "\"alias\" needs \"version\"") }
            return Step(action: .alias(model: model, alias: try fields.requiredString("alias"), version: version), line: line)
        case "fault":
            let fields = try YAMLFields(body, file: file, what: "\"fault\"", allowed: ["job", "kill_after_shards"])
            let job = try jobReference(try fields.required("job"), context: context)
            guard let shards = try fields.int("kill_after_shards", minimum: 0) else {
                throw YAMLFields.error(file, body, "\"fault\" needs \"kill_after_shards\": the job is killed after writing that many shards")
            }
            return Step(action: .fault(job: job, faults: BatchFaults(killAfterShards: shards)), line: line)
        default:
            return Step(action: .capture(try buildCapture(body, context: context)), line: line)
        }
    }

    private func buildCapture(_ node: Node, context: StepContext) throws(ScenarioError) -> CaptureStep {
        let fields = try YAMLFields(node, file: file, what: "\"capture\"",
                                    allowed: ["name"] + ScenarioParser.captureKinds + ["redact", "tolerance", "order_insensitive", "redact_text"])
        let name = try fields.requiredString("name")
        do { _ = try GoldenKey(scenario: "scenario", capture: name, format: .jsonLines) } catch {
            throw YAMLFields.error(file, fields.node("name")!, error.description)
        }
        let kinds = ScenarioParser.captureKinds.filter(fields.has)
        guard kinds.count == 1, let kind = kinds.first, let body = fields.node(kind) else {
            throw YAMLFields.error(file, node, "capture \"\(name)\" needs exactly one of: \(ScenarioParser.captureKinds.joined(separator: ", "))")
        }
        let source: CaptureSource
        switch kind {
        case _ where OnlineSteps.captureKinds.contains(kind):
            source = try buildOnlineCapture(kind, body, context: context)
        case _ where StreamingSteps.captureKinds.contains(kind):
            source = try buildStreamingCapture(kind, body, context: context)
        case _ where AutoMLSteps.captureKinds.contains(kind):
            source = try buildAutoMLCapture(kind, body, automl: context.automl)
        case "object", "objects":
            let target = try YAMLFields(body, file: file, what: "\"\(kind)\"", allowed: ["bucket", kind == "object" ? "key" : "prefix"])
            let bucket = try bucketReference(target, "bucket", buckets: context.buckets)
            source = kind == "object" ? .object(bucket: bucket, key: try objectKey(target, "key"))
                : .objects(bucket: bucket, prefix: try optionalPrefix(target, "prefix") ?? "")
        case "exec": source = .exec(name: try YAMLFields.string(body, file: file, what: "\"exec\""))
        case "manifest": source = .manifest(job: try jobReference(body, context: context))
        case "rejects": source = .rejects(job: try jobReference(body, context: context))
        case "summary": source = .summaries(job: try jobReference(body, context: context))
        case "ledger":
            guard case .scalar(let scalar) = body, scalar.string == "true" else {
                throw YAMLFields.error(file, body, "\"ledger\" takes true: it captures the operation counts so far")
            }
            source = .ledger
        case "cost":
            source = .cost(try priceSheet(body))
        case "registry":
            let modelName = try YAMLFields.string(body, file: file, what: "\"registry\"")
            guard let model = context.models[modelName] else {
                throw YAMLFields.error(file, body, "model \"\(modelName)\" is not declared under \"models\"")
            }
            source = .registry(model: model)
        case "predictions":
            if case .scalar = body {
                source = .predictions(job: try jobReference(body, context: context), slice: nil, first: nil)
            } else {
                let target = try YAMLFields(body, file: file, what: "\"predictions\"", allowed: ["job", "slice", "first"])
                source = .predictions(job: try jobReference(try target.required("job"), context: context),
                                      slice: try sliceReference(target, context: context), first: try target.int("first", minimum: 1))
            }
        default:  // metrics
            let target = try YAMLFields(body, file: file, what: "\"metrics\"", allowed: ["job", "slice"])
            guard let slice = try sliceReference(target, context: context) else {
                throw YAMLFields.error(file, body, "\"metrics\" needs \"slice\": the labelled rows to compare the predictions with")
            }
            source = .metrics(job: try jobReference(try target.required("job"), context: context), slice: slice)
        }
        var normalisation = try buildNormalisation(fields, capture: name)
        normalisation.textRedactions = try buildTextRedactions(fields)
        if source.goldenFormat == .text && normalisation.appliesToRecords {
            throw YAMLFields.error(file, node, HarnessError.normalisationOnText(name).description)
        }
        if source.goldenFormat == .jsonLines && !normalisation.textRedactions.isEmpty {
            throw YAMLFields.error(file, fields.node("redact_text")!, HarnessError.textRedactionOnRecords(name).description)
        }
        return CaptureStep(name: name, source: source, normalisation: normalisation)
    }

    private func buildNormalisation(_ fields: YAMLFields, capture: String) throws(ScenarioError) -> Normalisation {
        var normalisation = Normalisation(orderInsensitive: try fields.bool("order_insensitive") ?? false)
        if let redact = fields.node("redact") {
            guard case .mapping(let mapping) = redact else {
                throw YAMLFields.error(file, redact, "\"redact\" maps field paths to placeholder names, e.g. \"rows[*].id\": id")
            }
            for (key, value) in try YAMLFields.entries(of: mapping, file: file) {
                do {
                    normalisation.redactions.append(try Redaction(
                        try YAMLFields.string(key, file: file, what: "a field path"),
                        as: try YAMLFields.string(value, file: file, what: "a placeholder name")))
                } catch let error as ScenarioError {
                    throw error
                } catch {
                    throw YAMLFields.error(file, key, "\(error)")
                }
            }
        }
        if let tolerance = fields.node("tolerance") {
            guard case .mapping(let mapping) = tolerance else {
                throw YAMLFields.error(file, tolerance, "\"tolerance\" maps field paths to {absolute: …, relative: …}")
            }
            for (key, value) in try YAMLFields.entries(of: mapping, file: file) {
                let bounds = try YAMLFields(value, file: file, what: "a tolerance", allowed: ["absolute", "relative"])
                do {
                    normalisation.tolerances.append(try Tolerance(
                        try YAMLFields.string(key, file: file, what: "a field path"),
                        absolute: try bounds.double("absolute") ?? 0, relative: try bounds.double("relative") ?? 0))
                } catch let error as ScenarioError {
                    throw error
                } catch {
                    throw YAMLFields.error(file, key, "\(error)")
                }
            }
        }
        return normalisation
    }

    // MARK: References and checks

    /// `cost: true` (the shipped AWS us-east-1 sheet) or `cost: {prices: FILE}`.
    private func priceSheet(_ body: Node) throws(ScenarioError) -> PriceSheet {
        if case .scalar(let scalar) = body, scalar.string == "true" { return .awsUSEast1 }
        let fields = try YAMLFields(body, file: file, what: "\"cost\"", allowed: ["prices"])
        let path = try fields.requiredString("prices")
        try checkFile(path, at: try fields.required("prices"))
        return try PriceSheet.load(path: path.hasPrefix("/") ? path : folder + "/" + path)
    }

    private func bucketReference(_ fields: YAMLFields, _ key: String, buckets: Set<String>) throws(ScenarioError) -> String {
        let bucket = try fields.requiredString(key)
        guard buckets.contains(bucket) else {
            throw YAMLFields.error(file, fields.node(key)!, "bucket \"\(bucket)\" is not declared under cloud.buckets")
        }
        return bucket
    }

    private func jobReference(_ node: Node, context: StepContext) throws(ScenarioError) -> BatchJobSpec {
        let name = try YAMLFields.string(node, file: file, what: "a job name")
        guard let job = context.jobs[name] else {
            if context.execJobs[name] != nil {
                throw YAMLFields.error(file, node, "job \"\(name)\" runs a command, not a batch job; capture its runs with `exec: \(name)`")
            }
            throw YAMLFields.error(file, node, "job \"\(name)\" is not declared under \"jobs\"")
        }
        return job
    }

    func sliceReference(_ fields: YAMLFields, context: StepContext) throws(ScenarioError) -> SliceSpec? {
        guard let name = try fields.string("slice") else { return nil }
        guard let slice = context.slices[name] else {
            throw YAMLFields.error(file, try fields.required("slice"), "slice \"\(name)\" is not declared under \"slices\"")
        }
        return slice
    }

    /// A required object key, checked by the object store's own key rules.
    private func objectKey(_ fields: YAMLFields, _ key: String) throws(ScenarioError) -> String {
        let value = try fields.requiredString(key)
        do { try ObjectNaming.validate(key: value) } catch { throw YAMLFields.error(file, try fields.required(key), "\(error)") }
        return value
    }

    /// A key prefix (empty means every key): it must begin valid keys, so `tweets/` and `tweets`
    /// pass, while `../x`, `/abs` or `a//` cannot start any key and are refused.
    private func optionalPrefix(_ fields: YAMLFields, _ key: String) throws(ScenarioError) -> String? {
        guard let value = try fields.string(key) else { return nil }
        guard !value.isEmpty else { return value }
        do { try ObjectNaming.validate(key: value + "x") } catch {
            throw YAMLFields.error(file, try fields.required(key), "\"\(key)\" \"\(value)\" cannot begin an object key: \(error)")
        }
        return value
    }

    private func requiredPrefix(_ fields: YAMLFields, _ key: String) throws(ScenarioError) -> String {
        _ = try fields.required(key)
        return try optionalPrefix(fields, key) ?? ""
    }

    /// A job's output prefix: every key the job writes under it (its manifest among them) must
    /// be a valid object key.
    private func outputPrefix(_ fields: YAMLFields) throws(ScenarioError) -> String {
        let value = try fields.requiredString("output")
        let folder = value.hasSuffix("/") ? value : value + "/"
        let manifestKey = folder + BatchManifest.fileName
        do { try ObjectNaming.validate(key: manifestKey) } catch {
            throw YAMLFields.error(file, try fields.required("output"), "\"output\" \"\(value)\" makes invalid object keys such as \(manifestKey): \(error)")
        }
        return value
    }

    private func checkFile(_ path: String, at node: Node) throws(ScenarioError) {
        let full = path.hasPrefix("/") ? path : folder + "/" + path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else {
            throw YAMLFields.error(file, node, "file \"\(path)\" does not exist (looked for \(full))")
        }
    }

    func duration(_ fields: YAMLFields, _ key: String) throws(ScenarioError) -> Duration? {
        guard let text = try fields.string(key) else { return nil }
        guard let duration = DurationText.parse(text) else {
            throw YAMLFields.error(file, fields.node(key)!, "\"\(key)\" takes a duration such as 90s, 15m or 1h (at most 100 years)")
        }
        return duration
    }

    func unique(_ names: [String], nodes: [Node], what: String) throws(ScenarioError) {
        var seen: Set<String> = []
        for (name, node) in zip(names, nodes) where !seen.insert(name).inserted {
            throw YAMLFields.error(file, node, "\(what) \"\(name)\" is declared twice")
        }
    }
}
