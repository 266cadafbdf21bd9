import Foundation
import LocalCloud
import Modes
import ModelCore

/// Rehearses one scenario's transcript in its sandbox and collects what its capture steps read.
struct ScenarioExecution {
    let scenario: Scenario
    let sandbox: ScenarioSandbox
    let data: DataSource
    private let state = ExecutionState()
    /// The services' side of the run; nil when the scenario declares no service.
    private let online: OnlineSession?
    /// The streaming pipeline, started by its first step.
    private let streaming = StreamingSlot()
    /// The `rehearse` executable, for worker processes.
    private let executable: URL?
    /// The automl loop, started with the scenario.
    private let automl = AutoMLSlot()
    /// The user's commands and the endpoint serving them the sandbox, started with the scenario.
    private let commands = CommandSlot()
    /// The environment those commands start from (see `CommandSession`).
    private let commandEnvironment: [String: String]
    /// The always-on capacity the services and streaming workers hold, for cost estimates; nil
    /// when the scenario declares neither.
    private let provisioned: ProvisionedCapacity?

    /// An execution of `scenario` in `sandbox`. Services are started with `executable`
    /// (`rehearse`), or found at `targets` (service name → URL).
    init(scenario: Scenario, sandbox: ScenarioSandbox, data: DataSource, commandEnvironment: [String: String],
         executable: URL?, targets: [String: String]) {
        self.scenario = scenario
        self.commandEnvironment = commandEnvironment
        self.sandbox = sandbox
        self.data = data
        self.executable = executable
        online = scenario.services.isEmpty ? nil : OnlineSession(executable: executable, sandboxRoot: sandbox.root, targets: targets)
        provisioned = scenario.services.isEmpty && scenario.pipelines.isEmpty ? nil : ProvisionedCapacity()
    }

    /// What a completed transcript produced.
    struct Outcome {
        /// The ids of the models registered, in order of first registration.
        let modelIDs: [String]
        /// The captures, in step order.
        let captures: [ScenarioCapture]
        /// vCPU-seconds the batch jobs and commands spent, measured: for the report's cost estimate.
        let computeSeconds: Double
        /// The always-on capacity held, for the report's cost estimate (nil: none declared).
        let provisioned: ProvisionedCapacity?
    }

    /// Prepares models and schedules, then runs every step in order.
    /// - Throws: `ScenarioRunError` saying where (setup or the step's line) and what failed.
    func run() throws(ScenarioRunError) -> Outcome {
        defer {
            online?.stopAll()
            streaming.session?.stop()
            commands.session?.stop()
        }
        let models: [TrainedModel]
        do {
            if scenario.runsCommands { commands.session = try CommandSession(scenario: scenario, sandbox: sandbox, inherited: commandEnvironment) }
            models = try registerModels()
            for pipeline in scenario.pipelines { try pipeline.settings.prepare(sandbox.cloud.queue) }
            if let spec = scenario.automl {
                let session = AutoMLSession(spec: spec, purchases: try data.purchases(spec.data), store: sandbox.objects,
                                            upstream: sandbox.harnessObjects)
                try session.start(scheduler: sandbox.scheduler, now: sandbox.clock.now) { [state] error in
                    state.recordScheduledFailure(.automlRunFailed(cause: error))
                }
                automl.session = session
            }
            for schedule in scenario.cloud.schedules {
                try sandbox.scheduler.schedule(schedule.name, schedule.cron) { [state, self] _ in
                    let problem: ScenarioRunError.Problem? = switch schedule.job {
                    case .batch(let job): runJob(job, expect: .success)
                    case .exec(let command): runCommand(command, expect: .success)
                    }
                    if let problem {
                        let cause: any Error = if case .jobFailed(_, let cause) = problem { cause } else { problem }
                        state.recordScheduledFailure(.scheduledJobFailed(schedule: schedule.name, job: schedule.job.name, cause: cause))
                    }
                }
            }
        } catch let error as ScenarioRunError {
            throw error
        } catch {
            throw ScenarioRunError(place: .setup, problem: .from(error))
        }
        let modelsByID = Dictionary(models.map { ($0.modelID, $0) }) { first, _ in first }
        var captures: [ScenarioCapture] = []
        for step in scenario.steps {
            do {
                if let capture = try perform(step.action, models: modelsByID) { captures.append(capture) }
                // A started service reads the virtual clock's time from this file (`--clock-file`).
                if online != nil { try sandbox.cloud.saveClockReading() }
            } catch {
                throw ScenarioRunError(place: .step(file: scenario.file, line: step.line), problem: .from(error))
            }
            if let problem = state.firstScheduledFailure {
                throw ScenarioRunError(place: .step(file: scenario.file, line: step.line), problem: problem)
            }
        }
        return Outcome(modelIDs: models.map(\.modelID), captures: captures, computeSeconds: state.computeSeconds,
                       provisioned: provisioned)
    }

