import Foundation

/// Writing to the terminal: results go to standard output, notes and errors to standard error.
enum Console {
    /// Writes a line to standard error.
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
