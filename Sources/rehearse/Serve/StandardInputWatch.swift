import Foundation

/// Stops a server when its standard input closes: a parent holding the write end of a pipe to
/// it never writes, and when that parent exits — even killed by SIGKILL, which it cannot catch —
/// the kernel closes its end, the read here returns end of file, and the server drains as on
/// SIGTERM. This is how `rehearse run` makes sure its services never outlive it.
enum StandardInputWatch {
    /// Starts a thread that reads (and discards) standard input until end of file or an error,
    /// then sends SIGTERM to this process.
    static func terminateAtEndOfFile() {
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count > 0 || (count < 0 && errno == EINTR) { continue }
                break
            }
            kill(getpid(), SIGTERM)
        }
    }
}
