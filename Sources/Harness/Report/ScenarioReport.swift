/// How a scenario ended, as reports show it.
public enum ScenarioStatus: String, Sendable, Equatable {
    /// Every capture matched its golden (or its golden was rewritten by `--update`).
    case pass = "PASS"
    /// A capture differs, a golden is missing under CI, or the scenario itself failed.
    case fail = "FAIL"
    /// A capture had no golden; one was written (pending, or as the golden with `--update`).
    case new = "NEW"
}

/// One scenario's result, as the runner hands it to the reporters.
public struct ScenarioReport: Sendable, Equatable {
    /// The scenario's name.
    public var name: String
    /// How long it took, measured by the runner (reports never read a clock).
    public var duration: Duration
    /// One outcome per capture, in capture order.
    public var captures: [CaptureOutcome]
    /// Why the scenario itself failed before its captures could be compared, if it did.
    public var error: ScenarioRunError?
    /// The estimated bill of the dry run (`rehearse run --cost`), if asked for.
    public var cost: CostEstimate?

    /// Creates a report.
    public init(name: String, duration: Duration, captures: [CaptureOutcome], error: ScenarioRunError? = nil) {
        self.name = name
        self.duration = duration
        self.captures = captures
        self.error = error
    }

    /// Equal when everything a report shows is equal (errors compare by place and text).
    public static func == (lhs: ScenarioReport, rhs: ScenarioReport) -> Bool {
        lhs.name == rhs.name && lhs.duration == rhs.duration && lhs.captures == rhs.captures
            && lhs.error?.place == rhs.error?.place && lhs.error?.description == rhs.error?.description
    }

    /// Whether the scenario counts as passed: no error and every capture passed. A `NEW`
    /// scenario whose goldens were only written as pending files does not pass until accepted.
    public var passed: Bool { error == nil && captures.allSatisfy(\.passed) }

    /// `FAIL` on an error, a differing or malformed golden, or a missing golden nothing was
    /// written for (CI); else `NEW` when a golden was missing; else `PASS`.
    public var status: ScenarioStatus {
        if error != nil { return .fail }
        var sawNew = false
        for capture in captures where capture.comparison.status != .matched {
            if capture.comparison.goldenIsMissing && capture.action != .none {
                sawNew = true
            } else if !capture.passed {
                return .fail
            }
        }
        return sawNew ? .new : .pass
    }

    /// The captures a reader must look at: those that did not pass, and those whose golden
    /// was written by this run.
    public var notableCaptures: [CaptureOutcome] {
        captures.filter { !$0.passed || $0.action == .wroteGolden }
    }
}

/// The closing tally of a run.
public struct RunSummary: Sendable, Equatable {
    /// Scenarios that passed.
    public let passed: Int
    /// Scenarios that did not.
    public let failed: Int

    /// Counts the reports.
    public init(_ reports: [ScenarioReport]) {
        passed = reports.filter(\.passed).count
        failed = reports.count - passed
    }

    /// Exactly `N passed, N failed`, the line CI parsers look for.
    public var line: String { "\(passed) passed, \(failed) failed" }
}
