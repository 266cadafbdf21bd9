import Foundation

/// Where the `rehearse` executable is, for `serve` steps to start: this process itself when it
/// is `rehearse`, else a `rehearse` beside this executable or in a folder above it (a test
/// bundle in `.build/release` finds `.build/release/rehearse`).
public enum RehearseExecutable {
    /// This process's own executable, whatever its name (`rehearse run` passes it, so a copy
    /// named otherwise still starts its own services and workers).
    public static let current = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])

    /// The executable found, if any.
    public static let located: URL? = {
        let me = current
        if me.lastPathComponent == "rehearse" { return me }
        var folder = me.deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = folder.appendingPathComponent("rehearse")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()
}
