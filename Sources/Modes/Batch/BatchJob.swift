import Crypto
import Determinism
import Foundation
import JSON
import LocalCloud
import Synchronization
import ModelCore

/// Batch inference: reads every input object under a prefix, predicts each row with a registry
/// model on every core, and writes JSON Lines prediction shards, a rejects object and a manifest.
///
/// A run goes like this:
/// 1. Resolve the model and list the inputs (a missing model or an empty prefix is an error).
/// 2. Read each input whole and parse it (objects in parallel); bad rows become rejects.
/// 3. Predict in fixed chunks of rows on `threads` workers and encode each chunk's lines.
/// 4. Shard by shard (`shardRows` rows each), predict on every core while a writer stores the
///    previous shard, in order, in the run folder `<output>/<run>/`; then write `rejects.jsonl`,
///    then `<output>/_MANIFEST.json` (with a generation precondition, so two racing runs cannot
///    both commit).
/// 5. Delete every other run folder under the output prefix (older runs, killed leftovers).
///
/// The run folder's name is a hash of the settings, the model id and the inputs' generations, so
/// re-running after a kill rewrites the same folder and completes it, and readers (who follow
/// the manifest) never see a half-written run. Output bytes depend on neither the thread count
/// nor the shard size (beyond where the shards are cut).
public struct BatchJob: Sendable {
    /// Rows predicted per work item: small enough to balance cores, large enough to be cheap.
    static let chunkRows = 2048

    /// The store holding inputs, outputs and the model registry.
    public let store: any ObjectStore
    /// What to do.
    public let spec: BatchJobSpec

    /// A job over `store`. Transient store failures (injected faults) are retried up to five
    /// times per operation; other errors stop the job.
    public init(store: any ObjectStore, spec: BatchJobSpec) {
        self.store = RetryingObjectStore(store)
        self.spec = spec
    }

