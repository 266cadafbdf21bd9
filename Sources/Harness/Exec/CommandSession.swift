import Foundation
import LocalCloud
import Synchronization

/// Runs a scenario's commands (exec steps and exec jobs) against its sandbox and keeps every
/// run by name for the `exec` capture.
///
/// The sandbox is served over S3 and SQS in-process for as long as the scenario runs. Each
/// command gets the inherited environment (the harness's) without any `AWS_*` variable (so
/// real credentials, profiles and endpoints never reach it), then the sandbox's
/// (`environment(for:)`), then the step's own `env`.
final class CommandSession: Sendable {
    private let endpoint: SandboxEndpoint
    private let sandbox: ScenarioSandbox
    private let scenario: Scenario
    /// Where runs write their output and the AWS config files live: `<sandbox>/exec/`.
    private let folder: String
    /// The environment commands start from, with `AWS_*` and `REHEARSAL_*` already removed.
    private let inherited: [String: String]
    private let runs = Mutex<[String: [CommandRun]]>([:])

    /// The region commands are told to use.
    static let region = "us-east-1"

    /// Serves `sandbox` over the wire and prepares the folder runs write to; commands start
    /// from `inherited` (less its `AWS_*` and `REHEARSAL_*` variables).
    init(scenario: Scenario, sandbox: ScenarioSandbox, inherited: [String: String]) throws {
        self.scenario = scenario
        self.inherited = inherited.filter { !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("REHEARSAL_") }
        self.sandbox = sandbox
        folder = sandbox.root.path + "/exec"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Shared config and credentials files of the sandbox's own, so the user's ~/.aws never applies.
        try Data("[default]\nregion = \(Self.region)\ns3 =\n    addressing_style = path\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/aws-config"))
        try Data("[default]\naws_access_key_id = test\naws_secret_access_key = test\n".utf8)
            .write(to: URL(fileURLWithPath: folder + "/aws-credentials"))
        endpoint = try SandboxEndpoint(cloud: sandbox.cloud)
    }

    /// Runs `spec` to its end, records the run, and returns it.
    /// - Parameter services: the URLs of the services running now, by name.
    /// - Throws: `ExecError.cannotStart` when the program cannot be started.
    func run(_ spec: ExecSpec, services: [String: String]) throws -> CommandRun {
        let number = runs.withLock { ($0[spec.name]?.count ?? 0) + 1 }
        let base = "\(folder)/\(spec.name)-\(number)"
        let startedAt = sandbox.clock.now
        let directory = spec.workingDirectory.hasPrefix("/") ? spec.workingDirectory : scenario.folder + "/" + spec.workingDirectory
        var environment = environment(for: spec, run: number, services: services)
        for variable in spec.environment { environment[variable.name] = variable.value }
        let ending = try CommandProcess.run(argv: spec.argv, directory: directory, environment: environment,
                                            stdoutPath: base + ".stdout", stderrPath: base + ".stderr", timeout: spec.timeout)
        let run = CommandRun(number: number, startedAt: startedAt, ending: ending,
                             stdout: CommandOutput.read(base + ".stdout"), stderr: CommandOutput.read(base + ".stderr"))
        runs.withLock { $0[spec.name, default: []].append(run) }
        return run
    }

    /// Every run of `name` so far, in order.
    func runs(named name: String) -> [CommandRun] { runs.withLock { $0[name] ?? [] } }

    /// Stops serving the sandbox.
    func stop() { endpoint.stop() }

    /// The environment a run starts from: the inherited one without `AWS_*`, then the sandbox's.
    ///
    /// - `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (`test` / `test`),
    ///   `AWS_REGION` and `AWS_DEFAULT_REGION`, `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`
    ///   (the sandbox's own, path-style S3), `AWS_EC2_METADATA_DISABLED`;
    /// - `REHEARSAL_ADMIN_URL` (`…/_rehearsal`), `REHEARSAL_NOW` (the virtual clock's time),
    ///   `REHEARSAL_SCENARIO`, `REHEARSAL_RUN` (this run's number for its name),
    ///   `REHEARSAL_SERVICE_<NAME>_URL` for each running service (its name upper-cased, other
    ///   characters than letters and digits as `_`);
    /// - `PYTHONDONTWRITEBYTECODE=1`, so Python scripts leave no `__pycache__` beside the scenario.
    func environment(for spec: ExecSpec, run: Int, services: [String: String]) -> [String: String] {
        var environment = inherited
        environment["AWS_ENDPOINT_URL"] = endpoint.url
        environment["AWS_ACCESS_KEY_ID"] = "test"
        environment["AWS_SECRET_ACCESS_KEY"] = "test"
        environment["AWS_REGION"] = Self.region
        environment["AWS_DEFAULT_REGION"] = Self.region
        environment["AWS_CONFIG_FILE"] = folder + "/aws-config"
        environment["AWS_SHARED_CREDENTIALS_FILE"] = folder + "/aws-credentials"
        environment["AWS_EC2_METADATA_DISABLED"] = "true"
        environment["REHEARSAL_ADMIN_URL"] = endpoint.url + "/_rehearsal"
        environment["REHEARSAL_NOW"] = sandbox.clock.now.iso8601
        environment["REHEARSAL_SCENARIO"] = scenario.name
        environment["REHEARSAL_RUN"] = String(run)
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        for (name, url) in services {
            let variable = String(name.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
            environment["REHEARSAL_SERVICE_\(variable)_URL"] = url
        }
        return environment
    }
}

/// Holds a scenario's command session once its setup has started it.
final class CommandSlot: @unchecked Sendable {
    var session: CommandSession?
}
