import Foundation

/// Runs blocking `work` (socket I/O, waiting for a child process, a whole scenario run) on a
/// thread of its own and awaits it, so a test does not hold one of the few threads of Swift's
/// cooperative pool, which the server under test needs.
public func onThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Swift.Result { try work() }) }
    }
}
