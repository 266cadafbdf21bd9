import Foundation
import LocalCloud
import Modes
import ModelCore

/// Rehearses one scenario's transcript in its sandbox and collects what its capture steps read.
final class ScenarioExecution: @unchecked Sendable {
    let scenario: Scenario
    let sandbox: ScenarioSandbox
    let data: DataSource
    private let lock = NSLock()
    private var summaries: [String: [BatchSummary]] = [:]
    private var armedFaults: [String: BatchFaults] = [:]
    private var scheduledFailures: [String] = []
    private(set) var modelIDs: [String] = []
    private(set) var captures: [ScenarioCapture] = []

    init(scenario: Scenario, sandbox: ScenarioSandbox, data: DataSource) {
        self.scenario = scenario
        self.sandbox = sandbox
        self.data = data
    }

    /// Prepares models and schedules, then runs every step in order.
    /// - Throws: `ScenarioRunError` naming the step's line, or the underlying error.
    func run() throws {
        try registerModels()
        for schedule in scenario.cloud.schedules {
            try sandbox.scheduler.schedule(schedule.name, schedule.cron) { [self] _ in
                if let failure = runJob(schedule.job, expectFailure: false) {
                    lock.withLock { scheduledFailures.append("schedule \"\(schedule.name)\": \(failure)") }
                }
            }
        }
        for step in scenario.steps {
            do {
                try perform(step.action)
            } catch {
                throw ScenarioRunError("step at line \(step.line): \(error)")
            }
            if let failure = lock.withLock({ scheduledFailures.first }) {
                throw ScenarioRunError("step at line \(step.line): \(failure)")
            }
        }
    }

    private func registerModels() throws {
        for spec in scenario.models {
            let model: TrainedModel
            switch spec.source {
            case .train(let sliceName, let algorithm):
                model = try data.trainedModel(slice: slice(sliceName), algorithm: algorithm, scenario: scenario)
            case .file(let path):
                let full = path.hasPrefix("/") ? path : scenario.folder + "/" + path
                guard let bytes = FileManager.default.contents(atPath: full) else { throw ScenarioRunError("cannot read model file \(full)") }
                do { model = try TrainedModel(artifact: [UInt8](bytes)) } catch { throw ScenarioRunError("model file \(path): \(error)") }
            }
            let registry = ModelRegistry(store: sandbox.harnessObjects, bucket: spec.bucket)
            let version = try registry.register(model, name: spec.name)
            for alias in spec.aliases { try registry.setAlias(alias, name: spec.name, version: version) }
            if !modelIDs.contains(model.modelID) { modelIDs.append(model.modelID) }
        }
    }

    private func perform(_ action: StepAction) throws {
        let store = sandbox.harnessObjects
        switch action {
        case .put(let bucket, let key, .file(let path)):
            let full = path.hasPrefix("/") ? path : scenario.folder + "/" + path
            guard let bytes = FileManager.default.contents(atPath: full) else { throw ScenarioRunError("cannot read \(full)") }
            try store.put(bytes, bucket: bucket, key: key)
        case .put(let bucket, let key, .slice(let name, let format)):
            try store.put(SliceEncoding.encode(try data.rows(of: slice(name), scenario: scenario), format: format), bucket: bucket, key: key)
        case .copy(let fromBucket, let from, let toBucket, let to):
            try store.copy(from: ObjectLocation(bucket: fromBucket, key: from), to: ObjectLocation(bucket: toBucket, key: to),
                           preconditions: Preconditions())
        case .run(let job, let expectFailure):
            if let failure = runJob(job, expectFailure: expectFailure) { throw ScenarioRunError(failure) }
        case .advance(let duration):
            try sandbox.scheduler.advance(by: duration)
        case .alias(let model, let alias, let version):
            let bucket = scenario.models.first { $0.name == model }!.bucket
            try ModelRegistry(store: store, bucket: bucket).setAlias(alias, name: model, version: version)
        case .fault(let job, let faults):
            lock.withLock { armedFaults[job] = faults }
        case .capture(let step):
            let reader = CaptureReader(store: store, scenario: scenario, data: data, ledger: sandbox.ledger,
                                       summaries: lock.withLock { summaries })
            captures.append(ScenarioCapture(name: step.name, capture: try reader.read(step.source), normalisation: step.normalisation))
        }
    }

    /// Runs a job once, records its summary, and returns why the scenario must fail, if it must.
    private func runJob(_ name: String, expectFailure: Bool) -> String? {
        let spec = scenario.jobs.first { $0.name == name }!
        let faults = lock.withLock { armedFaults.removeValue(forKey: name) } ?? .none
        let summary: BatchSummary
        var failure: String?
        do {
            summary = try BatchJob(store: sandbox.objects, spec: spec).run(faults: faults)
            if expectFailure { failure = "job \"\(name)\" was expected to fail but succeeded" }
        } catch {
            summary = .failed(spec, error: error)
            if !expectFailure { failure = "job \"\(name)\" failed: \(error)" }
        }
        lock.withLock { summaries[name, default: []].append(summary) }
        return failure
    }

    private func slice(_ name: String) -> SliceSpec { scenario.slices.first { $0.name == name }! }
}
