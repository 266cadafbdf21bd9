import Foundation

/// A one-line progress bar on standard error, redrawn at most once per whole percent.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var shownPercent = -1

    /// Shows `done` of `total`.
    func show(_ done: Int, of total: Int) {
        let percent = total == 0 ? 100 : done * 100 / total
        let line: String? = lock.withLock {
            guard percent > shownPercent else { return nil }
            shownPercent = percent
            let filled = percent * 30 / 100
            return "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled)
                + "] \(percent)%  \(done)/\(total) rows"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }

    /// Ends the bar's line.
    func finish() {
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
