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
        (["--train-on", "-3"], "--train-on is all or a number of weeks, not \"-3\""),
        (["--training-weeks=0"], "--training-weeks must be at least 1, got 0"),
        (["--window", "0"], "--window must be at least 1 week, got 0"),
        (["--tolerance", "inf"], "--tolerance must be a finite number of at least 0, got inf"),
        (["--bucket", "Bad/Bucket"], "--bucket: "),
        (["--cron", "0 6 31 2 *"], "--cron \"0 6 31 2 *\" never fires in the campaign weeks 13–77 (1997-03-31 to 1998-06-28)"),
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

    @Test("a --root that is a file, or lies under one, is refused naming it, and the file is left alone")
    func aRootThatIsAFileIsRefused() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("automl-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("mine\n".utf8).write(to: file)
        for (root, message) in [(file.path, "--root \(file.path) is a file, not a folder"),
                                (file.path + "/cloud", "cannot make the --root folder \(file.path)/cloud: \(file.path) is a file, not a folder")] {
            let refused = try RehearseProcess.run(["automl", "--root", root, "--data", "drifting", "--last-week", "14"])
            #expect(refused.status == 1)
            #expect(refused.standardError.contains(message), "\(refused.standardError)")
            #expect(!refused.standardError.contains("NSCocoaErrorDomain"), "\(refused.standardError)")
        }
        #expect(try Data(contentsOf: file) == Data("mine\n".utf8))
    }

    @Test("run again on the same root, rehearse automl changes nothing: every object keeps its generation")
    func runningAgainChangesNothing() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("automl-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let loop = ["automl", "--root", root.path, "--data", "drifting", "--last-week", "14"]
        let listing = ["cloud", "ls", "--root", root.path, "shop"]
        #expect(try RehearseProcess.run(loop).status == 0)
        let before = try RehearseProcess.run(listing)
        #expect(before.outputLines.count > 20, "\(before.outputLines)")
        #expect(try RehearseProcess.run(loop).status == 0)
        #expect(try RehearseProcess.run(listing).outputLines == before.outputLines)
        let other = try RehearseProcess.run(loop + ["--campaign-size", "10", "--policy", "never"])
        #expect(other.status == 1)
        #expect(other.standardError.contains("(--policy: this root ran with rule, now never; --campaign-size: this root ran with 500, now 10)"),
                "\(other.standardError)")
        #expect(try RehearseProcess.run(listing).outputLines == before.outputLines)
    }

    @Test("a second rehearse automl on a root that one is running on is refused, naming the first's pid, and changes nothing")
    func oneRunPerRoot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("automl-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // This process plays the running one: it holds the claim as `rehearse automl` takes it.
        let lockPath = root.appendingPathComponent("automl.lock").path
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        _ = Array("4242\n".utf8).withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        let refused = try RehearseProcess.run(["automl", "--root", root.path, "--data", "drifting", "--last-week", "14"])
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("another rehearse automl (pid 4242) is running on \(root.path)"), "\(refused.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["automl.lock"])
        close(descriptor)  // the first run ends: the claim goes with it
        let after = try RehearseProcess.run(["automl", "--root", root.path, "--data", "drifting", "--last-week", "14"])
        #expect(after.status == 0, "\(after.standardError)")
    }
}
