import ArgumentParser
import Modes

/// `rehearse models list`: every model of the bucket's registry with its versions and aliases.
struct ModelsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show every model of the registry: its versions, and where each alias points.")

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let registry = try options.registry()
        let names = try ModelRegistry.modelNames(in: registry.store, bucket: registry.bucket)
        guard !names.isEmpty else {
            print("no model is registered in bucket \"\(registry.bucket)\" (nothing under \(ModelRegistry.keyPrefix))")
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
