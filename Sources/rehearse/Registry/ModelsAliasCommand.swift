import ArgumentParser
import Modes

/// `rehearse models alias`: points an alias at a registered version.
struct ModelsAliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias",
        abstract: "Point an alias at a registered version (a promotion or a rollback).",
        discussion: "Says where the alias went: pointed at the version, moved from another, or already there.")

    @OptionGroup var options: RegistryOptions

    @Argument(help: ArgumentHelp("The model and the alias to move, as NAME@ALIAS.", valueName: "NAME@ALIAS"))
    var alias: String

    @Argument(help: ArgumentHelp("The registered version to point it at.", valueName: "VERSION"))
    var version: String

    func validate() throws {
        guard let reference = ModelReference(alias), Int(reference.aliasOrVersion) == nil else {
            throw ValidationError("\(alias): expected NAME@ALIAS, such as sentiment@production (an alias, not a version)")
        }
        guard ModelRegistry.versionNumber(version) != nil else {
            throw ValidationError("\(version): expected a version number, 1, 2, 3, …")
        }
    }

    func run() throws {
        let registry = try options.registry(writable: true)
        guard let reference = ModelReference(alias), let number = ModelRegistry.versionNumber(version) else { return }  // validate() checked both
        let move = try AliasMove.point(reference.aliasOrVersion, of: reference.name, at: number, in: registry)
        print("\(reference.name): \(move)")
    }
}
