import Foundation
import JSON
import LocalCloud
import Testing
import TestSupport
import Wire

/// `rehearse batch --store s3://BUCKET --endpoint URL` as a child process, with credentials from
/// `AWS_*` variables, against `rehearse cloud serve` (version generations) and moto (an
/// unversioned bucket: content generations, the manifest committed with If-Match).
@Suite struct S3ObjectStoreBatchTests {
    @Test("rehearse batch --store runs the job against rehearse cloud serve", .timeLimit(.minutes(2)))
    func againstCloudServe() throws {
        try BatchOverS3.run(.cloudServe)
    }

    @Test("rehearse batch --store runs the job against moto",
          .enabled(if: MotoParity.isInstalled, "moto_server is not installed (scripts/setup installs it)"),
          .timeLimit(.minutes(2)))
    func againstMoto() throws {
        try BatchOverS3.run(.moto)
    }

    @Test("--store is validated, and a missing bucket fails naming it", .timeLimit(.minutes(1)))
    func refusals() throws {
        let bad = try BatchOverS3.rehearse(["batch", "--store", "s3://data/in", "--input", "in/", "--output", "out/",
                                            "--model", "m@production"], environment: [:])
        #expect(bad.status == 2 && bad.errors.contains("--store is s3://BUCKET"), "\(bad)")
        let both = try BatchOverS3.rehearse(["batch", "--store", "s3://data", "--root", "/tmp/x", "--input", "in/", "--output",
                                             "out/", "--model", "m@production"], environment: [:])
        #expect(both.status == 2 && both.errors.contains("--root and --store are alternatives"), "\(both)")
        let noKeys = try BatchOverS3.rehearse(["batch", "--store", "s3://data", "--endpoint", "http://127.0.0.1:9", "--input", "in/",
                                               "--output", "out/", "--model", "m@production", "--progress", "never"], environment: [:])
        #expect(noKeys.status == 1 && noKeys.errors.contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY not set"), "\(noKeys)")

        let target = try ConformanceTarget(.cloudServe)
        defer { target.stop() }
        let store = try #require(target.store as? S3ObjectStore)
        let missing = try BatchOverS3.rehearse(["batch", "--store", "s3://nosuch", "--endpoint", store.endpointURL, "--input", "in/",
                                                "--output", "out/", "--model", "m@production", "--progress", "never"],
                                               environment: BatchOverS3.credentials)
        #expect(missing.status == 1 && missing.errors.contains("bucket \"nosuch\" does not exist"), "\(missing)")
    }
}

enum BatchOverS3 {
    static let credentials = ["AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"]

    /// Trains a small model with `rehearse train`, puts two CSV inputs through the driver, runs
    /// `rehearse batch --store` twice, and checks the summary, the manifest (its input
    /// generations are what `head` says) and the shards.
    static func run(_ backend: StoreBackend) throws {
        let target = try ConformanceTarget(backend)
        defer { target.stop() }
        let store = try #require(target.store as? S3ObjectStore)
        let bucket = try target.freshBucket()
        let work = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("s3-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let model = work.appendingPathComponent("model.rmodel")
        let trained = try rehearse(["train", "--data", try corpus(in: work).path, "--buckets", "4096", "--out", model.path],
                                   environment: [:])
        try #require(trained.status == 0, "\(trained.errors)")

        try store.put(Data("id,text\n1,love great awesome\n2,hate awful terrible\n".utf8), bucket: bucket, key: "tweets/a.csv")
        try store.put(Data("id,text\n3,meeting today report\n".utf8), bucket: bucket, key: "tweets/b.csv")
        let arguments = ["batch", "--store", "s3://\(bucket)", "--endpoint", store.endpointURL, "--input", "tweets/",
                         "--output", "predictions/", "--model", "sentiment@production", "--model-file", model.path,
                         "--progress", "never"]
        for attempt in 1...2 {
            let result = try rehearse(arguments, environment: credentials)
            try #require(result.status == 0, "run \(attempt) against \(backend.rawValue): \(result.errors)")
            let summary = try JSONParser.parse(result.output.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(summary["status"] == "succeeded" && summary["rows"] == 3 && summary["inputs"] == 2, "\(summary.canonicalText)")
        }

        let manifest = try JSONParser.parse(String(decoding: try store.get(bucket: bucket, key: "predictions/_MANIFEST.json").data,
                                                   as: UTF8.self))
        guard case .array(let inputs)? = manifest["inputs"], case .array(let shards)? = manifest["shards"] else {
            Issue.record("manifest without inputs or shards: \(manifest.canonicalText)")
            return
        }
        #expect(inputs.count == 2)
        for input in inputs {
            let key = try #require(input["key"]?.string)
            let head = try store.head(bucket: bucket, key: key)
            #expect(input["generation"]?.canonicalText == String(head.generation),
                    "\(key): manifest says \(input["generation"]?.canonicalText ?? "none"), head says \(head.generation)")
        }
        var lines = 0
        for shard in shards {
            let key = try #require(shard["key"]?.string)
            lines += String(decoding: try store.get(bucket: bucket, key: key).data, as: UTF8.self).split(separator: "\n").count
        }
        #expect(lines == 3)
        #expect(try store.list(bucket: bucket, options: ListOptions(prefix: "models/sentiment/")).objects.isEmpty == false,
                "the model was not registered in the bucket's registry")
    }

    /// A 300-row training corpus of three labels.
    static func corpus(in folder: URL) throws -> URL {
        var csv = "sentiment,confidence,text\n"
        let words = [("positive", "love great awesome happy"), ("negative", "hate awful terrible sad"),
                     ("neutral", "meeting today schedule report")]
        for index in 0..<300 {
            let (label, vocabulary) = words[index % 3]
            let chosen = vocabulary.split(separator: " ")
            csv += "\(label),1,\"tweet \(index) \(chosen[index % 4]) \(chosen[(index / 3) % 4])\"\n"
        }
        let url = folder.appendingPathComponent("corpus.csv")
        try Data(csv.utf8).write(to: url)
        return url
    }

    /// Runs `rehearse` with `environment` in place of every `AWS_*` variable of this process;
    /// output goes to files (no pipe can fill up); killed by pid after 90 s.
    static func rehearse(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String, errors: String) {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rehearse-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputFile = folder.appendingPathComponent("out"), errorFile = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let process = Process()
        process.executableURL = try rehearseURL()
        process.arguments = arguments
        var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        variables.merge(environment) { $1 }
        process.environment = variables
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let pid = process.processIdentifier, running = process
        DispatchQueue.global().asyncAfter(deadline: .now() + 90) { if running.isRunning { kill(pid, SIGKILL) } }
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: outputFile, encoding: .utf8),
                try String(contentsOf: errorFile, encoding: .utf8))
    }
}
