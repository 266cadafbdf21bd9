import ArgumentParser
import Foundation
import LocalCloud

/// The `--root` option shared by the `rehearse cloud` sub-commands.
struct CloudRootOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The sandbox's cloud folder.", valueName: "folder"))
    var root: String

    /// A root that is not a folder is a usage error of the sub-command.
    func validate() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder) else {
            throw ValidationError("no cloud at \(root): the folder does not exist")
        }
        guard isFolder.boolValue else { throw ValidationError("no cloud at \(root): it is a file, not a folder") }
    }

    /// The root folder (checked by `validate()` to be a folder).
    var rootURL: URL { URL(fileURLWithPath: root) }

    /// The object store, opened read-only: inspecting never changes the sandbox.
    func objectStore() throws -> DirectoryObjectStore {
        let url = rootURL
        guard FileManager.default.fileExists(atPath: DirectoryObjectStore.indexPath(url)) else {
            throw CommandFailure("no cloud at \(root): \(DirectoryObjectStore.indexPath(url)) does not exist")
        }
        return try DirectoryObjectStore(inspecting: url)
    }

    /// The queue, opened read-only. Leases are judged at the time the sandbox's clock stopped
    /// (`clock.txt`, which `rehearse run --keep` writes), else at the wall-clock time.
    func queue() throws -> SQLiteMessageQueue {
        let url = rootURL
        guard FileManager.default.fileExists(atPath: CloudSandbox.queuePath(url)) else {
            throw CommandFailure("no queue in \(root): \(CloudSandbox.queuePath(url)) does not exist")
        }
        let clock: any CloudClock = try CloudSandbox.savedClockReading(url).map { VirtualClock(start: $0) } ?? SystemClock()
        return try SQLiteMessageQueue(inspecting: CloudSandbox.queuePath(url), clock: clock)
    }
}

/// Pads cells into aligned columns, the first row being the header; control characters in a
/// cell are shown escaped (`visible`).
func table(_ rows: [[String]]) -> String {
    let rows = rows.map { $0.map(visible) }
    guard let width = rows.map(\.count).max() else { return "" }
    let widths = (0..<width).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

/// `text` with its control characters escaped (`\n`, `\t`, `\u{1B}`), so an object key holding
/// them can neither break a table's lines nor send the terminal escape sequences.
func visible(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
    var shown = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": shown += "\\n"
        case "\t": shown += "\\t"
        case "\r": shown += "\\r"
        case _ where scalar.properties.generalCategory == .control: shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default: shown.unicodeScalars.append(scalar)
        }
    }
    return shown
}
