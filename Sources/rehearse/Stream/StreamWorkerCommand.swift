import ArgumentParser
import Foundation
import LocalCloud
import Modes

/// `rehearse stream-worker`: one streaming worker as a process of its own, for rehearsing a
/// crash: it leases one batch, says so, and waits to be killed.
struct StreamWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream-worker",
        abstract: "One pipeline worker that leases a batch and waits to be killed (rehearses a crashed worker).",
        discussion: """
            Pulls one batch from --subscription of the local cloud at --root and, with \
            --pause-after write, predicts it and stores the predictions in the sink, then prints \
            `holding N` on standard output and waits, without acking, until it is killed (or its \
            standard input closes, when it exits 3 having acked nothing). With --pause-after pull \
            it waits as soon as it holds the lease. `rehearse run`'s `kill` step kills it with \
            SIGKILL: its lease runs out and the batch is delivered to another worker, which finds \
            the predictions stored already. Exits 4 when there is nothing to pull.
            """,
        shouldDisplay: false)

    @Option(help: ArgumentHelp("The local cloud's root folder.", valueName: "DIR"))
    var root: String

    @Option(help: ArgumentHelp("The bucket holding the model registry.", valueName: "BUCKET"))
    var bucket: String

    @Option(help: ArgumentHelp("The registry model: name@alias or name@version.", valueName: "NAME@ALIAS"))
    var model: String

    @Option(help: ArgumentHelp("The subscription to pull from.", valueName: "NAME"))
    var subscription = "tweets-workers"

    @Option(help: ArgumentHelp("Where unreadable tweets go.", valueName: "TOPIC"))
    var deadLetterTopic = "tweets-dead-letters"

    @Option(parsing: .unconditional, help: ArgumentHelp("Deliveries of an unreadable tweet before it is dead-lettered.", valueName: "N"))
    var maxDeliveryAttempts = 5

    @Option(parsing: .unconditional, help: ArgumentHelp("Messages per pull.", valueName: "N"))
    var batchSize = 500

    @Option(help: ArgumentHelp("Take the time from this file (one ISO-8601 line), as `rehearse run` shares its virtual clock.", valueName: "FILE"))
    var clockFile: String?

    @Option(help: ArgumentHelp("When to stop and wait: after the pull, or after the write (before the ack).", valueName: "pull|write"))
    var pauseAfter = "write"

    func validate() throws {
        guard ModelReference(model) != nil else { throw ValidationError("--model is name@alias or name@version, e.g. sentiment@production") }
        guard ["pull", "write"].contains(pauseAfter) else { throw ValidationError("--pause-after is pull or write") }
    }

    func run() throws {
        do {
            let rootURL = URL(fileURLWithPath: root)
            let clock: any CloudClock = try clockFile.map { try FileClock(path: $0) } ?? SystemClock()
            let queue = try SQLiteMessageQueue(path: CloudSandbox.queuePath(rootURL), clock: clock)
            let store = try DirectoryObjectStore(root: rootURL, clock: clock)
            let reference = ModelReference(model)!
            let worker = PredictionWorker(
                wiring: .init(queue: queue, subscription: subscription, deadLetterTopic: deadLetterTopic,
                              maxDeliveryAttempts: maxDeliveryAttempts, sink: try SQLiteTableSink(path: CloudSandbox.sinkPath(rootURL))),
                model: try StreamModel(registry: ModelRegistry(store: store, bucket: bucket), name: reference.name,
                                       aliasOrVersion: reference.aliasOrVersion),
                batchSize: batchSize)
            let hold: (Int) -> Void = { count in
                FileHandle.standardOutput.write(Data("holding \(count)\n".utf8))
                _ = FileHandle.standardInput.readDataToEndOfFile()  // killed here; a closed input ends the wait
                Foundation.exit(3)
            }
            let outcome = try worker.processBatch(afterPull: pauseAfter == "pull" ? hold : { _ in },
                                                  afterWrite: pauseAfter == "write" ? hold : { _ in })
            if outcome.pulled == 0 {
                Console.note("nothing to pull from \(subscription)")
                throw ExitCode(4)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.note("error: \(error)")
            throw ExitCode.failure
        }
    }
}