    /// Trains or loads each declared model and registers it (a name declared again becomes its
    /// next version); returns the models in order of first registration, without repeats.
    private func registerModels() throws -> [TrainedModel] {
        var registered: [TrainedModel] = []
        if online != nil { try sandbox.cloud.saveClockReading() }
        for spec in scenario.models {
            do {
                let model = try register(spec)
                if !registered.contains(where: { $0.modelID == model.modelID }) { registered.append(model) }
            } catch {
                throw ScenarioRunError(place: .model(name: spec.name, file: scenario.file, line: spec.line), problem: .from(error))
            }
        }
        return registered
    }

    /// Trains or loads the model `spec` declares, registers it and points its aliases at it.
    private func register(_ spec: ModelSpec) throws -> TrainedModel {
        let model: TrainedModel
        switch spec.source {
        case .train(let slice, let algorithm):
            model = try data.trainedModel(slice: slice, algorithm: algorithm, scenario: scenario)
        case .file(let path):
            let full = resolve(path)
            guard let bytes = FileManager.default.contents(atPath: full) else { throw ScenarioRunError.Problem.unreadableFile(path: full) }
            do { model = try TrainedModel(artifact: [UInt8](bytes)) } catch {
                throw ScenarioRunError.Problem.malformedModelFile(path: path, cause: error)
            }
        }
        let registry = ModelRegistry(store: sandbox.harnessObjects, bucket: spec.bucket)
        let version = try registry.register(model, name: spec.name)
        for alias in spec.aliases { try registry.setAlias(alias, name: spec.name, version: version) }
        return model
    }

    /// Performs one step; a capture step returns what it captured.
    private func perform(_ action: StepAction, models: [String: TrainedModel]) throws -> ScenarioCapture? {
        let store = sandbox.harnessObjects
        switch action {
        case .put(let bucket, let key, .file(let path)):
            let full = resolve(path)
            guard let bytes = FileManager.default.contents(atPath: full) else { throw ScenarioRunError.Problem.unreadableFile(path: full) }
            try store.put(bytes, bucket: bucket, key: key)
        case .put(let bucket, let key, .slice(let slice, let format)):
            try store.put(SliceEncoding.encode(try data.rows(of: slice, scenario: scenario), format: format), bucket: bucket, key: key)
        case .copy(let fromBucket, let from, let toBucket, let to):
            try store.copy(from: ObjectLocation(bucket: fromBucket, key: from), to: ObjectLocation(bucket: toBucket, key: to),
                           preconditions: Preconditions())
        case .run(let job, let expect):
            if let problem = runJob(job, expect: expect) { throw problem }
        case .advance(let duration):
            try sandbox.scheduler.advance(by: duration)
        case .alias(let model, let alias, let version):
            let move = { try ModelRegistry(store: store, bucket: model.bucket).setAlias(alias, name: model.name, version: version) }
            if let online { try online.moveAlias(model: model.name, alias: alias, version: version, move) } else { try move() }
        case .fault(let job, let faults):
            state.arm(faults, for: job)
        case .capture(let step):
            let reader = CaptureReader(store: store, scenario: scenario, data: data, ledger: sandbox.ledger, queue: sandbox.cloud.queue,
                                       summaries: state.allSummaries, commands: commands.session, now: sandbox.clock.now,
                                       provisioned: provisioned)
            let capture: Capture
            if let online, let onlineCapture = try OnlineCaptures(session: online, queue: sandbox.cloud.queue, models: models)
                .read(step.source, batch: reader) {
                capture = onlineCapture
            } else if let streamingCapture = try StreamingCaptures(session: streaming.session).read(step.source) {
                capture = streamingCapture
            } else {
                capture = try reader.read(step.source)
            }
            return ScenarioCapture(name: step.name, capture: capture, normalisation: step.normalisation)
        case .serve(let service):
            try session().serve(service)
            provisioned?.hold(Self.capacityName(of: service), vcpus: 1, from: sandbox.clock.now)
        case .request(let step):
            try session().request(step, rows: try rows(of: step.source))
        case .load(let step):
            try session().load(step, rows: try rows(of: step.source)) { [self] in
                for midway in step.midway { _ = try perform(midway.action, models: models) }
            }
        case .feedback(let step):
            try session().feedback(step, rows: try data.rows(of: step.slice, scenario: scenario))
        case .drain(let service):
            try session().drain(service)
            provisioned?.hold(Self.capacityName(of: service), vcpus: 0, from: sandbox.clock.now)
        case .stream(let step):
            try pipeline(step.pipeline).run(for: step.duration)
        case .watermark(let step):
            try pipeline(step.pipeline).moveWatermark(to: step.to)
        case .kill(let step):
            try pipeline(step.pipeline).kill(step)
        case .publish(let step):
            try sandbox.cloud.queue.publish(step.messages.map { OutgoingMessage(data: Data($0.utf8)) }, to: step.topic)
        case .outage(let step):
            try automl.session?.outage(step.duration, scheduler: sandbox.scheduler)
        case .exec(let command, let expect):
            if let problem = runCommand(command, expect: expect) { throw problem }
        }
        return nil
    }

