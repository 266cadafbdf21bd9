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
    let summaries: [String: [BatchSummary]]

    func read(_ source: CaptureSource) throws -> Capture {
        switch source {
        case .object(let bucket, let key):
            let text = String(decoding: try store.get(bucket: bucket, key: key).data, as: UTF8.self)
            if key.hasSuffix(".jsonl") { return .records(try parseLines(text, label: key)) }
            if key.hasSuffix(".json") { return .records([try parse(text, label: key)]) }
            return .text(text)
        case .objects(let bucket, let prefix):
            return .records(try list(bucket: bucket, prefix: prefix).map { object in
                .object(["key": .string(object.key), "size": .number(Double(object.size)), "md5": .string(object.etag)])
            })
        case .manifest(let job):
            let spec = jobSpec(job)
            return .records(Self.manifestRecords(try parse(try text(spec.bucket, spec.manifestKey), label: spec.manifestKey)))
        case .rejects(let job):
            let (spec, manifest) = try manifest(of: job)
            return .records(try parseLines(try text(spec.bucket, manifest.rejects.key), label: manifest.rejects.key))
        case .predictions(let job, let slice, let first):
            var records = try predictions(of: job)
            if let slice {
                let ids = Set(try data.rows(of: sliceSpec(slice), scenario: scenario).map(\.id))
                records = records.filter { if case .string(let id)? = $0.member("id") { ids.contains(id) } else { false } }
            }
            if let first { records = Array(records.prefix(first)) }
            return .records(records)
        case .metrics(let job, let slice):
            var predicted: [String: String] = [:]
            for record in try predictions(of: job) {
                if case .string(let id)? = record.member("id"), case .string(let label)? = record.member("label") { predicted[id] = label }
            }
            var truth: [String] = []
            var guesses: [String] = []
            var missing = 0
            for row in try data.rows(of: sliceSpec(slice), scenario: scenario) {
                guard let guess = predicted[row.id] else { missing += 1; continue }
                truth.append(row.label)
                guesses.append(guess)
            }
            guard case .object(var members) = try JSONValue(encoding: ClassificationMetrics(truth: truth, predicted: guesses)) else {
                throw ScenarioRunError("metrics did not encode as an object")
            }
            members["rows_without_prediction"] = .number(Double(missing))
            return .records([.object(members)])
        case .summaries(let job):
            return .records(try (summaries[job] ?? []).map { try JSONValue(encoding: $0) })
        case .ledger:
            return .records([.object(ledger.snapshot().dictionary.mapValues { .number(Double($0)) })])
        case .registry(let model):
            let bucket = scenario.models.first { $0.name == model }!.bucket
            let registry = ModelRegistry(store: store, bucket: bucket)
            var versions: [JSONValue] = []
            for version in try registry.versions(name: model) {
                let id = try registry.resolve(name: model, aliasOrVersion: String(version)).model.modelID
                versions.append(.object(["version": .number(Double(version)), "model_id": .string(id)]))
            }
            var aliases: [String: JSONValue] = [:]
            for (alias, version) in try registry.aliases(name: model) { aliases[alias] = .number(Double(version)) }
            return .records([.object(["model": .string(model), "versions": .array(versions), "aliases": .object(aliases)])])
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

    private func predictions(of job: String) throws -> [JSONValue] {
        let (spec, manifest) = try manifest(of: job)
        return try manifest.shards.flatMap { try parseLines(try text(spec.bucket, $0.key), label: $0.key) }
    }

    private func manifest(of job: String) throws -> (BatchJobSpec, BatchManifest) {
        let spec = jobSpec(job)
        do {
            return (spec, try BatchManifest(fileData: try store.get(bucket: spec.bucket, key: spec.manifestKey).data))
        } catch ObjectStoreError.objectNotFound {
            throw ScenarioRunError("job \"\(job)\" has no manifest at \(spec.manifestKey): it has not completed a run")
        }
    }

    private func list(bucket: String, prefix: String) throws -> [ObjectMetadata] {
        var objects: [ObjectMetadata] = []
        var token: String?
        repeat {
            let page = try store.list(bucket: bucket, options: ListOptions(prefix: prefix, pageToken: token))
            objects += page.objects
            token = page.nextPageToken
        } while token != nil
        return objects
    }

    private func text(_ bucket: String, _ key: String) throws -> String {
        String(decoding: try store.get(bucket: bucket, key: key).data, as: UTF8.self)
    }

    private func parse(_ text: String, label: String) throws -> JSONValue {
        do { return try JSONParser.parse(text) } catch { throw ScenarioRunError("\(label): \(error)") }
    }

    private func parseLines(_ text: String, label: String) throws -> [JSONValue] {
        do { return try JSONLines.parse(text) } catch { throw ScenarioRunError("\(label): \(error)") }
    }

    private func jobSpec(_ name: String) -> BatchJobSpec { scenario.jobs.first { $0.name == name }! }
    private func sliceSpec(_ name: String) -> SliceSpec { scenario.slices.first { $0.name == name }! }
}

extension JSONValue {
    /// The member `key` of an object, nil for anything else.
    func member(_ key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }
}
