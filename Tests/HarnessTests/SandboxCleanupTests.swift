import Foundation
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// `rehearse run` leaves no sandbox behind: not when it ends, not when it is interrupted or
/// terminated (it cleans up on SIGINT and SIGTERM), and not after `kill -9` (the next run removes
/// the sandboxes of runs that are gone, and never those of runs still alive).
///
/// The child runs a scenario that advances its clock a hundred years with a job scheduled every
/// minute (52 million runs), so it is still inside its sandbox whenever the test kills it; the
/// test waits for the sandbox folder to appear.
@Suite(.serialized) struct SandboxCleanupTests {
    /// A private $TMPDIR and the blocking scenario.
    private final class Fixture {
        let folder: TemporaryFolder
        var temporary: String { folder.path + "/tmp" }
        var sandboxes: String { temporary + "/rehearse-sandboxes-\(getuid())" }

        init() throws {
            folder = try TemporaryFolder()
            try FileManager.default.createDirectory(atPath: folder.path + "/tmp", withIntermediateDirectories: true)
            try folder.write(Self.endless(name: "endless", service: nil), to: "endless.yaml")
            try folder.write(Self.endless(name: "endless-served", service: "api"), to: "endless-served.yaml")
        }

        /// The scenario `name` that never ends, serving `service` (a `rehearse serve` child) first if given.
        static func endless(name: String, service: String?) -> String {
            """
            name: \(name)
            cloud:
              buckets: [data]
              schedules:
                - {name: every-minute, cron: "* * * * *", job: score}
            slices:
              rows: {file: \(repositoryRoot)/Tests/scenarios/data/tiny-train.csv}
            models:
              - {name: m, bucket: data, train: {slice: rows, algorithm: nb}}
            jobs:
              - {name: score, bucket: data, input: in/, output: out/, model: m@1}
            \(service.map { "services:\n  - {name: \($0), model: m@1}\n" } ?? "")steps:
            \(service.map { "  - serve: \($0)\n" } ?? "")  - advance: 36500d
            """
        }

        /// Where the last run started writes its standard error.
        var errorLog: String { folder.path + "/run.stderr" }

        /// Starts `rehearse run` with this fixture's $TMPDIR, under CI so nothing is written;
        /// with SIGINT and SIGTERM blocked in its signal mask from the start if `signalsBlocked`
        /// (a child inherits the mask of the thread that spawns it), else unblocked.
        func start(_ arguments: [String], golden: String? = nil, signalsBlocked: Bool = false) throws -> Process {
            let process = Process()
            process.executableURL = try rehearseURL()
            process.arguments = ["run"] + arguments + ["--golden", golden ?? folder.path + "/golden"]
            process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
            process.environment = ProcessInfo.processInfo.environment.merging(["CI": "1", "TMPDIR": temporary + "/"]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            guard FileManager.default.createFile(atPath: errorLog, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorLog))
            var stopSignals = sigset_t(), previous = sigset_t()
            sigemptyset(&stopSignals)
            sigaddset(&stopSignals, SIGINT)
            sigaddset(&stopSignals, SIGTERM)
            pthread_sigmask(signalsBlocked ? SIG_BLOCK : SIG_UNBLOCK, &stopSignals, &previous)
            defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
            try process.run()
            return process
        }

        /// Starts the endless scenario and returns once its sandbox folder exists.
        func startEndless(signalsBlocked: Bool = false) throws -> (Process, sandbox: String) {
            let process = try start([folder.path + "/endless.yaml"], signalsBlocked: signalsBlocked)
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                // This child's own sandbox: a killed run's may still be there.
                let own = "/run-\(process.processIdentifier)-"
                if let sandbox = sandboxFolders().first(where: { $0.contains(own) && $0.contains("/endless-") }) { return (process, sandbox) }
                guard process.isRunning else { break }
                usleep(10_000)  // polling for the folder, not waiting for time to pass
            }
            process.terminate()
            throw CocoaError(.fileNoSuchFile)
        }

        /// Every scenario sandbox under `$TMPDIR/rehearse-sandboxes-<uid>/run-*/`.
        func sandboxFolders() -> [String] {
            let runs = (try? FileManager.default.contentsOfDirectory(atPath: sandboxes)) ?? []
            return runs.filter { $0.hasPrefix("run-") && !$0.hasSuffix(".lock") }.flatMap { run in
                ((try? FileManager.default.contentsOfDirectory(atPath: sandboxes + "/" + run)) ?? []).map { sandboxes + "/" + run + "/" + $0 }
            }
        }

