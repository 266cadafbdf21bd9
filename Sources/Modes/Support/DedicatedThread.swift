import Foundation

/// Runs blocking work (a long read from a socket, say) on a thread of its own, so it does not
/// hold one of the few threads of Swift's cooperative pool while it waits.
enum DedicatedThread {
    /// Runs `body` on a new thread and returns its result.
    static func run<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result, Never>) in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
