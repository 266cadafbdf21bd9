import ArgumentParser
import Foundation
import LocalCloud

/// `rehearse cloud ls`: buckets, or the objects of one bucket.
struct CloudListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List buckets, or the objects in a bucket.",
        discussion: """
            Without a bucket, lists the buckets. Shows what the index records: the sandbox is opened \
            read-only, so files copied into a bucket folder by hand appear once the sandbox next opens it.
            """)

    @OptionGroup var cloud: CloudRootOptions

    @Argument(help: "The bucket to list.")
    var bucket: String?

    @Option(help: "Only keys starting with this.")
    var prefix: String = ""

    @Option(help: "Roll keys up to the first occurrence of this after the prefix (usually '/').")
    var delimiter: String?

    func run() throws {
        let store = try cloud.objectStore()
        guard let bucket else {
            for name in try store.bucketNames() { print(name) }
            return
        }
        var rows = [["KEY", "SIZE", "GENERATION", "UPDATED", "CONTENT-TYPE"]]
        var token: String?
        repeat {
            let page = try store.list(bucket: bucket, options: ListOptions(prefix: prefix, delimiter: delimiter, pageToken: token))
            rows += page.commonPrefixes.map { [$0, "-", "-", "-", "(prefix)"] }
            rows += page.objects.map {
                [$0.key, String($0.size), String($0.generation), $0.updated.iso8601, $0.contentType]
            }
            token = page.nextPageToken
        } while token != nil
        print(table(rows))
    }
}

/// `rehearse cloud cat`: an object's bytes on standard output.
struct CloudCatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat", abstract: "Print an object's bytes (current generation, or --generation).")

    @OptionGroup var cloud: CloudRootOptions

    @Argument(help: "The bucket.")
    var bucket: String

    @Argument(help: "The object key.")
    var key: String

    @Option(parsing: .unconditional, help: "A kept generation instead of the current one.")
    var generation: Int64?

    func run() throws {
        let object = try cloud.objectStore().get(bucket: bucket, key: key, generation: generation)
        FileHandle.standardOutput.write(object.data)
    }
}

/// `rehearse cloud generations`: every kept generation of an object.
struct CloudGenerationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generations", abstract: "Show every kept generation of an object, newest first.")

    @OptionGroup var cloud: CloudRootOptions

    @Argument(help: "The bucket.")
    var bucket: String

    @Argument(help: "The object key.")
    var key: String

    func run() throws {
        let generations = try cloud.objectStore().generations(bucket: bucket, key: key)
        guard !generations.isEmpty else { throw ObjectStoreError.objectNotFound(bucket: bucket, key: key, generation: nil) }
        var rows = [["GENERATION", "STATE", "SIZE", "UPDATED", "ETAG"]]
        rows += generations.map {
            [String($0.generation), $0.isCurrent ? "current" : "noncurrent", String($0.size), $0.updated.iso8601, $0.etag]
        }
        print(table(rows))
    }
}