    /// The streaming pipeline, started on its first use (its stream starts at that moment).
    private func pipeline(_ spec: PipelineSpec) throws -> StreamingSession {
        if let session = streaming.session { return session }
        let texts = try data.rows(of: spec.stream.slice, scenario: scenario).map(\.text)
        let session = try StreamingSession(spec: spec, texts: texts, sandbox: sandbox, executable: executable, provisioned: provisioned)
        streaming.session = session
        return session
    }

    /// The name a service's vCPU is held under in `provisioned`.
    private static func capacityName(of service: ServiceSpec) -> String { "service \(service.name)" }

    /// The online session (the parser refuses online steps without a declared service).
    private func session() throws -> OnlineSession {
        guard let online else { throw OnlineError.nothingToCapture("the scenario declares no service") }
        return online
    }

    /// The slice rows a request source carries (none for a raw request).
    private func rows(of source: RequestSource) throws -> [SliceRow] {
        switch source {
        case .infer(_, _, let slice, _), .predict(let slice, _): try data.rows(of: slice, scenario: scenario)
        case .http: []
        }
    }

    /// Runs a job once, records its summary, and returns why the scenario must fail, if it must.
    private func runJob(_ job: BatchJobSpec, expect: JobExpectation) -> ScenarioRunError.Problem? {
        let faults = state.takeFaults(for: job)
        let timer = ContinuousClock()
        let started = timer.now
        defer { state.addCompute((timer.now - started).seconds * Double(job.threads ?? ProcessInfo.processInfo.activeProcessorCount)) }
        do {
            state.record(try BatchJob(store: sandbox.objects, spec: job).run(faults: faults), of: job)
            return expect == .failure ? .jobSucceeded(job: job.name) : nil
        } catch {
            state.record(.failed(job, error: error), of: job)
            return expect == .success ? .jobFailed(job: job.name, cause: error) : nil
        }
    }

    /// Runs a command of the user's once and returns why the scenario must fail, if it must.
    private func runCommand(_ command: ExecSpec, expect: JobExpectation) -> ScenarioRunError.Problem? {
        guard let session = commands.session else { return .failed(ExecError.endpointDidNotStart("no command session")) }
        let timer = ContinuousClock()
        let started = timer.now
        defer { state.addCompute((timer.now - started).seconds) }
        do {
            let run = try session.run(command, services: online?.serviceURLs ?? [:])
            switch (expect, run.ending.succeeded) {
            case (.success, false): return .commandFailed(name: command.name, ending: CommandRun.describe(run.ending), stderr: run.stderr)
            case (.failure, true): return .commandSucceeded(name: command.name)
            default: return nil
            }
        } catch {
            return .failed(error)
        }
    }

    /// A path from the scenario file, relative to its folder unless absolute.
    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : scenario.folder + "/" + path
    }
}
