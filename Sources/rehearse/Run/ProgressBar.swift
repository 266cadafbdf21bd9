import Foundation
import Synchronization

/// Progress on standard error, redrawn at most once per whole percent: a bar redrawn in place
/// on a terminal, or one line per percent for logs.
/// Worker threads report progress concurrently, so the percent last shown sits in a `Mutex`.
final class ProgressBar: Sendable {
    /// How progress is drawn.
    enum Style {
        /// `[#####     ] 50%  500/1000 rows`, redrawn in place.
        case bar
        /// `predicted 500 of 1000 rows (50%)`, one line each.
        case lines
    }

    private let style: Style
    private let shownPercent = Mutex(-1)

    init(style: Style) { self.style = style }

    /// Shows `done` of `total`.
    func show(_ done: Int, of total: Int) {
        let percent = total == 0 ? 100 : done * 100 / total
        let text: String? = shownPercent.withLock { shownPercent in
            guard percent > shownPercent else { return nil }
            shownPercent = percent
            switch style {
            case .lines:
                return "predicted \(done) of \(total) rows (\(percent)%)\n"
            case .bar:
                let filled = percent * 30 / 100
                return "\r[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 30 - filled)
                    + "] \(percent)%  \(done)/\(total) rows"
            }
        }
        if let text { FileHandle.standardError.write(Data(text.utf8)) }
    }

    /// Ends the bar's line.
    func finish() {
        if style == .bar { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
