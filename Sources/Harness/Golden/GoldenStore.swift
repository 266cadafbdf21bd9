import Determinism
import Foundation

/// The golden folder on disk: `<root>/<scenario>/<capture>.jsonl|.txt`, a `_header.json` per
/// scenario, and pending results as `<file>.new` beside the file they would replace.
///
/// Every write goes to a temporary file first and is renamed into place, so a crash never
/// leaves half a golden. The store itself never consults the environment; deciding whether to
/// write is the job of ``GoldenKeeper`` and ``Reviewer``.
public struct GoldenStore: Sendable {
    /// The root folder as given (e.g. `golden`); paths in messages start with it.
    public let root: String

    /// The header file's name inside each scenario folder.
    public static let headerFileName = "_header.json"
    /// The suffix that marks a pending result.
    public static let pendingSuffix = ".new"

    /// Creates a store over `root`, which need not exist yet.
    public init(root: String) {
        self.root = root
    }

    // MARK: Paths

    /// The folder of a scenario's goldens.
    public func folder(scenario: String) -> String { join(root, scenario) }
    /// The golden file for `key`.
    public func goldenPath(_ key: GoldenKey) -> String { join(root, key.relativePath) }
    /// The pending file for `key`: the golden path plus `.new`.
    public func pendingPath(_ key: GoldenKey) -> String { goldenPath(key) + Self.pendingSuffix }
    /// The header file of a scenario.
    public func headerPath(scenario: String) -> String { join(folder(scenario: scenario), Self.headerFileName) }

    // MARK: Reading

    /// The golden text for `key`, or nil when there is no golden file.
    public func readGolden(_ key: GoldenKey) throws(HarnessError) -> String? {
        try readIfPresent(goldenPath(key))
    }

    /// The pending text for `key`, or nil when nothing is pending.
    public func readPending(_ key: GoldenKey) throws(HarnessError) -> String? {
        try readIfPresent(pendingPath(key))
    }

    /// The scenario's header, or nil when it has none.
    public func readHeader(scenario: String) throws(HarnessError) -> GoldenHeader? {
        let path = headerPath(scenario: scenario)
        guard let text = try readIfPresent(path) else { return nil }
        return try GoldenHeader(fileText: text, path: path)
    }

    // MARK: Writing

    /// Writes `text` as the golden for `key`, creating the scenario folder when needed.
    public func writeGolden(_ key: GoldenKey, text: String) throws(HarnessError) {
        try write(text, to: goldenPath(key))
    }

    /// Writes `text` as the pending result for `key`.
    public func writePending(_ key: GoldenKey, text: String) throws(HarnessError) {
        try write(text, to: pendingPath(key))
    }

    /// Writes the scenario's header, or its pending header (`_header.json.new`).
    public func writeHeader(_ header: GoldenHeader, scenario: String, pending: Bool) throws(HarnessError) {
        let path = headerPath(scenario: scenario) + (pending ? Self.pendingSuffix : "")
        try write(header.fileText, to: path)
    }

    /// Deletes a file if it exists; returns whether it existed.
    @discardableResult
    public func remove(path: String) throws(HarnessError) -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw .io(path, "cannot delete: \(error.localizedDescription)")
        }
        return true
    }

    /// Moves a pending file over the file it replaces (`x.new` → `x`); returns the target path.
    @discardableResult
    public func promote(pendingPath: String) throws(HarnessError) -> String {
        precondition(pendingPath.hasSuffix(Self.pendingSuffix), "not a pending path: \(pendingPath)")
        let target = String(pendingPath.dropLast(Self.pendingSuffix.count))
        if rename(pendingPath, target) != 0 {
            throw .io(pendingPath, "cannot move over \(target): \(String(cString: strerror(errno)))")
        }
        return target
    }

    // MARK: Listing

    /// The scenario folders under the root, sorted by UTF-8 bytes; none when the root is absent.
    public func scenarios() throws(HarnessError) -> [String] {
        try entries(of: root).filter { name in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: join(root, name), isDirectory: &isFolder)
                && isFolder.boolValue && !name.hasPrefix(".")
        }
    }

    /// The file names in a scenario folder, sorted by UTF-8 bytes.
    public func fileNames(scenario: String) throws(HarnessError) -> [String] {
        try entries(of: folder(scenario: scenario))
    }

    /// The golden keys a file name stands for: `x.jsonl`, `x.txt` and their `.new` forms give a
    /// key and whether it is pending; anything else (the header, stray files) gives nil.
    public static func key(scenario: String, fileName: String) -> (key: GoldenKey, pending: Bool)? {
        var name = Substring(fileName)
        let pending = name.hasSuffix(pendingSuffix)
        if pending { name = name.dropLast(pendingSuffix.count) }
        guard let dot = name.lastIndex(of: "."),
            let format = GoldenFormat(rawValue: String(name[name.index(after: dot)...])),
            let key = try? GoldenKey(scenario: scenario, capture: String(name[..<dot]), format: format)
        else { return nil }
        return (key, pending)
    }

    // MARK: Helpers

    private func entries(of folder: String) throws(HarnessError) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return []
        }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder)
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } catch {
            throw .io(folder, "cannot list: \(error.localizedDescription)")
        }
    }

    private func readIfPresent(_ path: String) throws(HarnessError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .io(path, "cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .notUTF8(path) }
        return text
    }

    private func write(_ text: String, to path: String) throws(HarnessError) {
        let folder = PathText.parent(of: path)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .io(path, "cannot write: \(error.localizedDescription)")
        }
    }

    private func join(_ base: String, _ component: String) -> String {
        base.hasSuffix("/") ? base + component : base + "/" + component
    }
}
