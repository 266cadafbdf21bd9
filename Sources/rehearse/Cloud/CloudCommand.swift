import ArgumentParser

/// `rehearse cloud`: look inside a sandbox's emulated cloud by its root folder.
struct CloudCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cloud",
        abstract: "Look inside a sandbox's emulated cloud (objects, generations, topics, messages, schedules), or serve it over S3 and SQS.",
        discussion: """
            Every sub-command takes --root, the folder a sandbox's cloud lives in (it holds \
            buckets/, objects.sqlite, queue.sqlite and schedules.sqlite).
            """,
        subcommands: [
            CloudListCommand.self, CloudCatCommand.self, CloudGenerationsCommand.self,
            CloudTopicsCommand.self, CloudPeekCommand.self, CloudSchedulesCommand.self, CloudServeCommand.self,
        ]
    )
}