    /// Runs the job once and returns its summary.
    /// - Parameters:
    ///   - provided: the model to score with, when the caller brings it (e.g. from a file);
    ///     nil resolves `spec.model` in the registry. Either way the model's kind decides how
    ///     rows are read: a text model's rows hold `spec.textField`, a tabular model's the
    ///     columns of its schema (see `TabularInputParser`). A provided model is registered
    ///     only once the inputs were read and found usable, so nothing is registered for a job
    ///     that fails on its inputs. The manifest names the version.
    ///   - progress: called with (rows predicted so far, rows in total), from any thread.
    /// - Throws: `BatchJobError` (among them the job-level input errors: a header without the
    ///   text, id or a feature column, a JSON Lines object none of whose records has the
    ///   field, input whose every row was rejected, or one input whose two or more rows were
    ///   all rejected for the same reason), `ModelRegistryError` or the store's error; nothing
    ///   is committed then (a manifest from an earlier run stays as it was, and no run folder is
    ///   written or deleted).
    public func run(model provided: ProvidedBatchModel? = nil, faults: BatchFaults = .none,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> BatchSummary {
        let previousManifest = try manifestGeneration()
        let inputs = try readInputs()
        let threads = spec.threads ?? ParallelWork.availableCores
        let model: BatchModel
        let register: () throws -> (name: String, version: Int)
        if let provided {
            (model, register) = (provided.model, provided.register)
        } else {
            let registry = ModelRegistry(store: store, bucket: spec.modelBucket ?? spec.bucket)
            let (version, found) = try registry.resolve(name: spec.model.name, aliasOrVersion: spec.model.aliasOrVersion,
                                                        as: BatchModel.init(artifact:))
            (model, register) = (found, { (spec.model.name, version) })
        }

        let rows: ScoredRows
        let counts: [(rows: Int, rejected: Int)]
        let rejects: [RejectedRow]
        switch model {
        case .text(let text):
            let parsed = try parse(inputs, with: BatchInputParser(spec: spec), threads: threads)
            (counts, rejects) = (parsed.map { ($0.rows.count, $0.rejects.count) }, parsed.flatMap(\.rejects))
            rows = .text(ConcatenatedRows(parsed.map(\.rows)), text.classifier)
        case .tabular(let tabular):
            let schema = tabular.classifier.schema
            let parsed = try parse(inputs, with: TabularInputParser(spec: spec, schema: schema), threads: threads)
            (counts, rejects) = (parsed.map { ($0.rows.count, $0.rejects.count) }, parsed.flatMap(\.rejects))
            rows = .tabular(TabularRows(concatenating: parsed.map(\.rows), schema: schema), tabular.classifier)
        }
        if rows.count == 0, let first = rejects.first {
            throw BatchJobError.everyRowRejected(job: spec.name, rejected: rejects.count, first: first)
        }
        let registered = try register()
        let run = runName(modelID: model.modelID, inputs: inputs.map(\.metadata))
        let folder = spec.outputPrefix + run + "/"

        // Predict one shard's rows at a time on every core; the writer stores the previous
        // shard meanwhile.
        let writer = ShardWriter(store: store, bucket: spec.bucket, folder: folder, job: spec.name, modelID: model.modelID,
                                 killAfterShards: faults.killAfterShards)
        let progressCounter = ProgressCounter(total: rows.count, report: progress)
        let encoder = PredictionEncoder(labels: model.labels)
        var labelTotals = Array(repeating: 0, count: model.labels.count)
        var shardStart = 0
        while shardStart < rows.count && !writer.hasFailed {
            let shardRows = shardStart..<min(rows.count, shardStart + spec.shardRows)
            let chunks = predict(rows, shardRows, encoder: encoder, labelCount: model.labels.count, threads: threads, progress: progressCounter)
            for chunk in chunks {
                for (label, count) in chunk.labelCounts.enumerated() { labelTotals[label] += count }
            }
            writer.submit(chunks, rows: shardRows.count)
            shardStart += shardRows.count
        }
        let (written, predictionsSHA256) = try writer.finish()
        let shards = written.map { BatchManifest.Output(key: $0.key, rows: $0.rows, md5: $0.md5) }

        let rejectBytes = Self.rejectLines(rejects)
        let rejectsKey = folder + "rejects.jsonl"
        let storedRejects = try store.put(Data(rejectBytes), bucket: spec.bucket, key: rejectsKey,
                                          options: PutOptions(contentType: "application/x-ndjson"))

        var labelCounts: [String: Int] = [:]
        for (label, count) in zip(model.labels, labelTotals) where count > 0 { labelCounts[label] = count }
        let manifest = BatchManifest(
            job: spec.name, run: run,
            model: .init(name: registered.name, version: registered.version, id: model.modelID),
            inputs: zip(inputs, counts).map { input, count in
                .init(key: input.metadata.key, generation: input.metadata.generation, rows: count.rows, rejected: count.rejected)
            },
            shards: shards,
            rejects: .init(key: rejectsKey, rows: rejects.count, md5: storedRejects.etag),
            labelCounts: labelCounts, rows: rows.count, rejected: rejects.count,
            predictionsSHA256: predictionsSHA256)
        try commit(manifest, replacing: previousManifest)
        try deleteOtherRuns(keeping: folder)
        return BatchSummary(job: spec.name, status: .succeeded, run: run, model: spec.model.description,
                            modelID: model.modelID, inputs: inputs.count, rows: rows.count, rejected: rejects.count,
                            shards: shards.count, manifest: spec.manifestKey, error: nil)
    }

    /// Every input parsed by `parser` (objects in parallel), in input order.
    /// - Throws: the first input's job failure (a missing column), or
    ///   `BatchJobError.inputRejectedForOneReason` for an input whose two or more rows were all
    ///   rejected for the same reason.
    private func parse<Parser: BatchRowParser>(_ inputs: [StoredObject], with parser: Parser, threads: Int) throws -> [ParsedInput<Parser.Rows>] {
        let parsed = ParallelWork.map(count: inputs.count, threads: threads, makeState: {}) { index, _ in
            parser.parse(inputs[index].data, key: inputs[index].metadata.key)
        }
        if let failure = parsed.lazy.compactMap(\.jobFailure).first { throw failure }
        for (input, result) in zip(inputs, parsed) where result.rows.count == 0 && result.rejects.count >= 2 {
            let reason = result.rejects[0].reason
            if result.rejects.allSatisfy({ $0.reason == reason }) {
                throw BatchJobError.inputRejectedForOneReason(input: input.metadata.key, rejected: result.rejects.count, reason: reason)
            }
        }
        return parsed
    }

    /// Writes the manifest if it is still at generation `previous`. When another run got there
    /// first with the very same manifest (a twin: same inputs, settings and model, so the same
    /// run folder and bytes), this run is committed already and that is success.
    /// - Throws: `BatchJobError.concurrentRun` when another run committed something else.
    private func commit(_ manifest: BatchManifest, replacing previous: Int64) throws {
        do {
            try store.put(manifest.fileData, bucket: spec.bucket, key: spec.manifestKey, options: PutOptions(
                contentType: "application/json", preconditions: Preconditions(ifGenerationMatch: previous)))
        } catch ObjectStoreError.preconditionFailed {
            let current = try? store.get(bucket: spec.bucket, key: spec.manifestKey).data
            guard current == manifest.fileData else {
                throw BatchJobError.concurrentRun(job: spec.name, manifestKey: spec.manifestKey)
            }
        }
    }

    /// The current manifest's generation, 0 when there is none.
    private func manifestGeneration() throws -> Int64 {
        do { return try store.head(bucket: spec.bucket, key: spec.manifestKey).generation } catch ObjectStoreError.objectNotFound { return 0 }
    }

    /// Every object under the input prefix, in key order, skipping the output prefix and the
    /// model registry (when it shares the bucket).
    private func readInputs() throws -> [StoredObject] {
        let registryShared = (spec.modelBucket ?? spec.bucket) == spec.bucket
        let keys = try store.listAll(bucket: spec.bucket, prefix: spec.inputPrefix).filter {
            !$0.key.hasPrefix(spec.outputPrefix) && !(registryShared && $0.key.hasPrefix(ModelRegistry.keyPrefix))
        }
        guard !keys.isEmpty else { throw BatchJobError.noInputs(bucket: spec.bucket, prefix: spec.inputPrefix) }
        return try keys.map { try store.get(bucket: spec.bucket, key: $0.key, generation: $0.generation) }
    }

    /// Predicts `rows` numbered `range` in chunks on `threads` workers, one workspace per worker.
    private func predict(_ rows: ScoredRows, _ range: Range<Int>, encoder: PredictionEncoder, labelCount: Int, threads: Int,
                         progress: ProgressCounter) -> [EncodedChunk] {
        let chunkCount = (range.count + Self.chunkRows - 1) / Self.chunkRows
        let lineBytes = 160
        return ParallelWork.map(count: chunkCount, threads: threads, makeState: { PredictionWorkspace() }) { chunk, workspace in
            let start = range.lowerBound + chunk * Self.chunkRows
            let chunkRange = start..<min(range.upperBound, start + Self.chunkRows)
            var encoded = EncodedChunk(labelCount: labelCount)
            encoded.bytes.reserveCapacity(chunkRange.count * lineBytes)
            rows.predict(chunkRange, encoder: encoder, workspace: &workspace, into: &encoded)
            progress.add(chunkRange.count)
            return encoded
        }
    }

    /// The run folder name: `run-` and 16 hex digits of a hash of what determines the output.
    private func runName(modelID: String, inputs: [ObjectMetadata]) -> String {
        var hash = SHA256()
        let settings = [spec.name, spec.bucket, spec.inputPrefix, spec.outputPrefix, spec.format.rawValue, spec.textField,
                        spec.idField ?? "", String(spec.shardRows), String(spec.maxTextBytes), modelID]
        for field in settings { hash.update(data: Data((field + "\u{0}").utf8)) }
        for input in inputs { hash.update(data: Data("\(input.key)\u{0}\(input.generation)\u{0}".utf8)) }
        return "run-" + Hex.string(hash.finalize()).prefix(16)
    }

    /// Deletes the objects of this job's other run folders (`<output>run-<16 hex digits>/…`):
    /// older runs and leftovers of killed ones. Nothing else under the output prefix is touched.
    private func deleteOtherRuns(keeping folder: String) throws {
        for object in try store.listAll(bucket: spec.bucket, prefix: spec.outputPrefix + "run-")
        where !object.key.hasPrefix(folder) && Self.isRunFolderKey(object.key.dropFirst(spec.outputPrefix.count)) {
            do {
                try store.delete(bucket: spec.bucket, key: object.key)
            } catch ObjectStoreError.objectNotFound {
                // A twin run deleted it first.
            }
        }
    }

    /// Whether `key` (relative to the output prefix) lies in a run folder: `run-`, 16 lowercase
    /// hex digits, `/`.
    static func isRunFolderKey(_ key: Substring) -> Bool {
        let bytes = Array(key.utf8.prefix(21))
        guard bytes.count == 21, bytes.starts(with: Array("run-".utf8)), bytes[20] == UInt8(ascii: "/") else { return false }
        return Hex.isDigits(bytes[4..<20], count: 16)
    }

    private static func rejectLines(_ rejects: [RejectedRow]) -> [UInt8] {
        var out: [UInt8] = []
        for reject in rejects {
            out.append(contentsOf: "{\"input\":".utf8)
            JSONString.appendQuoted(reject.input, to: &out)
            out.append(contentsOf: ",\"line\":\(reject.line),\"reason\":".utf8)
            JSONString.appendQuoted(reject.reason, to: &out)
            out.append(contentsOf: "}\n".utf8)
        }
        return out
    }
}

/// Counts predicted rows across workers and passes the running total to a progress callback.
private final class ProgressCounter: Sendable {
    private let done = Atomic<Int>(0)
    private let total: Int
    private let report: (@Sendable (Int, Int) -> Void)?

    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    func add(_ rows: Int) {
        guard let report else { return }
        let now = done.add(rows, ordering: .relaxed).newValue
        report(now, total)
    }
}
