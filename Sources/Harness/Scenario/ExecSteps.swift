import Foundation
import Yams

/// The words of scenarios that run the user's own commands: jobs declared with `exec:`, the
/// `exec` step and the `exec` capture (every run of a command, as a text golden).
enum ExecSteps {
    /// Step kinds.
    static let kinds = ["exec"]
    /// Capture kinds.
    static let captureKinds = ["exec"]
    /// The longest timeout a command may be given.
    static let maximumTimeout: Duration = .seconds(3_600)
}

extension ScenarioBuilder {
    /// Whether a `jobs:` entry declares a command rather than a batch job.
    static func isExecJob(_ node: Node) -> Bool {
        guard case .mapping(let mapping) = node else { return false }
        // A malformed merge is reported when the entry is read as a job.
        let entries = (try? YAMLFields.entries(of: mapping, file: "")) ?? Array(mapping)
        return entries.contains { if case .scalar(let key) = $0.key { key.string == "exec" } else { false } }
    }

    /// A `jobs:` entry with `exec:`: `{name, exec: {argv, cwd, env, timeout}}`.
    func buildExecJob(_ node: Node) throws(ScenarioError) -> ExecSpec {
        let fields = try YAMLFields(node, file: file, what: "an exec job", allowed: ["name", "exec"])
        let name = try fields.requiredString("name")
        let command = try YAMLFields(try fields.required("exec"), file: file, what: "\"exec\"", allowed: Self.commandKeys)
        return try buildCommand(command, name: name)
    }

    /// An `exec` step: `{name, argv, cwd, env, timeout, expect}`. Its name must not be an exec
    /// job's (that job is run with `run: NAME`).
    func buildExecStep(_ body: Node, execJobs: [String: ExecSpec]) throws(ScenarioError) -> StepAction {
        let fields = try YAMLFields(body, file: file, what: "\"exec\"", allowed: ["name", "expect"] + Self.commandKeys)
        let name = try fields.requiredString("name")
        if execJobs[name] != nil {
            throw YAMLFields.error(file, try fields.required("name"),
                                   "\"\(name)\" is the name of an exec job; run it with `run: \(name)`, or give this step another name")
        }
        return .exec(try buildCommand(fields, name: name), expect: try expectation(fields))
    }

    /// `expect: success | failure` (default success).
    func expectation(_ fields: YAMLFields) throws(ScenarioError) -> JobExpectation {
        guard let text = try fields.string("expect") else { return .success }
        guard let parsed = JobExpectation(rawValue: text) else {
            throw YAMLFields.error(file, try fields.required("expect"), "\"expect\" is success or failure")
        }
        return parsed
    }

    private static let commandKeys = ["argv", "cwd", "env", "timeout"]

    private func buildCommand(_ fields: YAMLFields, name: String) throws(ScenarioError) -> ExecSpec {
        do { _ = try GoldenKey(scenario: "scenario", capture: name, format: .text) } catch {
            throw YAMLFields.error(file, fields.node("name") ?? fields.node, "exec name: \(error.description)")
        }
        if case .scalar? = fields.node("argv") {
            throw YAMLFields.error(file, fields.node("argv")!, "\"argv\" is a list, [program, argument, …]; it is not split like a shell line")
        }
        let argv = try fields.strings("argv")
        guard let program = argv.first, !program.isEmpty else {
            throw YAMLFields.error(file, fields.node("argv") ?? fields.node,
                                   "\"argv\" needs the program and its arguments, e.g. [python3, examples/score.py]")
        }
        let cwd = try fields.string("cwd") ?? "."
        let cwdPath = cwd.hasPrefix("/") ? cwd : folder + "/" + cwd
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: cwdPath, isDirectory: &isFolder), isFolder.boolValue else {
            throw YAMLFields.error(file, fields.node("cwd")!, "\"cwd\": folder \"\(cwd)\" does not exist (looked for \(cwdPath))")
        }
        var environment: [EnvironmentVariable] = []
        if let env = fields.node("env") {
            guard case .mapping(let mapping) = env else {
                throw YAMLFields.error(file, env, "\"env\" maps variable names to values, e.g. {INPUT_PREFIX: tweets/}")
            }
            for (key, value) in try YAMLFields.entries(of: mapping, file: file) {
                let variable = try YAMLFields.string(key, file: file, what: "a variable name")
                guard variable.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil else {
                    throw YAMLFields.error(file, key, "\"\(variable)\" is not a variable name (letters, digits and _, not starting with a digit)")
                }
                environment.append(EnvironmentVariable(name: variable, value: try YAMLFields.string(value, file: file, what: "\"\(variable)\"")))
            }
        }
        var timeout = ExecSpec.defaultTimeout
        if let given = try duration(fields, "timeout") {
            guard given > .zero, given <= ExecSteps.maximumTimeout else {
                throw YAMLFields.error(file, fields.node("timeout")!, "\"timeout\" must be more than 0 and at most 1h")
            }
            timeout = given
        }
        return ExecSpec(name: name, argv: argv, workingDirectory: cwd, environment: environment, timeout: timeout)
    }

    /// Text redactions of a capture: `redact_text` maps regular expressions to placeholder names.
    func buildTextRedactions(_ fields: YAMLFields) throws(ScenarioError) -> [TextRedaction] {
        guard let node = fields.node("redact_text") else { return [] }
        guard case .mapping(let mapping) = node else {
            throw YAMLFields.error(file, node, "\"redact_text\" maps regular expressions to placeholder names, e.g. \"req-[0-9a-f]+\": request")
        }
        var redactions: [TextRedaction] = []
        for (key, value) in try YAMLFields.entries(of: mapping, file: file) {
            do {
                redactions.append(try TextRedaction(try YAMLFields.string(key, file: file, what: "a regular expression"),
                                                    as: try YAMLFields.string(value, file: file, what: "a placeholder name")))
            } catch let error as ScenarioError {
                throw error
            } catch {
                throw YAMLFields.error(file, key, "\(error)")
            }
        }
        return redactions
    }
}
