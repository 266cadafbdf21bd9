import Foundation

/// Writing to the terminal: results go to standard output, notes and errors to standard error.
enum Console {
    /// Whether standard error is a terminal (where status lines are rewritten in place).
    private static let errorIsTerminal = isatty(STDERR_FILENO) == 1

    /// Writes a line to standard error; on a terminal, over a status line being shown there
    /// (which is drawn again below it).
    static func note(_ line: String) {
        FileHandle.standardError.write(Data(((errorIsTerminal ? "\r\u{1B}[K" : "") + line + "\n").utf8))
    }
}
