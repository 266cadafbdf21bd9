import Foundation
import LocalCloud
import Testing
import TestSupport

/// `rehearse cloud` run as a user runs it, on a real sandbox folder.
@Suite struct CloudCommandTests {
    @Test func catAndGenerationsOfAMissingKeySayNotFound() throws {
        let folder = try TemporaryFolder()
        do {
            let sandbox = try CloudSandbox(root: folder.url, clock: VirtualClock())
            try sandbox.objects.createBucket("data")
            try sandbox.objects.put(Data("a,b\n".utf8), bucket: "data", key: "tweets/day-1.csv")
        }
        // A key under no folder, one under an existing folder, and one that is a folder.
        for key in ["no/such/key", "tweets/day-2.csv", "tweets"] {
            for command in ["cat", "generations"] {
                let result = try RehearseRun(["cloud", command, "--root", folder.path, "data", key])
                #expect(result.status == 1, "\(command) \(key): \(result.standardError)")
                #expect(result.standardError == "Error: object \"\(key)\" not found in bucket \"data\"\n", "\(command) \(key)")
                #expect(result.standardOutput.isEmpty)
            }
        }
        let missingBucket = try RehearseRun(["cloud", "cat", "--root", folder.path, "nope", "no/such/key"])
        #expect(missingBucket.status == 1)
        #expect(missingBucket.standardError == "Error: bucket \"nope\" does not exist\n")
        // The key that exists is still read, and a hand-dropped file is still reported as such.
        #expect(try RehearseRun(["cloud", "cat", "--root", folder.path, "data", "tweets/day-1.csv"]).standardOutput == "a,b\n")
        try Data("x".utf8).write(to: folder.url.appendingPathComponent("buckets/data/tweets/dropped.csv"))
        let dropped = try RehearseRun(["cloud", "cat", "--root", folder.path, "data", "tweets/dropped.csv"])
        #expect(dropped.status == 1)
        #expect(dropped.standardError.contains("differs from the index"))
    }

    @Test func lsShowsControlCharactersInKeysEscaped() throws {
        let folder = try TemporaryFolder()
        do {
            let sandbox = try CloudSandbox(root: folder.url, clock: VirtualClock())
            try sandbox.objects.createBucket("data")
            try sandbox.objects.put(Data("x".utf8), bucket: "data", key: "two\nlines\u{1B}[31m.txt")
        }
        let result = try RehearseRun(["cloud", "ls", "--root", folder.path, "data"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == 2, "a header and one object: \(result.standardOutput)")
        #expect(lines.last?.hasPrefix("two\\nlines\\u{1B}[31m.txt  1  ") == true, "\(result.standardOutput)")
        #expect(!result.standardOutput.contains("\u{1B}"))
    }

    @Test func aRootThatHoldsNoCloudIsNamedWithTheSubcommandsUsage() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("file")
        try Data("x".utf8).write(to: file)
        for (root, reason) in [(folder.path + "/missing", "the folder does not exist"), (file.path, "it is a file, not a folder")] {
            let result = try RehearseRun(["cloud", "ls", "--root", root])
            #expect(result.status == 2)
            #expect(result.standardError.hasPrefix("Error: no cloud at \(root): \(reason)\nUsage: rehearse cloud ls --root"), "\(result.standardError)")
        }
        // A folder without the object index or the queue is no cloud either: a plain error.
        let empty = try RehearseRun(["cloud", "ls", "--root", folder.path])
        #expect(empty.status == 1)
        #expect(empty.standardError == "Error: no cloud at \(folder.path): \(folder.path)/objects.sqlite does not exist\n")
        let noQueue = try RehearseRun(["cloud", "topics", "--root", folder.path])
        #expect(noQueue.status == 1)
        #expect(noQueue.standardError == "Error: no queue in \(folder.path): \(folder.path)/queue.sqlite does not exist\n")
        let noSchedules = try RehearseRun(["cloud", "schedules", "--root", folder.path])
        #expect(noSchedules.status == 1)
        #expect(noSchedules.standardError == "Error: no schedules: \(folder.path)/schedules.sqlite does not exist\n")
        let badTime = try RehearseRun(["cloud", "schedules", "--root", folder.path, "--after", "soon"])
        #expect(badTime.status == 2)
        #expect(badTime.standardError.contains("Usage: rehearse cloud schedules"), "\(badTime.standardError)")
    }
}

/// One finished run of the `rehearse` executable built beside the test runner.
struct RehearseRun {
    let status: Int32
    let standardOutput: String
    let standardError: String

    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = try builtExecutable("rehearse")
        process.arguments = arguments
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Outputs here are a few lines, far below a pipe's buffer, so reading one after the
        // other cannot block the child.
        standardOutput = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        standardError = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        status = process.terminationStatus
    }
}
