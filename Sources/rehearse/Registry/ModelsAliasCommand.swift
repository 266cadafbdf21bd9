import ArgumentParser
import Modes

/// `rehearse models alias`: points an alias at a registered version.
struct ModelsAliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias",
        abstract: "Point an alias at a registered version (a promotion or a rollback).",
        discussion: "Says where the alias went: pointed at the version, moved from another, or already there.")

    @OptionGroup var options: RegistryOptions

    @Argument(help: ArgumentHelp("The model and the alias to move, as NAME@ALIAS.", valueName: "NAME@ALIAS"), transform: Self.alias)
    var alias: ModelReference

    @Argument(help: ArgumentHelp("The registered version to point it at.", valueName: "VERSION"), transform: Self.version)
    var version: Int

    func run() throws {
        let registry = try options.registry(writable: true)
        let move = try AliasMove.point(alias.aliasOrVersion, of: alias.name, at: version, in: registry)
        print("\(alias.name): \(move)")
    }

    /// `text` as NAME@ALIAS, where the alias is not a version number.
    private static func alias(_ text: String) throws -> ModelReference {
        guard let reference = ModelReference(text), Int(reference.aliasOrVersion) == nil else {
            throw ValidationError("expected NAME@ALIAS, such as sentiment@production (an alias, not a version)")
        }
        return reference
    }

    /// `text` as a version number.
    private static func version(_ text: String) throws -> Int {
        guard let number = ModelRegistry.versionNumber(text) else { throw ValidationError("expected a version number, 1, 2, 3, …") }
        return number
    }
}
