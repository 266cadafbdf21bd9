import Foundation
import JSON
import LocalCloud
import Modes
import ModelCore

/// Reads what a capture step names from the sandbox and turns it into a `Capture`.
struct CaptureReader {
    let store: any ObjectStore
    let scenario: Scenario
    let data: DataSource
    let ledger: OperationLedger
    /// The sandbox's queue, for `messages`.
    let queue: any MessageQueue
    /// Every run summary so far, by job name.
    let summaries: [String: [BatchSummary]]
    /// The runs of the user's commands, when the scenario has any.
    var commands: CommandSession? = nil
    /// The sandbox clock's time, for the storage a cost estimate counts.
    var now: Instant = Instant(secondsSinceEpoch: 0)
    /// The always-on capacity held so far, for a cost estimate (nil: the scenario declares none).
    var provisioned: ProvisionedCapacity? = nil

    func read(_ source: CaptureSource) throws -> Capture {
        switch source {
        case .object(let bucket, let key):
            let text = try text(bucket, key)
            if key.hasSuffix(".jsonl") { return .records(try parseLines(text, key: key)) }
            if key.hasSuffix(".json") { return .records([try parse(text, key: key)]) }
            return .text(text)
        case .objects(let bucket, let prefix):
            return .records(try store.listAll(bucket: bucket, prefix: prefix).map { object in
                .object(["key": .string(object.key), "size": .number(Double(object.size)), "md5": .string(object.etag)])
            })
        case .manifest(let job):
            return .records(Self.manifestRecords(try parse(try text(job.bucket, job.manifestKey), key: job.manifestKey)))
        case .rejects(let job):
            let manifest = try manifest(of: job)
            return .records(try parseLines(try text(job.bucket, manifest.rejects.key), key: manifest.rejects.key))
        case .predictions(let job, let slice, let first):
            var records = try predictions(of: job)
            if let slice {
                let ids = Set(try data.rows(of: slice, scenario: scenario).map(\.id))
                records = records.filter { if case .string(let id)? = $0.member("id") { ids.contains(id) } else { false } }
            }
            if let first { records = Array(records.prefix(first)) }
            return .records(records)
        case .metrics(let job, let slice):
            return .records([try metrics(of: job, against: slice)])
        case .summaries(let job):
            return .records(try (summaries[job.name] ?? []).map { try JSONValue(encoding: $0) })
        case .ledger:
            return .records([.object(ledger.snapshot().dictionary.mapValues { .number(Double($0)) })])
        case .registry(let model):
            let registry = ModelRegistry(store: store, bucket: model.bucket)
            var versions: [JSONValue] = []
            for version in try registry.versions(name: model.name) {
                do {
                    let id = try registry.resolve(name: model.name, aliasOrVersion: String(version)).model.modelID
                    versions.append(.object(["version": .number(Double(version)), "model_id": .string(id)]))
                } catch let error as ModelRegistryError {
                    // A version stored by hand that is not a usable artifact is part of what is captured.
                    guard case .corruptArtifact = error else { throw error }
                    versions.append(.object(["version": .number(Double(version)), "error": .string(error.description)]))
                }
            }
            var aliases: [String: JSONValue] = [:]
            for (alias, version) in try registry.aliases(name: model.name) { aliases[alias] = .number(Double(version)) }
            return .records([.object(["model": .string(model.name), "versions": .array(versions), "aliases": .object(aliases)])])
        case .messages(let subscription):
            return .records(try Self.messageRecords(queue: queue, subscription: subscription))
        case .responses, .load, .parity, .service:
            throw OnlineError.nothingToCapture("the scenario declares no service")
        case .panes, .streamPredictions, .deadLetters, .scaling, .ingest:
            throw OnlineError.nothingToCapture("no stream step ran before this capture")
        case .weeks(let spec):
            return .records(try PropensityReport(store: store, settings: spec.settings).rows.map(\.json))
        case .retrains(let spec):
            return .records(try PropensityReport(store: store, settings: spec.settings).retrains.map { try JSONValue(encoding: $0) })
        case .policies(let spec):
            return .records(try PropensityReport(store: store, settings: spec.settings).summaries.map(\.json))
        case .cost(let prices):
            return .records(CostEstimate(usage: try CloudUsage.measure(ledger: ledger.snapshot(), store: store, now: now,
                                                                              provisioned: provisioned), prices: prices).records)
        case .exec(let name):
            let runs = commands?.runs(named: name) ?? []
            return .text(runs.isEmpty ? "(no runs yet)\n" : runs.map(\.text).joined(separator: "\n"))
        }
    }

