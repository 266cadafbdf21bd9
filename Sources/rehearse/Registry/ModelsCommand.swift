import ArgumentParser

/// `rehearse models`: the model registry of a cloud root's bucket — what is registered, and
/// moving an alias (a promotion, a canary, a rollback) as a person does between rehearsals.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the model registry of a local cloud's bucket, or move an alias.",
        discussion: """
            The registry keeps models in the bucket by name and version \
            (models/NAME/VERSION/model.rmodel) with aliases that point at versions \
            (models/NAME/aliases/ALIAS); batch --model-file and stream --model-file register \
            files, automl registers what it trains. A rehearse serve following the alias picks \
            the move up at its next poll.

            Examples:
              rehearse models list --root /tmp/cloud --bucket lake
              rehearse models alias --root /tmp/cloud --bucket lake sentiment@production 2
            """,
        subcommands: [ModelsListCommand.self, ModelsAliasCommand.self],
        defaultSubcommand: ModelsListCommand.self
    )
}
