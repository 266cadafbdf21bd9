import ModelCore
import Synchronization

/// Prediction workspaces reused across requests, so a request allocates no scratch memory once
/// the pool has warmed up. A request takes one for as long as it predicts; the lock is held
/// only to take and to give back.
public final class WorkspacePool: Sendable {
    private let free = Mutex<[PredictionWorkspace]>([])
    /// Workspaces kept when given back; more are dropped (one per concurrent request is enough).
    private let capacity: Int

    /// A pool that keeps at most `capacity` idle workspaces.
    public init(capacity: Int = 64) {
        self.capacity = capacity
    }

    /// Runs `body` with a workspace of its own.
    public func withWorkspace<Result>(_ body: (inout PredictionWorkspace) throws -> Result) rethrows -> Result {
        var workspace = free.withLock { $0.popLast() } ?? PredictionWorkspace()
        defer {
            free.withLock { idle in
                if idle.count < capacity { idle.append(workspace) }
            }
        }
        return try body(&workspace)
    }
}
