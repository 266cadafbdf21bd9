import ArgumentParser

/// The `rehearse` command: a thin shell over the harness, the modes and the model core.
@main
struct Rehearse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Dress-rehearse ML inference systems on one machine before they are deployed.",
        subcommands: [
            RunCommand.self,
            ListCommand.self,
            BatchCommand.self,
            DataCommand.self,
            TrainCommand.self,
            EvaluateCommand.self,
            PredictCommand.self,
            ReviewCommand.self,
            AcceptCommand.self,
            RejectCommand.self,
            CloudCommand.self,
        ]
    )
}
