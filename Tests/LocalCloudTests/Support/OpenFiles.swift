import Foundation

/// How many of this process's open files lie under `folder` (an unnamed or deleted one reads as
/// "`folder`/name (deleted)", so it counts too).
func openFiles(under folder: String) throws -> Int {
    try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { descriptor in
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + descriptor)) ?? ""
        return target.hasPrefix(folder + "/")
    }.count
}
