import ArgumentParser
import LocalCloud
import Modes

/// `rehearse models list`: every model of the bucket's registry with its versions and aliases.
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show every model of the registry: its versions, and where each alias points.")

    @OptionGroup var cloud: CloudRootOptions

    @Option(help: ArgumentHelp("The bucket holding the registry.", valueName: "BUCKET"))
    var bucket: String

    func run() throws {
        let store = try cloud.objectStore()
        guard try store.bucketNames().contains(bucket) else { throw CommandFailure("no bucket \"\(bucket)\" in \(cloud.root)") }
        let registry = ModelRegistry(store: store, bucket: bucket)
        let names = try ModelRegistry.modelNames(in: store, bucket: bucket)
        guard !names.isEmpty else {
            print("no model is registered in bucket \"\(bucket)\" (nothing under \(ModelRegistry.keyPrefix))")
            return
        }
        var rows = [["MODEL", "VERSIONS", "ALIASES"]]
        for name in names {
            let versions = try registry.versions(name: name).map(String.init).joined(separator: " ")
            let aliases = try registry.aliases(name: name).map { "\($0.alias) → \($0.version)" }.joined(separator: ", ")
            rows.append([name, versions.isEmpty ? "-" : versions, aliases.isEmpty ? "-" : aliases])
        }
        print(table(rows))
    }
}
