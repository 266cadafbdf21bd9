import Foundation
import Testing

/// `rehearse automl`'s command line: settings it cannot run are usage errors naming the flag,
/// given before anything is created.
@Suite struct AutoMLCommandTests {
    @Test("settings it cannot run are usage errors that name the flag and create nothing", arguments: [
        (["--data", "drifting", "--last-week", "31"], "--last-week (31) is past the last complete week of the drifting data (30)"),
        (["--last-week", "78"], "--last-week (78) is past the last complete week of the cdnow data (77)"),
        (["--last-week", "12"], "--last-week (12) must come after the --training-weeks (12)"),
        (["--campaign-size", "0"], "--campaign-size must be at least 1"),
        (["--policy", "weekly", "--policy", "weekly"], "a --policy is given twice"),
        (["--train-on", "0"], "--train-on is all or a number of weeks, not \"0\""),
    ])
    func rejectsSettingsItCannotRun(extra: [String], message: String) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("automl-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try RehearseProcess.run(["automl", "--root", root.path] + extra)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(result.standardError.contains("Usage: rehearse automl"), "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: root.path))
    }
}
