import Foundation

/// An executable of this package built beside the test bundle, found by walking up from the test
/// runner's path (`.build/<triple>/<config>/…xctest`).
/// - Throws: `CocoaError.fileNoSuchFile` naming the runner's path when it is not there.
public func builtExecutable(_ name: String) throws -> URL {
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<6 {
        let candidate = folder.appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        folder.deleteLastPathComponent()
    }
    throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(name) not found near \(CommandLine.arguments[0])"])
}

/// The `rehearse` executable built beside the test bundle.
public func rehearseURL() throws -> URL { try builtExecutable("rehearse") }
