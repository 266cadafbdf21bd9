import Testing

/// A negative number given to a numeric option reaches the command's own check, rather than
/// being taken for an option and reported as a missing value; the check names the flag and
/// the value given.
@Suite struct NumericOptionTests {
    @Test("a negative number after a numeric option gets the option's own range message", arguments: [
        (["serve", "--model-file", "model.rmodel", "--port", "-1"], "--port is 0 (a free port) to 65535"),
        (["automl", "--root", "/nonexistent/cloud", "--tolerance", "-0.5"], "--tolerance must be a finite number of at least 0, got -0.5"),
        (["run", "--jobs", "-2"], "--jobs must be at least 1"),
        (["batch", "--root", "/nonexistent/cloud", "--bucket", "b", "--input", "in/", "--output", "out/", "--model", "m@production", "--shard-rows", "-1"], "--shard-rows must be at least 1, got -1"),
        (["batch", "--root", "/nonexistent/cloud", "--bucket", "b", "--input", "in/", "--output", "out/", "--model", "m@production", "--threads", "0"], "--threads must be at least 1, got 0"),
        (["serve", "--model-file", "model.rmodel", "--quality-window", "0"], "--quality-window must be at least 1, got 0"),
        (["serve", "--model-file", "model.rmodel", "--max-text-bytes", "-5"], "--max-text-bytes must be at least 1, got -5"),
    ])
    func negativeValues(arguments: [String], message: String) throws {
        let result = try runRehearse(arguments)
        #expect(result.status == 2)
        #expect(result.standardError.contains(message), "\(result.standardError)")
        #expect(!result.standardError.contains("Missing value"))
    }
}
