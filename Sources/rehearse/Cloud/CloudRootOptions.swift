import ArgumentParser
import Foundation
import LocalCloud

/// The `--root` option shared by the `rehearse cloud` sub-commands.
struct CloudRootOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The sandbox's cloud folder.", valueName: "folder"))
    var root: String

    /// The root folder, after checking it holds a cloud.
    func rootURL() throws -> URL {
        let url = URL(fileURLWithPath: root)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("no cloud at \(root): the folder does not exist")
        }
        return url
    }

    /// The object store, opened read-only: inspecting never changes the sandbox.
    func objectStore() throws -> DirectoryObjectStore {
        let url = try rootURL()
        guard FileManager.default.fileExists(atPath: DirectoryObjectStore.indexPath(url)) else {
            throw ValidationError("no cloud at \(root): \(DirectoryObjectStore.indexPath(url)) does not exist")
        }
        return try DirectoryObjectStore(inspecting: url)
    }

    /// The queue, opened read-only. Leases are judged at the time the sandbox's clock stopped
    /// (`clock.txt`, which `rehearse run --keep` writes), else at the wall-clock time.
    func queue() throws -> SQLiteMessageQueue {
        let url = try rootURL()
        guard FileManager.default.fileExists(atPath: CloudSandbox.queuePath(url)) else {
            throw ValidationError("no queue in \(root): \(CloudSandbox.queuePath(url)) does not exist")
        }
        let clock: any CloudClock = try CloudSandbox.savedClockReading(url).map { VirtualClock(start: $0) } ?? SystemClock()
        return try SQLiteMessageQueue(inspecting: CloudSandbox.queuePath(url), clock: clock)
    }
}

/// Pads cells into aligned columns, the first row being the header.
func table(_ rows: [[String]]) -> String {
    guard let width = rows.map(\.count).max() else { return "" }
    let widths = (0..<width).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}
