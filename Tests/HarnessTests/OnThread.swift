import Foundation

/// Runs blocking `work` (a scenario run) on a thread of its own and awaits it, so a test does
/// not hold one of the few threads of Swift's cooperative pool, which a rehearsed stream server
/// needs, while it waits.
func onThread<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Swift.Result { try work() }) }
    }
}
