import Determinism
import Foundation
import Modes

/// Rehearses scenarios, each in a fresh sandboxed cloud on a virtual clock, and checks their
/// captures against the goldens: the engine behind `rehearse run`.
public struct ScenarioRunner: Sendable {
    /// How a run behaves.
    public struct Options: Sendable {
        /// Check or update goldens.
        public var mode: GoldenMode
        /// CI or not (CI never writes).
        public var environment: RunEnvironment
        /// Scenarios rehearsed at once (each in its own sandbox).
        public var parallelScenarios: Int
        /// Keep each sandbox folder after the run, for `rehearse cloud --root`.
        public var keepSandboxes: Bool
        /// Where sandboxes are created.
        public var sandboxParent: URL
        /// The run's claim on `sandboxParent`, if it has one: sandboxes are then made through it,
        /// so an interrupted run's clean-up never races a sandbox being made.
        public var runSandboxes: RunSandboxes?
        /// Held while each scenario's goldens are written, so a signal can wait for them
        /// (`GoldenWriteGate.close()`).
        public var goldenWrites = GoldenWriteGate()
        /// Running services to send a service's steps to instead of starting it (name → URL).
        public var targets: [String: String]
        /// The `rehearse` executable that `serve` steps start (nil: not found; `serve` steps then fail saying so).
        public var rehearseExecutable: URL?
        /// Prices for each scenario's estimated bill in the report (`rehearse run --cost`); nil: no estimate.
        public var prices: PriceSheet?
        /// The environment exec steps' commands start from, before every `AWS_*` and
        /// `REHEARSAL_*` variable is removed and the sandbox's are added: this process's.
        public var commandEnvironment: [String: String] = ProcessInfo.processInfo.environment

        /// Options; sandboxes go under the system temporary folder by default.
        public init(mode: GoldenMode = .check, environment: RunEnvironment = RunEnvironment(isCI: false),
                    parallelScenarios: Int = 1, keepSandboxes: Bool = false,
                    sandboxParent: URL = RunSandboxes.defaultParent, targets: [String: String] = [:],
                    rehearseExecutable: URL? = RehearseExecutable.located, prices: PriceSheet? = nil) {
            self.mode = mode
            self.environment = environment
            self.parallelScenarios = max(1, parallelScenarios)
            self.keepSandboxes = keepSandboxes
            self.sandboxParent = sandboxParent
            self.targets = targets
            self.rehearseExecutable = rehearseExecutable
            self.prices = prices
        }
    }

    /// One scenario's report and, when kept, its sandbox folder.
    public struct Result: Sendable {
        /// What the reports show.
        public let report: ScenarioReport
        /// The kept sandbox folder (with `keepSandboxes`), else nil.
        public let sandbox: String?
    }

    /// Where goldens are read and written.
    public let goldens: GoldenStore
    /// Where slices and trained models come from (shared by all scenarios of a run).
    public let data: DataSource
    /// How the run behaves.
    public let options: Options

    /// A runner checking against `goldens`, reading data from `data`.
    public init(goldens: GoldenStore, data: DataSource = DataSource(), options: Options = Options()) {
        self.goldens = goldens
        self.data = data
        self.options = options
    }

    /// Rehearses every scenario and returns one result per scenario, in the order given
    /// (whatever order they finished in).
    public func run(_ scenarios: [Scenario], progress: (@Sendable (ScenarioReport) -> Void)? = nil) -> [Result] {
        ParallelWork.map(count: scenarios.count, threads: options.parallelScenarios, makeState: {}) { index, _ in
            let result = run(scenarios[index])
            progress?(result.report)
            return result
        }
    }

    /// Rehearses one scenario.
    public func run(_ scenario: Scenario) -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        var sandboxPath: String?
        var outcomes: [CaptureOutcome] = []
        var failure: ScenarioRunError?
        var cost: CostEstimate?
        do throws(ScenarioRunError) {
            let sandbox: ScenarioSandbox
            do {
                let make = { try ScenarioSandbox(scenario: scenario, parent: options.sandboxParent) }
                sandbox = try options.runSandboxes?.makingSandbox(make) ?? make()
            } catch {
                throw ScenarioRunError(place: .setup, problem: .from(error))
            }
            if options.keepSandboxes { sandboxPath = sandbox.root.path }
            defer {
                // A kept sandbox records where its virtual clock stopped, for `rehearse cloud`.
                if options.keepSandboxes { try? sandbox.cloud.saveClockReading() } else { sandbox.remove() }
            }
            let outcome = try ScenarioExecution(scenario: scenario, sandbox: sandbox, data: data,
                                                commandEnvironment: options.commandEnvironment,
                                                executable: options.rehearseExecutable, targets: options.targets).run()
            if let prices = options.prices {
                do {
                    let usage = try CloudUsage.measure(ledger: sandbox.ledger.snapshot(), store: sandbox.harnessObjects, now: sandbox.clock.now,
                                                       provisioned: outcome.provisioned)
                    cost = CostEstimate(usage: usage, prices: prices, computeSeconds: outcome.computeSeconds)
                } catch {
                    throw ScenarioRunError(place: .goldens, problem: .failed(error))
                }
            }
            let keeper = GoldenKeeper(store: goldens, mode: options.mode, environment: options.environment, gate: options.goldenWrites)
            do {
                outcomes = try keeper.check(
                    scenario: scenario.name,
                    header: GoldenHeader(rehearsalVersion: RehearsalVersion.current, seed: scenario.seed, modelIDs: outcome.modelIDs,
                                         timeZoneData: scenario.timeZoneDataVersion),
                    captures: outcome.captures)
            } catch {
                throw ScenarioRunError(place: .goldens, problem: .failed(error))
            }
        } catch {
            failure = error
        }
        var report = ScenarioReport(name: scenario.name, duration: clock.now - started, captures: outcomes, error: failure)
        report.cost = cost
        return Result(report: report, sandbox: sandboxPath)
    }
}