        /// Everything under `$TMPDIR/rehearse-sandboxes-<uid>`.
        func entries() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: sandboxes)) ?? [] }

        /// A quick passing run in the same $TMPDIR.
        func quickRun() throws -> Int32 {
            let process = try start(["Tests/scenarios/tiny-batch.yaml"], golden: repositoryRoot + "/Tests/scenarios/golden")
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    @Test("after kill -9 the next run removes the dead run's sandbox, and leaves a live run's alone")
    func killedRunIsSweptByTheNextRun() throws {
        let fixture = try Fixture()
        let (killed, killedSandbox) = try fixture.startEndless()
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        #expect(killed.terminationReason == .uncaughtSignal)
        #expect(FileManager.default.fileExists(atPath: killedSandbox), "nothing can clean up on SIGKILL")

        let (alive, aliveSandbox) = try fixture.startEndless()
        defer {
            kill(alive.processIdentifier, SIGKILL)
            alive.waitUntilExit()
        }
        #expect(try fixture.quickRun() == 0)
        #expect(!FileManager.default.fileExists(atPath: killedSandbox), "the dead run's sandbox was left")
        #expect(FileManager.default.fileExists(atPath: aliveSandbox), "a live run's sandbox was removed")
        #expect(fixture.sandboxFolders() == [aliveSandbox])
    }

    @Test("after kill -9 of the run, the rehearse serve it started drains and exits too")
    func killedRunTakesItsServicesWithIt() throws {
        let fixture = try Fixture()
        let run = try fixture.start([fixture.folder.path + "/endless-served.yaml"])
        defer {
            kill(run.processIdentifier, SIGKILL)
            run.waitUntilExit()
        }
        let service = try #require(ChildProcesses.waitForChild(of: run.processIdentifier, withArgument: "serve", while: { run.isRunning }))
        // Killed only once the service is listening: killed earlier, the run would take the
        // service's standard output with it, and its listening line would end it by SIGPIPE.
        let log = try #require(ChildProcesses.argument(after: "--root", of: service)) + "/serve-api.log"
        #expect(ChildProcesses.waitForFile(log, containing: "listening on", while: { run.isRunning }))
        kill(run.processIdentifier, SIGKILL)
        run.waitUntilExit()
        let ended = ChildProcesses.waitUntilEnded(service, within: 60)
        if !ended { kill(service, SIGKILL) }
        #expect(ended, "rehearse serve (pid \(service)) outlived the run that started it")
    }

    /// Also when the run starts with the signals blocked, as a child spawned from a dispatch
    /// worker thread does: the handler must unblock them, or they stay pending forever.
    @Test("SIGINT and SIGTERM remove the run's sandboxes before the process ends",
          arguments: [SIGINT, SIGTERM], [false, true])
    func signalledRunCleansUp(_ signal: Int32, startsBlocked: Bool) throws {
        let fixture = try Fixture()
        let (process, sandbox) = try fixture.startEndless(signalsBlocked: startsBlocked)
        kill(process.processIdentifier, signal)
        let ended = ChildProcesses.waitUntilEnded(process.processIdentifier, within: 60)
        if !ended { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try #require(ended, "still running a minute after the signal")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + signal, "130 for SIGINT, 143 for SIGTERM, as shells report them")
        #expect(!FileManager.default.fileExists(atPath: sandbox))
        #expect(fixture.entries() == [], "left: \(fixture.entries())")
        let said = try String(contentsOfFile: fixture.errorLog, encoding: .utf8)
        #expect(said.hasSuffix("\(signal == SIGINT ? "interrupted" : "terminated"): stopped after 0 of 1 scenarios (0 passed, 0 failed); no report is written\n"), "\(said)")
    }

    @Test("a finished run leaves nothing under $TMPDIR/rehearse-sandboxes-<uid>")
    func finishedRunLeavesNothing() throws {
        let fixture = try Fixture()
        #expect(try fixture.quickRun() == 0)
        #expect(fixture.entries() == [])
    }
}
