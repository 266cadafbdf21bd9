import Foundation
import LocalCloud
import Logging

/// The log handler of the long-running commands (`serve`, `cloud serve`, `stream source`): one
/// line per message on standard error, `TIME LEVEL LABEL : KEY=VALUE… [SOURCE] MESSAGE`, with
/// the time in UTC from the system clock and the metadata sorted by key.
///
/// swift-log's `StreamLogHandler` lays its metadata out as text every time a key is set, and
/// Hummingbird sets a request id on the logger of every request: a few per cent of a busy
/// server's time, for lines that are rarely written. This one lays metadata out only when a
/// line is written.
struct ServerLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    private let label: String

    /// Makes every logger of the process a `ServerLogHandler` at `level`.
    static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in ServerLogHandler(label: label, logLevel: level) }
    }

    init(label: String, logLevel: Logger.Level) {
        self.label = label
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, given in given }
        let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let error = event.error.map { " (\($0))" } ?? ""
        let text = "\(SystemClock().now.iso8601) \(event.level) \(label) :\(fields) [\(event.source)] \(event.message)\(error)\n"
        try? FileHandle.standardError.write(contentsOf: Data(text.utf8))  // a closed stderr loses the line, never the server
    }
}