    /// The messages waiting on `subscription`, oldest first, without consuming them: `data`
    /// (JSON when it is, else `{"text": …}`) and `attributes`.
    static func messageRecords(queue: any MessageQueue, subscription: String) throws -> [JSONValue] {
        try queue.peek(subscription, limit: 1_000_000).map { message in
            let text = String(decoding: message.data, as: UTF8.self)
            let body = (try? JSONParser.parse(text)) ?? .object(["text": .string(text)])
            return .object(["data": body, "attributes": .object(message.attributes.mapValues { .string($0) })])
        }
    }

    /// A manifest as diff-friendly records: the summary fields first, then one record per
    /// input (`{"input": …}`) and one per shard (`{"shard": …}`).
    static func manifestRecords(_ manifest: JSONValue) -> [JSONValue] {
        guard case .object(var members) = manifest else { return [manifest] }
        let inputs = members.removeValue(forKey: "inputs")
        let shards = members.removeValue(forKey: "shards")
        var records: [JSONValue] = [.object(members)]
        if case .array(let items)? = inputs { records += items.map { .object(["input": $0]) } }
        if case .array(let items)? = shards { records += items.map { .object(["shard": $0]) } }
        return records
    }

    /// Accuracy, macro-F1, per-class metrics and confusion of the job's predictions against the
    /// slice's labels, joined by id, and how many slice rows had no prediction. With no row
    /// joined, accuracy and macro-F1 are null: there is nothing to score, which 0 would hide.
    private func metrics(of job: BatchJobSpec, against slice: SliceSpec) throws -> JSONValue {
        var predicted: [String: String] = [:]
        for record in try predictions(of: job) {
            if case .string(let id)? = record.member("id"), case .string(let label)? = record.member("label") { predicted[id] = label }
        }
        var truth: [String] = []
        var guesses: [String] = []
        var missing = 0
        for row in try data.rows(of: slice, scenario: scenario) {
            guard let guess = predicted[row.id] else { missing += 1; continue }
            truth.append(row.label)
            guesses.append(guess)
        }
        var members: [String: JSONValue] = [:]
        if case .object(let encoded) = try JSONValue(encoding: ClassificationMetrics(truth: truth, predicted: guesses)) { members = encoded }
        members["rows_without_prediction"] = .number(Double(missing))
        if truth.isEmpty {
            members["accuracy"] = .null
            members["macro_f1"] = .null
        }
        return .object(members)
    }

    /// A job's predictions, in order, from the shards its manifest lists.
    func predictions(of job: BatchJobSpec) throws -> [JSONValue] {
        let manifest = try manifest(of: job)
        return try manifest.shards.flatMap { try parseLines(try text(job.bucket, $0.key), key: $0.key) }
    }

    private func manifest(of job: BatchJobSpec) throws -> BatchManifest {
        let data: Data
        do {
            data = try store.get(bucket: job.bucket, key: job.manifestKey).data
        } catch ObjectStoreError.objectNotFound {
            throw ScenarioRunError.Problem.noManifest(job: job.name, key: job.manifestKey)
        }
        do { return try BatchManifest(fileData: data) } catch {
            throw ScenarioRunError.Problem.malformedCapture(key: job.manifestKey, cause: error)
        }
    }

    private func text(_ bucket: String, _ key: String) throws -> String {
        String(decoding: try store.get(bucket: bucket, key: key).data, as: UTF8.self)
    }

    private func parse(_ text: String, key: String) throws -> JSONValue {
        do { return try JSONParser.parse(text) } catch { throw ScenarioRunError.Problem.malformedCapture(key: key, cause: error) }
    }

    private func parseLines(_ text: String, key: String) throws -> [JSONValue] {
        do { return try JSONLines.parse(text) } catch { throw ScenarioRunError.Problem.malformedCapture(key: key, cause: error) }
    }
}

extension JSONValue {
    /// The member `key` of an object, nil for anything else.
    func member(_ key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }
}
