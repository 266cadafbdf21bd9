import ArgumentParser
import Foundation
import JSON
import LocalCloud
import Modes
import ModelCore
import Wire

/// `rehearse batch`: run a batch inference job against a cloud root folder, or against an
/// S3-compatible store (`--store s3://BUCKET`), outside scenarios.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Run a batch inference job over the objects under a prefix of a local cloud or an S3 bucket.",
        discussion: """
            Reads every object under --input in the bucket (--bucket, or the one --store \
            names; CSV with a header row, or JSON \
            Lines for .jsonl/.ndjson keys), predicts each row with a model from the \
            bucket's registry (models/<name>/<version>/…), and writes JSON Lines prediction \
            shards to <output>/<run>/part-NNNNN.jsonl, bad rows with their line and reason \
            to <output>/<run>/rejects.jsonl, and finally <output>/_MANIFEST.json. Readers \
            should start from the manifest: a re-run replaces the output atomically, and a \
            run that dies midway leaves no manifest (run again to complete it). Older run \
            folders (<output>/run-…/) are then deleted; nothing else under --output is touched.

            A text model reads each row's --text column. A tabular model (such as the \
            propensity models of `rehearse automl`) reads every column of its schema by name \
            instead: numbers for its numeric columns, any text for its categorical ones; a \
            row's score is the probability of "true".

            A wrong job fails (exit 1) without writing or deleting anything: an input whose \
            header lacks the --text, --id or a tabular model's column, JSON Lines none of whose records has the \
            field, input whose every row is rejected, or one input whose rows (two or more) \
            are all rejected for the same reason. With --model-file, racing processes \
            register one version of the same file, and the job scores with that version.

            The cloud root is the folder a sandbox lives in (see `rehearse run --keep` and \
            `rehearse cloud`); it must hold a local cloud already, with the inputs in the bucket \
            (put them with `rehearse cloud serve` and any S3 client). Objects under --output \
            are never read as inputs, so --output may lie inside --input, but --input may not \
            lie inside --output. Prints the run summary as JSON, and \
            a progress bar on standard error when that is a terminal (see --progress).

            With --store s3://BUCKET instead of --root and --bucket, the job runs against an \
            S3-compatible store (AWS, MinIO, moto, `rehearse cloud serve`) at --endpoint \
            (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's endpoint_url, else \
            AWS in the region), with path-style requests signed as the AWS CLI signs them: \
            AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else the profile \
            (AWS_PROFILE, default "default") of ~/.aws/credentials or ~/.aws/config; for \
            AWS_REGION, AWS_DEFAULT_REGION or the profile's region (default us-east-1). The \
            bucket must exist. Where the store has no numbered versions, the manifest records \
            each input's content generation (a fingerprint of its ETag) and is committed with \
            If-Match / If-None-Match (see docs/wire.md).

            Examples:
              rehearse batch --root /tmp/cloud --bucket data --input tweets/ --output predictions/ \\
                  --model sentiment@production
              rehearse batch --root /tmp/cloud --bucket data --input tweets/ --output predictions/ \\
                  --model sentiment@latest --model-file model.rmodel     (registers the file, points the alias at it)
              rehearse batch --store s3://data --endpoint http://127.0.0.1:9000 --input tweets/ \\
                  --output predictions/ --model sentiment@production
            """)

    @Option(help: ArgumentHelp("The cloud's root folder (or use --store).", valueName: "DIR"))
    var root: String?

    @Option(help: ArgumentHelp("The bucket of the cloud root holding inputs, outputs and the model registry.", valueName: "BUCKET"))
    var bucket: String?

    @Option(help: ArgumentHelp(
        "An S3-compatible bucket instead of --root and --bucket, as s3://BUCKET (credentials as the AWS CLI finds them).",
        valueName: "s3://BUCKET"))
    var store: String?

    @Option(help: ArgumentHelp(
        "The S3 endpoint for --store (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's endpoint_url, else AWS).", valueName: "URL"))
    var endpoint: String?

    @Option(help: ArgumentHelp("Read every object whose key starts with this.", valueName: "PREFIX"))
    var input: String

    @Option(help: ArgumentHelp("Write the run folder and the manifest under this prefix.", valueName: "PREFIX"))
    var output: String

    @Option(help: ArgumentHelp("The registry model: name@alias or name@version.", valueName: "NAME@ALIAS"))
    var model: String

    @Option(help: ArgumentHelp(
        "Register this artifact as the next version of the model (unless that exact model is registered already), and point the alias at it.", valueName: "FILE"))
    var modelFile: String?

    @Option(help: ArgumentHelp("Input format: auto (by extension), csv or jsonl.", valueName: "FORMAT"))
    var format = "auto"

    @Option(help: ArgumentHelp("The CSV column or JSON field with the text (text models only).", valueName: "NAME"))
    var text = "text"

    @Option(help: ArgumentHelp("The CSV column or JSON field with the row id; `none` ids rows by key and line.", valueName: "NAME"))
    var id = "id"

    @Option(parsing: .unconditional, help: ArgumentHelp("Prediction rows per output shard.", valueName: "N"))
    var shardRows = 100_000

    @Option(parsing: .unconditional, help: ArgumentHelp("Reject texts longer than this many UTF-8 bytes.", valueName: "N"))
    var maxTextBytes = 4096

    @Option(parsing: .unconditional, help: ArgumentHelp("Worker threads (default: every core). Output bytes never depend on it.", valueName: "N"))
    var threads: Int?

    @Option(help: ArgumentHelp(
        "Progress on standard error: auto (a bar when it is a terminal), lines (one line per percent, for logs) or never.",
        valueName: "WHEN"))
    var progress = "auto"

    /// The bucket the job uses: --bucket with --root, or the one --store names.
    private var jobBucket: String { store.flatMap(Self.s3Bucket) ?? bucket ?? "" }

    /// The bucket of an `s3://BUCKET` URL (a trailing `/` allowed), nil for anything else.
    static func s3Bucket(_ url: String) -> String? {
        guard url.hasPrefix("s3://") else { return nil }
        var name = url.dropFirst("s3://".count)
        if name.hasSuffix("/") { name = name.dropLast() }
        return name.isEmpty || name.contains("/") ? nil : String(name)
    }

    func validate() throws {
        switch (root, store) {
        case (nil, nil): throw ValidationError("give --root DIR with --bucket BUCKET, or --store s3://BUCKET")
        case (_?, _?): throw ValidationError("--root and --store are alternatives: give one")
        case (_?, nil):
            guard bucket != nil else { throw ValidationError("--root needs --bucket BUCKET") }
            guard endpoint == nil else { throw ValidationError("--endpoint goes with --store s3://BUCKET") }
        case (nil, let url?):
            guard Self.s3Bucket(url) != nil else {
                throw ValidationError("--store is s3://BUCKET (prefixes go in --input and --output), not \(url)")
            }
            guard bucket == nil else { throw ValidationError("--store names the bucket; leave out --bucket") }
        }
        guard BatchInputFormat(rawValue: format) != nil else { throw ValidationError("--format is auto, csv or jsonl") }
        guard ["auto", "lines", "never"].contains(progress) else { throw ValidationError("--progress is auto, lines or never") }
        guard let reference = ModelReference(model) else {
            throw ValidationError("--model is name@alias or name@version, e.g. sentiment@production")
        }
        if modelFile != nil { try ModelFileRegistration.validate(reference) }
        guard !output.isEmpty else { throw ValidationError("--output must name a prefix, such as predictions/") }
        // The job's output prefix ends in "/" (BatchJobSpec adds it); keys under it are never inputs.
        guard !input.hasPrefix(output.hasSuffix("/") ? output : output + "/") else {
            throw ValidationError("--input \(input) lies inside --output \(output): the job never reads its outputs, so it would have no input; "
                                  + "give an --output outside it")
        }
        for (flag, value) in [("--shard-rows", shardRows), ("--max-text-bytes", maxTextBytes), ("--threads", threads ?? 1)] where value < 1 {
            throw ValidationError("\(flag) must be at least 1, got \(value)")
        }
    }

    func run() throws {
        let reference = ModelReference(model)!
        do {
            // An unreadable model file fails before the cloud root is created or touched.
            let artifact = try modelFile.map { try ModelFile.load($0, as: BatchModel.init(artifact:)) }
            let bucket = jobBucket
            let store: any ObjectStore
            if let root {
                // The inputs are objects of the bucket, so a job on a cloud or bucket that does
                // not exist fails saying so, and creates neither.
                let rootURL = URL(fileURLWithPath: root)
                guard FileManager.default.fileExists(atPath: DirectoryObjectStore.indexPath(rootURL)) else {
                    throw ObjectStoreError.storeNotFound(root: root)
                }
                store = try DirectoryObjectStore(root: rootURL, clock: SystemClock())
                guard try store.bucketNames().contains(bucket) else { throw ObjectStoreError.bucketNotFound(bucket: bucket) }
            } else {
                // A real store's bucket is not created: it must exist (the job fails naming it).
                store = try S3ObjectStore.fromEnvironment(endpoint: endpoint)
            }
            // Nothing is registered for a job that cannot run: the job asks for the model only
            // once its inputs were read and found usable.
            var provided: ProvidedBatchModel?
            if let modelFile, let artifact {
                provided = ProvidedBatchModel(model: artifact) {
                    (reference.name, try ModelFileRegistration.register(artifact, from: modelFile, as: reference, in: store, bucket: bucket))
                }
            }
            let spec = BatchJobSpec(
                name: "batch", bucket: bucket, inputPrefix: input, outputPrefix: output, format: BatchInputFormat(rawValue: format)!,
                textField: text, idField: id == "none" ? nil : id, model: reference, shardRows: shardRows,
                maxTextBytes: maxTextBytes, threads: threads)
            let bar: ProgressBar? = switch progress {
            case "lines": ProgressBar(style: .lines)
            case "auto" where isatty(STDERR_FILENO) != 0: ProgressBar(style: .bar)
            default: nil
            }
            var report: (@Sendable (Int, Int) -> Void)?
            if let bar { report = { done, total in bar.show(done, of: total) } }
            let summary = try BatchJob(store: store, spec: spec).run(model: provided, progress: report)
            bar?.finish()
            print(try JSONValue(encoding: summary).canonicalText)
        } catch let error as ValidationError {
            throw error
        } catch {
            Console.note("error: \(error)")
            throw ExitCode.failure
        }
    }
}
